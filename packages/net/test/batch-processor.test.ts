import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BatchProcessor } from '../src/index.js';
import { ManualClock, settle } from './helpers/clock.js';
import { RUNS } from './helpers/data.js';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise, resolve, reject };
}

const double = (xs: number[]) => xs.map((x) => x * 2);

/** A handler that records its batches and answers with `answer(batch)`. */
function recording<T, R>(log: T[][], answer: (xs: T[]) => R[]) {
  return (xs: T[]) => {
    log.push(xs);
    return answer(xs);
  };
}
const same = <T>(xs: T[]) => xs;

describe('BatchProcessor flushing', () => {
  it('flushes on item count at once, without waiting for time', async () => {
    const clock = new ManualClock();
    const batches: number[][] = [];
    const b = new BatchProcessor(recording(batches, double), {
      maxItems: 3,
      clock,
    });
    const results = [1, 2, 3].map((x) => b.add(x));
    expect(batches).toEqual([[1, 2, 3]]);
    expect(await Promise.all(results)).toEqual([2, 4, 6]);
  });

  it('flushes on byte size; an item larger than maxBytes leaves alone', async () => {
    const clock = new ManualClock();
    const batches: string[][] = [];
    const b = new BatchProcessor(recording<string, string>(batches, same), { maxBytes: 10, clock });
    const all = ['aaaa', 'bbbb', 'cccc', 'dddddddddddddd', 'e'].map((x) => b.add(x));
    await settle();
    expect(batches).toEqual([['aaaa', 'bbbb'], ['cccc'], ['dddddddddddddd']]);
    clock.advance(10);
    await Promise.all(all);
    expect(batches.at(-1)).toEqual(['e']);
  });

  it('flushes when the OLDEST item has waited maxWaitMs, not on a fixed tick', async () => {
    const clock = new ManualClock();
    const batches: number[][] = [];
    const b = new BatchProcessor(recording<number, number>(batches, same), {
      maxWaitMs: 10,
      clock,
    });
    clock.advance(9); // a fixed 10 ms tick from construction would fire at t=10
    const first = b.add(1);
    clock.advance(5);
    const second = b.add(2);
    clock.advance(4); // t=18: oldest has waited 9 ms
    expect(batches).toEqual([]);
    clock.advance(1); // t=19: oldest has waited exactly 10 ms
    expect(batches).toEqual([[1, 2]]);
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    // The next oldest starts its own wait.
    clock.advance(3);
    const third = b.add(3);
    clock.advance(9);
    expect(batches.length).toBe(1);
    clock.advance(1);
    expect(batches).toEqual([[1, 2], [3]]);
    await third;
    expect(clock.pending).toBe(0);
  });

  it('a lone item leaves after exactly maxWaitMs', async () => {
    const clock = new ManualClock();
    let at = -1;
    const b = new BatchProcessor(
      (xs: number[]) => {
        at = clock.now();
        return xs;
      },
      { maxWaitMs: 25, clock },
    );
    const p = b.add(7);
    clock.advance(24);
    expect(at).toBe(-1);
    clock.advance(1);
    expect(at).toBe(25);
    expect(await p).toBe(7);
  });

  it('works on real timers too', async () => {
    const b = new BatchProcessor(double, { maxWaitMs: 1 });
    expect(await Promise.all([b.add(1), b.add(2)])).toEqual([2, 4]);
    await b.close();
  });
});

