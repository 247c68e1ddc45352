// WorkerPool against piscina 5, tinypool 2 and workerpool 10: 2 threads, a trivial task (echo),
// so what is measured is the cost of dispatch and result return.
import { fileURLToPath } from 'node:url';
import { barChartFromReports, writeChart } from '@perf/monitor/bench';
import { Piscina } from 'piscina';
import { Tinypool } from 'tinypool';
import workerpool from 'workerpool';
import { WorkerPool } from '../src/index.js';
import { printBench } from '@perf/monitor/bench';

const TASKS = fileURLToPath(new URL('./tasks.mjs', import.meta.url));
const WP_WORKER = fileURLToPath(new URL('./workerpool-worker.cjs', import.meta.url));
const THREADS = 2;
const WINDOW = 64;

type Run = (x: number) => Promise<unknown>;

/** Keeps `window` tasks in flight until `total` are done. */
function inFlight(run: Run, total: number, window: number): () => Promise<void> {
  return () =>
    new Promise<void>((resolve, reject) => {
      let started = 0;
      let finished = 0;
      const next = (): void => {
        if (started >= total) return;
        started++;
        run(started).then(() => {
          if (++finished === total) resolve();
          else next();
        }, reject);
      };
      for (let i = 0; i < window; i++) next();
    });
}

function oneAtATime(run: Run, total: number): () => Promise<void> {
  return async () => {
    for (let i = 0; i < total; i++) await run(i);
  };
}

export async function run(): Promise<void> {
  const ours = new WorkerPool({ module: TASKS, threads: THREADS });
  const piscina = new Piscina({ filename: TASKS, minThreads: THREADS, maxThreads: THREADS });
  const tinypool = new Tinypool({ filename: TASKS, minThreads: THREADS, maxThreads: THREADS });
  const wp = workerpool.pool(WP_WORKER, {
    minWorkers: THREADS,
    maxWorkers: THREADS,
    workerType: 'thread',
  });
  // Tasks per timed call: enough for a few hundred milliseconds each.
  const runners: [string, Run, number][] = [
    ['piscina 5.3', (x) => piscina.run(x), 4_000],
    ['tinypool 2.2', (x) => tinypool.run(x), 4_000],
    ['workerpool 10', (x) => wp.exec('echo', [x]), 2_000],
    ['WorkerPool', (x) => ours.run(x), 20_000],
  ];
  const options = { clock: 'wall' as const, samples: 5, warmup: 200 };
  const windowed = await printBench(
    `Trivial tasks on ${THREADS} threads, ${WINDOW} in flight (per task)`,
    runners.map(([name, fn, n]) => ({ name, fn: inFlight(fn, n, WINDOW), ops: n })),
    options,
  );
  const serial = await printBench(
    `Trivial tasks on ${THREADS} threads, one at a time, await each (per task)`,
    runners.map(([name, fn, n]) => ({ name, fn: oneAtATime(fn, n / 10), ops: n / 10 })),
    options,
  );
  await Promise.all([ours.destroy(), piscina.destroy(), tinypool.destroy(), wp.terminate()]);

  // The README's chart from these two tables: docs/pool.svg embeds the hash of
  // docs/bench-results.json.
  const bar = barChartFromReports([windowed, serial], {
    title: `Trivial tasks on ${THREADS} worker threads: tasks per second`,
    metric: 'opsPerSecond',
    peerOf: (name) => (name === 'WorkerPool' ? '@perf/concurrency WorkerPool' : name),
    baseline: 'piscina 5.3',
    xLabel: 'dispatch pattern',
  });
  const docs = fileURLToPath(new URL('../docs', import.meta.url));
  const id = await writeChart(docs, 'bench-results', { reports: [windowed, serial] }, [
    {
      name: 'pool',
      bar: {
        ...bar,
        yLabel: 'tasks per second',
        unit: 'tasks/s',
        groups: [`${WINDOW} tasks in flight`, 'one at a time, each awaited'],
      },
    },
  ]);
  console.log(`\nChart: docs/pool.svg (run ${id}, results docs/bench-results.json)`);
}
