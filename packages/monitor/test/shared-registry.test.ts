import type { Worker } from 'node:worker_threads';
import { startWorker } from '@perf/internal';
import { describe, expect, it } from 'vitest';
import { isPerfError, Monitor, SharedRegistry } from '../src/index.js';

const THREADS = 4;
const RECORDS = 50_000;
const BUCKETS = [500, 1500, 2500, 10_000];

function registry() {
  const reg = new SharedRegistry({ maxThreads: THREADS + 2 });
  const routes = [{ route: '/a' }, { route: '/b "q"' }];
  reg.counter('jobs_total', { help: 'Jobs done', labelNames: ['route'], series: routes });
  reg.histogram('job_duration_seconds', {
    help: 'Job time',
    labelNames: ['route'],
    series: routes,
    buckets: BUCKETS,
  });
  reg.gauge('inflight', { help: 'Jobs running' });
  return reg;
}

const done = (w: Worker) =>
  new Promise<void>((resolve, reject) => {
    w.once('message', () => resolve());
    w.once('error', reject);
    w.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
  });

const line = (text: string, series: string) =>
  Number(
    text
      .split('\n')
      .find((l) => l.startsWith(`${series} `))
      ?.slice(series.length + 1),
  );

describe('SharedRegistry', () => {
  it('N worker threads × M records are each counted exactly once, read with no messages', async () => {
    const reg = registry();
    const descriptor = reg.descriptor;
    const workers = Array.from({ length: THREADS }, (_, t) =>
      startWorker(new URL('./fixtures/shared-recorder.ts', import.meta.url), {
        workerData: { descriptor, records: RECORDS, route: t % 2 ? '/b "q"' : '/a' },
      }),
    );
    // Scrapes while the workers record: never throws, totals only grow.
    let last = 0;
    const scraping = setInterval(() => {
      const n = line(reg.toPrometheus(), 'jobs_total{route="/a"}');
      expect(n).toBeGreaterThanOrEqual(last);
      last = n;
    }, 5);
    try {
      await Promise.all(workers.map(done));
    } finally {
      clearInterval(scraping);
    }
    // The main thread records too, into its own shard.
    reg.counter('jobs_total').labels({ route: '/a' }).inc(5);
    const text = reg.toPrometheus();
    const perRoute = (RECORDS * THREADS) / 2;
    expect(line(text, 'jobs_total{route="/a"}')).toBe(perRoute + 5);
    expect(line(text, 'jobs_total{route="/b \\"q\\""}')).toBe(perRoute);
    // Values (i % 7) * 1000 µs: 0 → le 500; 1000 → le 1500; 2000 → le 2500; 3000…6000 → le 10000.
    const counts = [0, 1, 2, 3, 4, 5, 6].map((k) => Math.ceil((RECORDS - k) / 7) * (THREADS / 2));
    const at = (le: string) => line(text, `job_duration_seconds_bucket{route="/a",le="${le}"}`);
    expect(at('0.0005')).toBe(counts[0]);
    expect(at('0.0015')).toBe(counts[0]! + counts[1]!);
    expect(at('0.0025')).toBe(counts[0]! + counts[1]! + counts[2]!);
    expect(at('0.01')).toBe(perRoute);
    expect(at('+Inf')).toBe(perRoute);
    const sumUs = counts.reduce((s, c, k) => s + c * k * 1000, 0);
    expect(line(text, 'job_duration_seconds_sum{route="/a"}')).toBeCloseTo(sumUs / 1e6, 6);
    expect(line(text, 'job_duration_seconds_count{route="/a"}')).toBe(perRoute);
    expect(line(text, 'inflight')).toBe(0);
  });

  it('64-bit cells carry past 2^32 exactly', () => {
    const reg = new SharedRegistry({ maxThreads: 1 });
    const counter = reg.counter('big_total');
    const histogram = reg.histogram('big_seconds', { buckets: [1], prometheusScale: 1 });
    const c = counter.get(); // the first use allocates the buffer: declare every metric before
    const h = histogram.get();
    for (let i = 0; i < 3; i++) {
      c.inc(2 ** 32 - 1);
      h.observe(2 ** 40 + 7);
    }
    const text = reg.toPrometheus();
    expect(line(text, 'big_total')).toBe(3 * (2 ** 32 - 1));
    expect(line(text, 'big_seconds_sum')).toBe(3 * (2 ** 40 + 7));
  });

  it('renders OpenMetrics and plugs into a Monitor', () => {
    const reg = registry();
    reg.histogram('job_duration_seconds').labels({ route: '/a' }).observe(1200);
    const om = reg.toOpenMetrics();
    expect(om).toContain('# TYPE jobs counter');
    expect(om).toMatch(/^jobs_total\{route="\/a"\} 0$/m);
    expect(om).toMatch(/^job_duration_seconds_created\{route="\/a"\} \d+\.\d{3}$/m);
    expect(om.endsWith('# EOF\n')).toBe(true);
    const m = new Monitor();
    m.counter('local_total').inc();
    m.addCollector((f) => reg.expose(f));
    const both = m.toOpenMetrics();
    expect(both).toContain('local_total 1');
    expect(both).toContain('job_duration_seconds_bucket{route="/a",le="0.0015"} 1');
    expect(both.match(/# EOF/g)).toHaveLength(1);
  });

  it('refuses a thread past maxThreads, unknown label sets, and late declarations', () => {
    const reg = new SharedRegistry({ maxThreads: 1 });
    reg.counter('x_total');
    const d = reg.descriptor; // the main thread holds the only shard
    let err: unknown;
    try {
      SharedRegistry.attach(d);
    } catch (e) {
      err = e;
    }
    expect(isPerfError(err, 'PERF_MONITOR_SHARED_THREADS_EXHAUSTED')).toBe(true);
    expect(() => reg.counter('late_total')).toThrow(TypeError);
    expect(() => registry().counter('jobs_total').labels({ route: '/zzz' })).toThrow(TypeError);
    expect(() => reg.counter('x_total').get().inc(1.5)).toThrow(RangeError);
    expect(() => new SharedRegistry().counter('y', { labelNames: ['a'] })).toThrow(TypeError);
    reg.detach();
    expect(() => SharedRegistry.attach(d).detach()).not.toThrow();
  });
});