describe('BatchProcessor results and failures', () => {
  it('delivers each item its own result, and an Error slot fails that item alone', async () => {
    const b = new BatchProcessor(
      (xs: number[]) => xs.map((x) => (x === 2 ? new Error('two') : x)),
      {
        maxItems: 3,
      },
    );
    const [a, bad, c] = await Promise.allSettled([b.add(1), b.add(2), b.add(3)]);
    expect(a).toEqual({ status: 'fulfilled', value: 1 });
    expect(bad.status === 'rejected' && bad.reason.message).toBe('two');
    expect(c).toEqual({ status: 'fulfilled', value: 3 });
  });

  it('a handler that throws fails the whole batch with PERF_NET_BATCH_FAILED and the cause', async () => {
    const boom = new Error('db down');
    const b = new BatchProcessor<number, number>(
      () => {
        throw boom;
      },
      { maxItems: 2 },
    );
    const errors = await Promise.all([b.add(1).catch((e) => e), b.add(2).catch((e) => e)]);
    for (const e of errors) {
      expect(e.code).toBe('PERF_NET_BATCH_FAILED');
      expect(e.cause).toBe(boom);
      expect(e.size).toBe(2);
    }
  });

  it('a handler that returns the wrong number of results fails the batch', async () => {
    const b = new BatchProcessor((xs: number[]) => xs.slice(1), { maxItems: 2 });
    const errors = await Promise.all([b.add(1).catch((e) => e), b.add(2).catch((e) => e)]);
    expect(errors.map((e) => e.code)).toEqual(['PERF_NET_BATCH_FAILED', 'PERF_NET_BATCH_FAILED']);
  });

  it('a hung handler times out with PERF_NET_TIMEOUT and frees its slot', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const b = new BatchProcessor(
      (xs: number[]) => (++calls === 1 ? new Promise<number[]>(() => {}) : xs),
      { maxItems: 1, handlerTimeoutMs: 100, clock },
    );
    const hung = b.add(1).catch((e) => e);
    const next = b.add(2);
    await settle();
    expect(calls).toBe(1);
    clock.advance(100);
    const err = await hung;
    expect(err.code).toBe('PERF_NET_TIMEOUT');
    expect(err.timeoutMs).toBe(100);
    expect(await next).toBe(2);
    expect(calls).toBe(2);
  });
});

