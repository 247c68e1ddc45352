// Uncontended costs of the in-thread primitives, and `limit` against p-limit 7.
import pLimit from 'p-limit';
import {
  AtomicCounter,
  BigAtomicCounter,
  limit,
  Semaphore,
  SharedSemaphore,
} from '../src/index.js';
import { printBench } from '@perf/monitor/bench';

/** Calls queued at once in the contended limiter cases (4 run, the rest wait). */
const BURST = 10_000;

export async function run(): Promise<void> {
  const plain = new Int32Array(new SharedArrayBuffer(4));
  const raw = new Int32Array(new SharedArrayBuffer(4));
  const counter = new AtomicCounter();
  const big = new BigAtomicCounter();
  let i = 0;
  await printBench('Atomic counters, uncontended', [
    { name: 'plain Int32Array increment (not atomic)', fn: () => plain[0]!++ },
    { name: 'Atomics.add on an Int32Array', fn: () => Atomics.add(raw, 0, 1) },
    { name: 'AtomicCounter.fetchAdd', fn: () => counter.fetchAdd(1) },
    { name: 'AtomicCounter.compareExchange', fn: () => counter.compareExchange(i, ++i).ok },
    { name: 'BigAtomicCounter.fetchAdd', fn: () => big.fetchAdd(1n) },
  ]);

  const sem = new Semaphore(4);
  const shared = new SharedSemaphore(4);
  await printBench('Semaphores, uncontended, synchronous', [
    {
      name: 'Semaphore tryAcquire() + release()',
      fn: () => {
        if (sem.tryAcquire()) sem.release();
      },
    },
    {
      name: 'SharedSemaphore tryAcquire() + release()',
      fn: () => {
        if (shared.tryAcquire()) shared.release();
      },
    },
  ]);

  const mine = limit(4);
  const theirs = pLimit(4);
  const noop = () => 0;
  const asyncNoop = async () => 0;
  const burst = (run: (fn: () => Promise<number>) => Promise<number>) => () => {
    const calls = new Array<Promise<number>>(BURST);
    for (let k = 0; k < BURST; k++) calls[k] = run(asyncNoop);
    return Promise.all(calls);
  };
  await printBench(
    'Awaited, uncontended: one call at a time',
    [
      { name: 'await Promise.resolve()', fn: () => Promise.resolve() },
      {
        name: 'Semaphore await acquire() + release()',
        fn: async () => {
          await sem.acquire();
          sem.release();
        },
      },
      { name: 'p-limit 7 pLimit(4)(fn)', fn: () => theirs(noop) },
      { name: 'limit(4)(fn)', fn: () => mine(noop) },
    ],
    { clock: 'wall' },
  );
  await printBench(
    `Limiters, contended: ${BURST.toLocaleString('en-US')} async calls queued at once, 4 running (per call)`,
    [
      { name: 'p-limit 7 pLimit(4)', fn: burst(theirs), ops: BURST },
      { name: 'limit(4)', fn: burst(mine), ops: BURST },
    ],
    { clock: 'wall' },
  );
}
