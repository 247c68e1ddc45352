// Shared-memory metrics: the cost of one record against a local histogram, and the cost of a
// scrape against prom-client's AggregatorRegistry, which messages every worker per scrape.
import type { Worker } from 'node:worker_threads';
import { startWorker } from '@perf/internal';
import client from 'prom-client';
import { Bench, type BenchOptions } from '../src/bench-api.js';
import { Monitor, SharedRegistry } from '../src/index.js';
import { BATCH, defaults, latencies } from './data.js';

const ROUTES = Array.from({ length: 20 }, (_, i) => `/route/${i}`);

export function recordCostBench(options: BenchOptions = {}): Bench {
  const values = latencies();
  const local = new Monitor().histogram('job_duration_seconds').get();
  const reg = new SharedRegistry({ maxThreads: 4 });
  const shared = reg.histogram('job_duration_seconds').get();
  const sharedCounter = reg.counter('jobs_total').get();
  const localCounter = new Monitor().counter('jobs_total');
  const prom = new client.Histogram({ name: 'job_duration_seconds', help: 'h', registers: [] });
  const bench = new Bench(`shared-memory record ×${BATCH}`, { ...defaults, ...options });
  bench.add(
    'local HistogramMetric series.observe',
    () => {
      for (let i = 0; i < BATCH; i++) local.observe(values[i]!);
      return local;
    },
    { ops: BATCH },
  );
  bench.add(
    'SharedHistogram.observe (Atomics)',
    () => {
      for (let i = 0; i < BATCH; i++) shared.observe(values[i]!);
      return shared;
    },
    { ops: BATCH },
  );
  bench.add(
    'prom-client Histogram.observe',
    () => {
      for (let i = 0; i < BATCH; i++) prom.observe(values[i]! / 1e6);
      return prom;
    },
    { ops: BATCH },
  );
  bench.add(
    'local Counter.inc',
    () => {
      for (let i = 0; i < BATCH; i++) localCounter.inc();
      return localCounter;
    },
    { ops: BATCH },
  );
  bench.add(
    'SharedCounter.inc (Atomics)',
    () => {
      for (let i = 0; i < BATCH; i++) sharedCounter.inc();
      return sharedCounter;
    },
    { ops: BATCH },
  );
  return bench;
}

/** One scrape of `WORKERS` workers × (20-series counter + 20-series histogram). */
export async function scrapeBench(options: BenchOptions = {}, WORKERS = 2): Promise<Bench> {
  const series = ROUTES.map((route) => ({ route }));
  const reg = new SharedRegistry({ maxThreads: WORKERS + 1 });
  reg.counter('jobs_total', { help: 'Jobs', labelNames: ['route'], series });
  reg.histogram('job_duration_seconds', { help: 'Job time', labelNames: ['route'], series });
  // Our workers' shards, filled as the prom-client workers fill their registries.
  const d = reg.descriptor;
  for (let w = 0; w < WORKERS; w++) {
    const attached = SharedRegistry.attach(d);
    for (const route of ROUTES) {
      for (let i = 0; i < 100; i++) {
        attached.counter('jobs_total').labels({ route }).inc();
        attached
          .histogram('job_duration_seconds')
          .labels({ route })
          .observe((i % 7) * 1000);
      }
    }
  }
  const workers: Worker[] = [];
  for (let w = 0; w < WORKERS; w++) {
    const worker = startWorker(new URL('./prom-client-worker.ts', import.meta.url), {
      workerData: { routes: ROUTES },
    });
    await new Promise((r) => worker.once('message', r));
    workers.push(worker);
  }
  const collect = (worker: Worker) =>
    new Promise<Parameters<typeof client.AggregatorRegistry.aggregate>[0][number]>((resolve) => {
      worker.once('message', resolve);
      worker.postMessage('collect');
    });
  const bench = new Bench(`scrape of ${WORKERS} workers × 40 series`, {
    ...defaults,
    ...options,
    clock: 'wall', // the prom-client path waits on other threads
  });
  bench.add('prom-client AggregatorRegistry over worker messages', async () => {
    const all = await Promise.all(workers.map(collect));
    return client.AggregatorRegistry.aggregate(all).metrics();
  });
  bench.add('SharedRegistry.toPrometheus (no messages)', () => reg.toPrometheus(), {
    teardown: () => Promise.all(workers.map((w) => w.terminate())),
  });
  return bench;
}

export default [recordCostBench, scrapeBench];
