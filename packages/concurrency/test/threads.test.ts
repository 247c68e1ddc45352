// Multi-thread stress: real worker threads on both sides of every shared structure. What is
// asserted is deterministic (totals, order, no loss or duplication), never timing.
import { describe, expect, it } from 'vitest';
import {
  AtomicCounter,
  BigAtomicCounter,
  MpmcQueue,
  SharedSemaphore,
  SpscByteRing,
  SpscRing,
} from '../src/index.js';
import { messageOf } from './helpers/messages.js';
import { runFixture } from './helpers/threads.js';

const N = Number(process.env.PERF_STRESS_N ?? 20_000);

describe('SpscRing across threads', () => {
  it('delivers every number once, in order, with bulk and blocking pushes (small ring)', async () => {
    const ring = new SpscRing({ capacity: 64, type: 'float64' });
    const producer = runFixture('roles.ts', {
      role: 'spsc-producer',
      buffer: ring.buffer,
      count: N,
    });
    const out = new Float64Array(29);
    let expected = 0;
    while (expected < N) {
      if (expected % 2 === 0) {
        const v = await ring.popAsync(20_000);
        expect(v).toBe(expected);
        expected++;
      } else {
        const k = ring.tryPopMany(out);
        for (let i = 0; i < k; i++) if (out[i] !== expected++) expect(out[i]).toBe(expected - 1);
        if (k === 0) {
          const v = ring.pop(20_000);
          expect(v).toBe(expected);
          expected++;
        }
      }
    }
    await producer;
    expect(ring.tryPop()).toBeUndefined();
  });
});

describe('SpscByteRing across threads', () => {
  it('delivers every message intact and in order through wrap-around', async () => {
    const ring = new SpscByteRing({ capacity: 1024 });
    const count = Math.min(N, 30_000);
    const producer = runFixture('roles.ts', { role: 'byte-producer', buffer: ring.buffer, count });
    const scratch = new Uint8Array(ring.maxMessageBytes);
    for (let seq = 0; seq < count; seq++) {
      let n = ring.tryPopInto(scratch);
      if (n < 0) {
        const m = await ring.popAsync(20_000);
        expect(m).toBeDefined();
        scratch.set(m!);
        n = m!.length;
      }
      const want = messageOf(seq);
      if (n !== want.length || !want.every((b, i) => scratch[i] === b)) {
        expect({ seq, got: Array.from(scratch.subarray(0, n)) }).toEqual({
          seq,
          got: Array.from(want),
        });
      }
    }
    await producer;
  });
});

describe('MpmcQueue across threads', () => {
  const check = (perConsumer: number[][], producers: number, count: number) => {
    const all = perConsumer.flat();
    expect(all.length).toBe(producers * count);
    expect(new Set(all).size).toBe(all.length); // nothing duplicated
    for (const got of perConsumer) {
      // FIFO per producer, as seen by each consumer
      const last = new Map<number, number>();
      for (const v of got) {
        const id = Math.floor(v / 1_000_000);
        const seq = v % 1_000_000;
        expect(seq).toBeGreaterThan(last.get(id) ?? -1);
        last.set(id, seq);
      }
    }
  };

  it('2 producers → 1 consumer: no loss, no duplicates, FIFO per producer', async () => {
    const queue = new MpmcQueue({ capacity: 100 });
    const count = Math.floor(N / 2);
    const consumer = runFixture<number[]>('roles.ts', {
      role: 'mpmc-consumer',
      buffer: queue.buffer,
    });
    await Promise.all(
      [1, 2].map((id) =>
        runFixture('roles.ts', { role: 'mpmc-producer', buffer: queue.buffer, id, count }),
      ),
    );
    queue.push(-1);
    check([await consumer], 2, count);
  });

  it('1 producer → 2 consumers: no loss, no duplicates, FIFO per producer', async () => {
    const queue = new MpmcQueue({ capacity: 7, type: 'int32' });
    const count = N;
    const consumers = [0, 1].map(() =>
      runFixture<number[]>('roles.ts', { role: 'mpmc-consumer', buffer: queue.buffer }),
    );
    await runFixture('roles.ts', { role: 'mpmc-producer', buffer: queue.buffer, id: 1, count });
    queue.push(-1);
    queue.push(-1);
    check(await Promise.all(consumers), 1, count);
  });
});

describe('atomics under contention', () => {
  it('AtomicCounter, its CAS loop and BigAtomicCounter count exactly', async () => {
    const buffer = new SharedArrayBuffer(16);
    const count = N;
    await Promise.all(
      [0, 1, 2].map(() => runFixture('roles.ts', { role: 'counter', buffer, count })),
    );
    expect(AtomicCounter.from(buffer, 0).load()).toBe(3 * count);
    expect(AtomicCounter.from(buffer, 4).load()).toBe(6 * count);
    expect(BigAtomicCounter.from(buffer, 8).load()).toBe(BigInt(9 * count));
  });

  it('SharedSemaphore never lets more than its permits in', async () => {
    const sem = new SharedSemaphore(2);
    const stats = new SharedArrayBuffer(8);
    const count = Math.floor(N / 10);
    await Promise.all(
      [0, 1, 2, 3].map(() =>
        runFixture('roles.ts', { role: 'semaphore', buffer: sem.buffer, stats, count }),
      ),
    );
    const peak = AtomicCounter.from(stats, 4).load();
    expect(peak).toBeGreaterThanOrEqual(1);
    expect(peak).toBeLessThanOrEqual(2);
    expect(sem.available).toBe(2);
  });
});
