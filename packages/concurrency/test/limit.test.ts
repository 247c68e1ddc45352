import { AsyncLocalStorage } from 'node:async_hooks';
import pLimit, { limitFunction as pLimitFunction } from 'p-limit';
import { describe, expect, it } from 'vitest';
import { AbortError, joinAll, limit, limitFunction, mapConcurrent } from '../src/index.js';

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

// Each behaviour below is asserted of our limiter and of p-limit 7 itself, so a difference in
// scheduling shows up here as a failure on one side only.
describe('limit behaves as p-limit 7', () => {
  for (const [name, make, makeFunction] of [
    ['@perf/concurrency', limit, limitFunction],
    ['p-limit (reference)', pLimit, pLimitFunction],
  ] as const) {
    describe(name, () => {
      it('runs queued calls in the async context of their caller, not of the call that freed the slot', async () => {
        const run = make(2);
        const store = new AsyncLocalStorage<{ id: number }>();
        const seen: [number, number | undefined][] = [];
        const check = async (id: number) => {
          await Promise.resolve();
          seen.push([id, store.getStore()?.id]);
        };
        await Promise.all(
          Array.from({ length: 20 }, (_, id) => store.run({ id }, () => run(check, id))),
        );
        expect(seen.length).toBe(20);
        for (const [id, stored] of seen) expect(stored).toBe(id);
      });

      it('runs every call asynchronously, never inside the limit() call', async () => {
        const run = make(3);
        let value = 1;
        let calls = 0;
        const one = run(() => {
          calls++;
          return value;
        });
        expect(calls).toBe(0);
        value = 2;
        expect(await one).toBe(2);
        expect(calls).toBe(1);
      });

      it('counts a call that got a slot as active at once, before its fn starts', async () => {
        const run = make(2);
        const gate = deferred();
        const calls = [1, 2, 3].map(() => run(() => gate.promise));
        expect(run.activeCount).toBe(2);
        expect(run.pendingCount).toBe(1);
        gate.resolve();
        await Promise.all(calls);
        expect(run.activeCount).toBe(0);
        expect(run.pendingCount).toBe(0);
      });

      it('accepts an options object { concurrency }', async () => {
        const run = make({ concurrency: 1 });
        expect(run.concurrency).toBe(1);
        let peak = 0;
        let active = 0;
        const task = async () => {
          peak = Math.max(peak, ++active);
          await flush();
          active--;
        };
        await Promise.all([run(task), run(task), run(task)]);
        expect(peak).toBe(1);
      });

      it('accepts Infinity as the concurrency', async () => {
        const run = make(Number.POSITIVE_INFINITY);
        const gate = deferred();
        const calls = Array.from({ length: 50 }, () => run(() => gate.promise));
        expect(run.activeCount).toBe(50);
        gate.resolve();
        await Promise.all(calls);
      });

      it('rejects a bad concurrency with a TypeError', () => {
        for (const bad of [0, -1, 1.5, Number.NaN, undefined, true, '2', {}, { concurrency: 0 }]) {
          expect(() => make(bad as never)).toThrow(TypeError);
        }
        const run = make(1);
        expect(() => {
          run.concurrency = 0;
        }).toThrow(TypeError);
        expect(() => make({ concurrency: 1, rejectOnClear: 'yes' } as never)).toThrow(TypeError);
      });

      it('clearQueue leaves the discarded calls pending by default, so nothing rejects unhandled', async () => {
        const run = make(1);
        const gate = deferred();
        const first = run(() => gate.promise);
        let settled = false;
        const discarded = run(() => 'never');
        void discarded.then(
          () => (settled = true),
          () => (settled = true),
        );
        run.clearQueue();
        expect(run.pendingCount).toBe(0);
        gate.resolve();
        await first;
        await flush();
        expect(settled).toBe(false);
        expect(await run(() => 'still usable')).toBe('still usable');
      });

      it('clearQueue rejects the discarded calls with an AbortError when rejectOnClear is true', async () => {
        const run = make({ concurrency: 1, rejectOnClear: true });
        const gate = deferred();
        const first = run(() => gate.promise);
        const discarded = [run(() => 'never'), run(() => 'never')];
        expect(run.pendingCount).toBe(2);
        run.clearQueue();
        expect(run.pendingCount).toBe(0);
        expect(run.activeCount).toBe(1);
        for (const call of discarded)
          await expect(call).rejects.toMatchObject({ name: 'AbortError' });
        gate.resolve();
        await first;
        expect(run.activeCount).toBe(0);
        expect(await run.map([1, 2], (x) => x * 2)).toEqual([2, 4]);
      });

      it('map passes the index, keeps input order and takes any iterable', async () => {
        const run = make(2);
        const out = await run.map(new Set([10, 20, 30]), async (x, i) => {
          await flush();
          return x + i;
        });
        expect(out).toEqual([10, 21, 32]);
        const { map } = run; // detached from the limiter
        expect(await map([1, 2].values(), (x) => x * 3)).toEqual([3, 6]);
      });

      it('map rejects with the error of an iterable that throws', async () => {
        const run = make(1);
        function* items() {
          yield 1;
          throw new RangeError('iteration failed');
        }
        await expect(run.map(items(), (x) => x)).rejects.toThrow(RangeError);
      });

      it('limitFunction limits one function and exposes its clearQueue', async () => {
        let active = 0;
        let peak = 0;
        const limited = makeFunction(
          async (x: number) => {
            peak = Math.max(peak, ++active);
            await flush();
            active--;
            return x * 2;
          },
          { concurrency: 2 },
        );
        expect(await Promise.all([1, 2, 3, 4, 5].map((x) => limited(x)))).toEqual([2, 4, 6, 8, 10]);
        expect(peak).toBe(2);
        expect(typeof limited.clearQueue).toBe('function');
      });
    });
  }

  it('clearQueue with rejectOnClear rejects with our AbortError (code PERF_CONCURRENCY_ABORTED)', async () => {
    const run = limit({ concurrency: 1, rejectOnClear: true });
    const gate = deferred();
    void run(() => gate.promise);
    const discarded = run(() => 'never');
    run.clearQueue();
    const error = await discarded.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(error).toMatchObject({ code: 'PERF_CONCURRENCY_ABORTED' });
    gate.resolve();
  });

  it('a discarded call awaited inside another limited call still frees the outer slot', async () => {
    const inner = limit({ concurrency: 1, rejectOnClear: true });
    const outer = limit(1);
    const gate = deferred();
    void inner(() => gate.promise);
    const doomed = inner(() => 'never');
    const wrapped = outer(() => doomed);
    inner.clearQueue();
    await expect(wrapped).rejects.toMatchObject({ name: 'AbortError' });
    expect(outer.activeCount).toBe(0);
    expect(await outer(() => 'next')).toBe('next');
    gate.resolve();
  });

  it('throws a TypeError at once when fn is not a function', () => {
    const run = limit(1);
    expect(() => run(42 as never)).toThrow(TypeError);
    expect(() => limitFunction(42 as never, 1)).toThrow(TypeError);
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
