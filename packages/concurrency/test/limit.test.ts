import pLimit from 'p-limit';
import { describe, expect, it } from 'vitest';
import { joinAll, limit, mapConcurrent } from '../src/index.js';

/** A deferred promise: tests decide when each task finishes, so nothing depends on timing. */
const deferred = <T = void>() => {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise, resolve, reject };
};
const flush = () => new Promise<void>((r) => setImmediate(r));

describe('limit (p-limit call shape)', () => {
  for (const [name, make] of [
    ['@perf/concurrency limit', limit],
    ['p-limit (reference)', pLimit],
  ] as const) {
    it(`${name}: runs at most N at once, in order, passing args and results through`, async () => {
      const run = make(2);
      const gates = [0, 1, 2, 3, 4].map(() => deferred<number>());
      const started: number[] = [];
      const results = gates.map((g, i) =>
        run(async (x: number) => {
          started.push(x);
          return g.promise;
        }, i),
      );
      await flush();
      expect(started).toEqual([0, 1]);
      expect(run.activeCount).toBe(2);
      expect(run.pendingCount).toBe(3);
      gates[1]!.resolve(11);
      await flush();
      expect(started).toEqual([0, 1, 2]);
      gates[0]!.reject(new Error('boom'));
      for (const [i, g] of gates.entries()) if (i > 1) g.resolve(i * 11);
      await expect(results[0]).rejects.toThrow('boom');
      expect(await Promise.all(results.slice(1))).toEqual([11, 22, 33, 44]);
      expect(run.activeCount).toBe(0);
    });
  }

  it('raising concurrency starts waiting calls', async () => {
    const run = limit(1);
    const gate = deferred();
    void run(() => gate.promise);
    const waiting = run(() => 'never');
    const later = run(() => 'later');
    expect(run.pendingCount).toBe(2);
    run.concurrency = 2;
    expect(await waiting).toBe('never');
    expect(await later).toBe('later');
    gate.resolve();
  });

  it('clearQueue rejects queued calls with PERF_CONCURRENCY_ABORTED', async () => {
    const run = limit(1);
    const gate = deferred();
    const first = run(() => gate.promise);
    const queued = run(() => 'never');
    run.clearQueue();
    await expect(queued).rejects.toMatchObject({ code: 'PERF_CONCURRENCY_ABORTED' });
    gate.resolve();
    await first;
    expect(await run.map([1, 2, 3], async (x) => x * 2)).toEqual([2, 4, 6]);
  });

  it('a synchronous throw becomes a rejection and frees the slot', async () => {
    const run = limit(1);
    await expect(
      run(() => {
        throw new TypeError('sync');
      }),
    ).rejects.toThrow(TypeError);
    expect(await run(() => 1)).toBe(1);
  });
});

describe('mapConcurrent', () => {
  it('keeps input order, respects the limit and rejects on the first failure', async () => {
    let active = 0;
    let peak = 0;
    const out = await mapConcurrent([5, 1, 4, 2, 3], 2, async (x, i) => {
      peak = Math.max(peak, ++active);
      await flush();
      active--;
      return x * 10 + i;
    });
    expect(out).toEqual([50, 11, 42, 23, 34]);
    expect(peak).toBe(2);
    const started: number[] = [];
    await expect(
      mapConcurrent([1, 2, 3, 4], 1, async (x) => {
        started.push(x);
        if (x === 2) throw new Error('two');
        return x;
      }),
    ).rejects.toThrow('two');
    await flush();
    expect(started).toEqual([1, 2]);
    expect(await mapConcurrent([], 3, (x) => x)).toEqual([]);
  });

  it('rejects with an AbortError when its signal aborts', async () => {
    const controller = new AbortController();
    const gate = deferred();
    const p = mapConcurrent([1, 2], 1, () => gate.promise, { signal: controller.signal });
    controller.abort();
    await expect(p).rejects.toMatchObject({ code: 'PERF_CONCURRENCY_ABORTED' });
    gate.resolve();
  });
});

describe('joinAll', () => {
  it('collects every value and every failure, in order', async () => {
    const r = await joinAll<number>([
      Promise.resolve(1),
      () => 2,
      () => Promise.reject(new Error('x')),
      async () => {
        throw new Error('y');
      },
      () => 5,
    ]);
    expect(r.ok).toBe(false);
    expect(r.values).toEqual([1, 2, 5]);
    expect(r.errors.map((e) => (e as Error).message)).toEqual(['x', 'y']);
    expect(r.results.map((s) => s.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    expect((await joinAll([])).ok).toBe(true);
  });

  it('starts task functions at most `concurrency` at a time', async () => {
    let active = 0;
    let peak = 0;
    const task = async () => {
      peak = Math.max(peak, ++active);
      await flush();
      active--;
      return 1;
    };
    const r = await joinAll(
      Array.from({ length: 9 }, () => task),
      { concurrency: 3 },
    );
    expect(r.values.length).toBe(9);
    expect(peak).toBe(3);
  });
});
