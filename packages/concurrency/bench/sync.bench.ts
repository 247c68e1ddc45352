// Uncontended costs of the in-thread primitives, ns per operation (lower is better).
import pLimit from 'p-limit';
import {
  AtomicCounter,
  BigAtomicCounter,
  limit,
  Semaphore,
  SharedSemaphore,
} from '../src/index.js';
import { measure, type Row, table } from './harness.js';

const OPS = 5_000_000;
const ASYNC_OPS = 300_000;

const nsPer = (ops: number, ms: number) => (ms * 1e6) / ops;

function timeSync(ops: number, body: (i: number) => number): () => number {
  return () => {
    let sink = 0;
    const t0 = performance.now();
    for (let i = 0; i < ops; i++) sink += body(i);
    const ms = performance.now() - t0;
    if (sink === Math.PI) console.log(sink); // defeats dead-code elimination
    return nsPer(ops, ms);
  };
}

export async function run(): Promise<void> {
  const plain = new Int32Array(new SharedArrayBuffer(4));
  const raw = new Int32Array(new SharedArrayBuffer(4));
  const counter = new AtomicCounter();
  const big = new BigAtomicCounter();
  const rows: Row[] = [
    {
      name: 'plain Int32Array increment (baseline, not atomic)',
      value: await measure(timeSync(OPS, () => plain[0]!++)),
    },
    {
      name: 'Atomics.add on an Int32Array',
      value: await measure(timeSync(OPS, () => Atomics.add(raw, 0, 1))),
    },
    {
      name: 'AtomicCounter.fetchAdd',
      value: await measure(timeSync(OPS, () => counter.fetchAdd(1))),
    },
    {
      name: 'AtomicCounter.compareExchange',
      value: await measure(timeSync(OPS, (i) => (counter.compareExchange(i, i + 1).ok ? 1 : 0))),
    },
    {
      name: 'BigAtomicCounter.fetchAdd',
      value: await measure(timeSync(OPS / 5, () => Number(big.fetchAdd(1n) & 1n))),
    },
  ];
  table(
    'Atomic counters, uncontended',
    'ns/op',
    rows,
    'plain Int32Array increment (baseline, not atomic)',
    false,
  );

  const sem = new Semaphore(4);
  const shared = new SharedSemaphore(4);
  const mine = limit(4);
  const theirs = pLimit(4);
  const noop = () => 0;
  const timeAsync = (body: () => Promise<unknown>) => async () => {
    const t0 = performance.now();
    for (let i = 0; i < ASYNC_OPS; i++) await body();
    return nsPer(ASYNC_OPS, performance.now() - t0);
  };
  const locks: Row[] = [
    {
      name: 'await Promise.resolve() (baseline)',
      value: await measure(timeAsync(() => Promise.resolve())),
    },
    {
      name: 'Semaphore await acquire() + release()',
      value: await measure(
        timeAsync(async () => {
          await sem.acquire();
          sem.release();
        }),
      ),
    },
    {
      name: 'Semaphore tryAcquire() + release() (sync)',
      value: await measure(
        timeSync(OPS / 5, () => {
          if (!sem.tryAcquire()) return 0;
          sem.release();
          return 1;
        }),
      ),
    },
    {
      name: 'SharedSemaphore tryAcquire() + release() (sync)',
      value: await measure(
        timeSync(OPS / 5, () => {
          if (!shared.tryAcquire()) return 0;
          shared.release();
          return 1;
        }),
      ),
    },
    { name: 'limit(4)(fn)', value: await measure(timeAsync(() => mine(noop))) },
    { name: 'p-limit 7 pLimit(4)(fn)', value: await measure(timeAsync(() => theirs(noop))) },
  ];
  table(
    'Semaphores and limiters, uncontended',
    'ns/op',
    locks,
    'await Promise.resolve() (baseline)',
    false,
  );
}
