// WorkerPool against piscina 5, tinypool 2 and workerpool 10: 2 threads, a trivial task (echo),
// so what is measured is the cost of dispatch and result return.
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { Tinypool } from 'tinypool';
import workerpool from 'workerpool';
import { WorkerPool } from '../src/index.js';
import { measure, type Row, table } from './harness.js';

const TASKS = fileURLToPath(new URL('./tasks.mjs', import.meta.url));
const WP_WORKER = fileURLToPath(new URL('./workerpool-worker.cjs', import.meta.url));
const THREADS = 2;
const WINDOW = 64;

type Run = (x: number) => Promise<unknown>;

/** Keeps `window` tasks in flight until `total` are done; tasks/s. */
function inFlight(run: Run, total: number, window: number): () => Promise<number> {
  return () =>
    new Promise<number>((resolve, reject) => {
      let started = 0;
      let finished = 0;
      const t0 = performance.now();
      const next = (): void => {
        if (started >= total) return;
        started++;
        run(started).then(() => {
          if (++finished === total) resolve(total / ((performance.now() - t0) / 1000));
          else next();
        }, reject);
      };
      for (let i = 0; i < window; i++) next();
    });
}

function oneAtATime(run: Run, total: number): () => Promise<number> {
  return async () => {
    const t0 = performance.now();
    for (let i = 0; i < total; i++) await run(i);
    return total / ((performance.now() - t0) / 1000);
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
  const runners: [string, Run, number][] = [
    ['piscina 5.3 (baseline)', (x) => piscina.run(x), 20_000],
    ['tinypool 2.2', (x) => tinypool.run(x), 20_000],
    ['workerpool 10', (x) => wp.exec('echo', [x]), 20_000],
    ['WorkerPool', (x) => ours.run(x), 100_000],
  ];
  const many: Row[] = [];
  const single: Row[] = [];
  for (const [name, fn, n] of runners) {
    many.push({ name, value: await measure(inFlight(fn, n, WINDOW)) });
    single.push({ name, value: await measure(oneAtATime(fn, Math.floor(n / 5))) });
  }
  table(
    `Trivial tasks on ${THREADS} threads, ${WINDOW} in flight`,
    'tasks/s',
    many,
    'piscina 5.3 (baseline)',
  );
  table(
    `Trivial tasks on ${THREADS} threads, one at a time (await each)`,
    'tasks/s',
    single,
    'piscina 5.3 (baseline)',
  );
  await Promise.all([ours.destroy(), piscina.destroy(), tinypool.destroy(), wp.terminate()]);
}