describe('BatchProcessor backpressure and close', () => {
  it('rejects with PERF_NET_QUEUE_FULL when asked to', async () => {
    const clock = new ManualClock();
    const b = new BatchProcessor(double, { maxPending: 2, whenFull: 'reject', clock });
    const ok = [b.add(1), b.add(2)];
    const err = await b.add(3).catch((e) => e);
    expect(err.code).toBe('PERF_NET_QUEUE_FULL');
    expect(err.capacity).toBe(2);
    clock.advance(10);
    expect(await Promise.all(ok)).toEqual([2, 4]);
  });

  it('parks items when full and admits them in order as room frees', async () => {
    const gate = deferred<void>();
    const batches: number[][] = [];
    let running = 0;
    let peak = 0;
    const b = new BatchProcessor(
      async (xs: number[]) => {
        running++;
        peak = Math.max(peak, running);
        batches.push(xs);
        await gate.promise;
        running--;
        return double(xs);
      },
      { maxItems: 2, maxPending: 2, concurrency: 1 },
    );
    const all = [1, 2, 3, 4, 5, 6, 7].map((x) => b.add(x));
    await settle();
    expect(b.stats()).toMatchObject({ running: 1, pending: 2, waiting: 3 });
    gate.resolve();
    expect(await Promise.all(all)).toEqual([2, 4, 6, 8, 10, 12, 14]);
    expect(batches.flat()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBe(1);
    await b.close();
  });

  it('close() flushes what is pending, then refuses new items with PERF_NET_CLOSED', async () => {
    const clock = new ManualClock();
    const b = new BatchProcessor(double, { maxWaitMs: 1_000, clock });
    const pending = [b.add(1), b.add(2)];
    await b.close();
    expect(await Promise.all(pending)).toEqual([2, 4]);
    const err = await b.add(3).catch((e) => e);
    expect(err.code).toBe('PERF_NET_CLOSED');
    expect(clock.pending).toBe(0);
  });

  it('close() waits for a running batch', async () => {
    const gate = deferred<void>();
    let finished = false;
    const b = new BatchProcessor(
      async (xs: number[]) => {
        await gate.promise;
        finished = true;
        return xs;
      },
      { maxItems: 1 },
    );
    const p = b.add(1);
    const closing = b.close();
    await settle();
    expect(finished).toBe(false);
    gate.resolve();
    await closing;
    expect(finished).toBe(true);
    expect(await p).toBe(1);
  });

  it('rejects bad options with TypeError/RangeError', () => {
    expect(() => new BatchProcessor(double, { maxItems: 0 })).toThrow(RangeError);
    expect(() => new BatchProcessor(double, { maxWaitMs: -1 })).toThrow(RangeError);
    expect(() => new BatchProcessor(double, { whenFull: 'drop' as never })).toThrow(TypeError);
    expect(() => new BatchProcessor(null as never)).toThrow(TypeError);
  });
});

describe('BatchProcessor model', () => {
  type Op = { kind: 'add'; size: number } | { kind: 'advance'; ms: number } | { kind: 'flush' };
  const op: fc.Arbitrary<Op> = fc.oneof(
    {
      weight: 5,
      arbitrary: fc.integer({ min: 1, max: 8 }).map((size) => ({ kind: 'add' as const, size })),
    },
    {
      weight: 3,
      arbitrary: fc.integer({ min: 0, max: 7 }).map((ms) => ({ kind: 'advance' as const, ms })),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'flush' as const }) },
  );

  it('every item is handled once, in order, in batches that respect every bound', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { maxLength: 60 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 4, max: 20 }),
        fc.integer({ min: 1, max: 6 }),
        async (ops, maxItems, maxBytes, maxWaitMs) => {
          const clock = new ManualClock();
          const enqueued = new Map<number, number>();
          const sizes = new Map<number, number>();
          const handled: number[] = [];
          let forced = false;
          const b = new BatchProcessor(
            (ids: number[]) => {
              const bytes = ids.reduce((s, id) => s + sizes.get(id)!, 0);
              expect(ids.length).toBeLessThanOrEqual(maxItems);
              if (ids.length > 1) expect(bytes).toBeLessThanOrEqual(maxBytes);
              // A batch leaves early only when full (by count or bytes) or forced by flush().
              const oldestWait = clock.now() - enqueued.get(ids[0]!)!;
              expect(oldestWait).toBeLessThanOrEqual(maxWaitMs);
              if (!forced && oldestWait < maxWaitMs) {
                const full = ids.length === maxItems || bytes + 8 > maxBytes;
                expect(full).toBe(true);
              }
              handled.push(...ids);
              return ids;
            },
            { maxItems, maxBytes, maxWaitMs, clock, sizeOf: (id) => sizes.get(id)! },
          );
          let next = 0;
          const results: Promise<number>[] = [];
          for (const o of ops) {
            // Let finished batches free their slot, as the event loop would between events.
            for (let i = 0; i < 4; i++) await null;
            if (o.kind === 'add') {
              const id = next++;
              enqueued.set(id, clock.now());
              sizes.set(id, o.size);
              results.push(b.add(id));
            } else if (o.kind === 'advance') {
              clock.advance(o.ms);
            } else {
              forced = true;
              await b.flush();
              forced = false;
            }
          }
          forced = true;
          await b.close();
          expect(handled).toEqual([...Array(next).keys()]);
          expect(await Promise.all(results)).toEqual([...Array(next).keys()]);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('BatchProcessor with async handlers', () => {
  it('never runs more than `concurrency` batches, whatever order they finish in', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
        async (concurrency, maxItems, finishOrder) => {
          const open: { items: number[]; finish: () => void }[] = [];
          let running = 0;
          let peak = 0;
          const b = new BatchProcessor(
            (items: number[]) =>
              new Promise<number[]>((resolve) => {
                running++;
                peak = Math.max(peak, running);
                open.push({
                  items,
                  finish: () => {
                    running--;
                    resolve(items.map((x) => -x));
                  },
                });
              }),
            { maxItems, concurrency, maxWaitMs: 0, maxPending: 1_000 },
          );
          const n = finishOrder.length;
          const results = Array.from({ length: n }, (_, i) => b.add(i));
          // Finish open batches in the order fast-check chose until every item is handled.
          for (let step = 0; open.length > 0 || b.stats().pending > 0; step++) {
            await new Promise<void>((r) => setImmediate(r));
            if (open.length === 0) continue;
            const pick = finishOrder[step % n]! % open.length;
            open.splice(pick, 1)[0]!.finish();
          }
          expect(await Promise.all(results)).toEqual(Array.from({ length: n }, (_, i) => -i));
          expect(peak).toBeLessThanOrEqual(concurrency);
          await b.close();
        },
      ),
      { numRuns: Math.max(10, RUNS / 3) },
    );
  });

  it('maxWaitMs: 0 sends a lone item on the next macrotask', async () => {
    const b = new BatchProcessor(double, { maxWaitMs: 0 });
    expect(await b.add(21)).toBe(42);
    await b.close();
  });
});
