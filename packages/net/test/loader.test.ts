import DataLoader from 'dataloader';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Loader } from '../src/index.js';
import { postPromiseJob } from '../src/internal/schedule.js';
import type { BatchLoadFn, LoaderOptions } from '../src/types.js';
import { RUNS } from './helpers/data.js';

interface LoaderLike<K, V> {
  load(key: K): Promise<V>;
  loadMany(keys: K[]): Promise<(V | Error)[]>;
  clear(key: K): unknown;
  clearAll(): unknown;
  prime(key: K, value: V): unknown;
}
type Factory = <K, V>(
  fn: (keys: K[]) => Promise<(V | Error)[]>,
  options?: { cache?: boolean; maxBatchSize?: number },
) => LoaderLike<K, V>;

const ours: Factory = (fn, options) => new Loader(fn, options);
const facebook: Factory = (fn, options) => new DataLoader((keys) => fn([...keys]), options);

/** The DataLoader contract: every test runs against @perf/net's Loader and against DataLoader. */
function loaderContract(name: string, make: Factory) {
  describe(`${name} (DataLoader contract)`, () => {
    function tracked(options?: { cache?: boolean; maxBatchSize?: number }) {
      const calls: string[][] = [];
      const loader = make<string, string>(async (keys) => {
        calls.push(keys);
        return keys.map((k) => (k.startsWith('bad') ? new Error(`no ${k}`) : k.toUpperCase()));
      }, options);
      return { calls, loader };
    }

    it('coalesces one tick of loads into one batch call', async () => {
      const { calls, loader } = tracked();
      expect(await Promise.all([loader.load('a'), loader.load('b'), loader.load('c')])).toEqual([
        'A',
        'B',
        'C',
      ]);
      expect(calls).toEqual([['a', 'b', 'c']]);
    });

    it('de-duplicates keys within a batch', async () => {
      const { calls, loader } = tracked();
      const [a1, b, a2] = await Promise.all([loader.load('a'), loader.load('b'), loader.load('a')]);
      expect([a1, b, a2]).toEqual(['A', 'B', 'A']);
      expect(calls).toEqual([['a', 'b']]);
    });

    it('caches across ticks until clear()', async () => {
      const { calls, loader } = tracked();
      await loader.load('a');
      await loader.load('a');
      expect(calls).toEqual([['a']]);
      loader.clear('a');
      await loader.load('a');
      loader.clearAll();
      await loader.load('a');
      expect(calls).toEqual([['a'], ['a'], ['a']]);
    });

    it('splits a tick by maxBatchSize', async () => {
      const { calls, loader } = tracked({ maxBatchSize: 2 });
      await Promise.all(['a', 'b', 'c', 'd', 'e'].map((k) => loader.load(k)));
      expect(calls).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    });

    it('delivers a per-key Error to that key alone', async () => {
      const { loader } = tracked();
      const [ok, bad] = await Promise.allSettled([loader.load('a'), loader.load('bad1')]);
      expect(ok).toEqual({ status: 'fulfilled', value: 'A' });
      expect(bad.status === 'rejected' && bad.reason.message).toBe('no bad1');
      const many = await loader.loadMany(['b', 'bad2']);
      expect(many[0]).toBe('B');
      expect(many[1]).toBeInstanceOf(Error);
    });

    it('joins loads issued from .then chains of the same tick', async () => {
      const { calls, loader } = tracked();
      await Promise.all([
        loader.load('a'),
        Promise.resolve().then(() => loader.load('b')),
        Promise.resolve()
          .then(() => null)
          .then(() => loader.load('c')),
      ]);
      expect(calls).toEqual([['a', 'b', 'c']]);
    });

    it('prime() seeds the cache', async () => {
      const { calls, loader } = tracked();
      loader.prime('x', 'primed');
      expect(await loader.load('x')).toBe('primed');
      expect(calls).toEqual([]);
    });
  });
}

loaderContract('Loader', ours);
loaderContract('DataLoader', facebook);

/** A loader that records its batch calls; keys starting with "bad" fail with an Error. */
function recorder<K = string>(options?: LoaderOptions<K, K>) {
  const calls: K[][] = [];
  const loader = new Loader<K, K>(async (keys) => {
    calls.push([...keys]);
    return keys.map((k) => (String(k).startsWith('bad') ? new Error(`no ${String(k)}`) : k));
  }, options);
  return { calls, loader };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Loader matches DataLoader 2.2.3 by default', () => {
  it('cache hits resolve with their batch, not before it', async () => {
    let release: () => void = () => {};
    const loader = new Loader<number, number>(
      (keys) => new Promise((resolve) => (release = () => resolve(keys))),
    );
    loader.prime(1, 1);
    const settled: number[] = [];
    const hit = loader.load(1).then((v) => settled.push(v));
    const miss = loader.load(2).then((v) => settled.push(v));
    await turn();
    expect(settled).toEqual([]);
    release();
    await Promise.all([hit, miss]);
    expect(settled.sort()).toEqual([1, 2]);
  });

  it('with maxBatchSize, a cache hit takes no slot of the batch and still waits for it', async () => {
    const calls: number[][] = [];
    let release: () => void = () => {};
    const loader = new Loader<number, number>(
      (keys) => {
        calls.push([...keys]);
        return new Promise((resolve) => (release = () => resolve(keys)));
      },
      { maxBatchSize: 1 },
    );
    loader.prime(1, 1);
    const settled: number[] = [];
    const hit = loader.load(1).then((v) => settled.push(v));
    const miss = loader.load(2).then((v) => settled.push(v));
    await turn();
    expect(calls).toEqual([[2]]); // the hit did not fill the one-key batch
    expect(settled).toEqual([]); // nor did it settle before that batch
    release();
    await Promise.all([hit, miss]);
    expect(settled.sort()).toEqual([1, 2]);
  });

  it('repeated keys within a tick fill maxBatchSize once each, as distinct keys', async () => {
    const { calls, loader } = recorder<string>({ maxBatchSize: 2 });
    const keys = ['p', 'q', 'p', 'p', 'q', 'r'];
    expect(await Promise.all(keys.map((k) => loader.load(k)))).toEqual(keys);
    expect(calls).toEqual([['p', 'q'], ['r']]);
  });

  it('failed fetches are cached: the next load fails without a fetch', async () => {
    const { calls, loader } = recorder();
    await expect(loader.load('bad')).rejects.toThrow('no bad');
    await expect(loader.load('bad')).rejects.toThrow('no bad');
    expect(calls).toEqual([['bad']]);
  });

  it('a rejected batch function propagates the original error to every load', async () => {
    const boom = new Error('backend down');
    const loader = new Loader<string, string>(() => Promise.reject(boom));
    const errs = await Promise.all([
      loader.load('a').catch((e: unknown) => e),
      loader.load('b').catch((e: unknown) => e),
    ]);
    expect(errs).toEqual([boom, boom]);
    expect(errs[0]).toBe(boom);
  });

  it('a whole-batch failure leaves nothing cached: the next load fetches again', async () => {
    let fail = true;
    const calls: string[][] = [];
    const loader = new Loader<string, string>(async (keys) => {
      calls.push([...keys]);
      if (fail) throw new Error('down');
      return keys;
    });
    await expect(loader.load('a')).rejects.toThrow('down');
    fail = false;
    expect(await loader.load('a')).toBe('a');
    expect(calls).toEqual([['a'], ['a']]);
  });

  it('no de-dupe with cache: false: repeated keys are sent repeatedly', async () => {
    const { calls, loader } = recorder({ cache: false });
    await Promise.all([loader.load('a'), loader.load('a'), loader.loadMany(['b', 'a'])]);
    expect(calls).toEqual([['a', 'a', 'b', 'a']]);
  });

  it('cacheKeyFn is not called with cache: false', async () => {
    let called = 0;
    const cacheKeyFn = (k: string) => {
      called++;
      return k;
    };
    const { loader } = recorder({ cache: false, cacheKeyFn });
    await loader.load('a');
    loader.clear('a');
    loader.prime('a', 'x');
    expect(called).toBe(0);
  });

  it('cacheMap: null disables the cache', async () => {
    const { calls, loader } = recorder({ cacheMap: null });
    await loader.load('a');
    await loader.load('a');
    expect(calls).toEqual([['a'], ['a']]);
  });

  it('prime() of an error surfaces like DataLoader: an uncaught load of it is an unhandled rejection', async () => {
    const seen: unknown[] = [];
    const onUnhandled = (reason: unknown) => seen.push(reason);
    const others = process.listeners('unhandledRejection');
    process.removeAllListeners('unhandledRejection');
    process.on('unhandledRejection', onUnhandled);
    try {
      const loader = new Loader<number, number>(async (keys) => keys);
      const primed = new Error('primed');
      loader.prime(1, primed);
      await turn(); // a primed error nobody loads is not reported
      expect(seen).toEqual([]);
      void loader.load(1); // a load of it that nobody catches is
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(seen).toEqual([primed]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      for (const l of others) process.on('unhandledRejection', l);
    }
  });

  it('name option: readable as loader.name, null by default', () => {
    const fn = async (keys: string[]) => keys;
    expect(new Loader(fn).name).toBeNull();
    expect(new Loader(fn, { name: 'users' }).name).toBe('users');
  });

  it('batch: false sends every key in its own batch', async () => {
    const { calls, loader } = recorder({ batch: false });
    await Promise.all([loader.load('a'), loader.load('b')]);
    expect(calls).toEqual([['a'], ['b']]);
  });

  it('batchScheduleFn decides when a batch leaves, called with the loader as this', async () => {
    const pending: (() => void)[] = [];
    let self: unknown;
    const { calls, loader } = recorder({
      batchScheduleFn(callback) {
        self = this;
        pending.push(callback);
      },
    });
    const a = loader.load('a');
    const b = loader.load('b');
    await turn();
    expect(calls).toEqual([]);
    expect(self).toBe(loader);
    for (const run of pending.splice(0)) run();
    expect(await Promise.all([a, b])).toEqual(['a', 'b']);
    expect(calls).toEqual([['a', 'b']]);
  });

  it('the batch function and cacheKeyFn are called with the loader as this', async () => {
    const seen: unknown[] = [];
    const loader: Loader<string, string> = new Loader(
      async function (this: unknown, keys: string[]) {
        seen.push(this);
        return keys;
      },
      {
        cacheKeyFn(this: unknown, k: string) {
          seen.push(this);
          return k;
        },
      },
    );
    await loader.load('a');
    expect(seen).toEqual([loader, loader]);
  });

  it('nextTick → setImmediate → setTimeout fallback: each schedule still batches one tick', async () => {
    const used: string[] = [];
    const timers = {
      nextTick: (fn: () => void) => {
        used.push('nextTick');
        process.nextTick(fn);
      },
      setImmediate: (fn: () => void) => {
        used.push('setImmediate');
        setImmediate(fn);
      },
      setTimeout: (fn: () => void) => {
        used.push('setTimeout');
        setTimeout(fn);
      },
    };
    const variants = [
      timers,
      { ...timers, nextTick: undefined },
      { ...timers, nextTick: null, setImmediate: undefined },
    ];
    for (const variant of variants) {
      const calls: number[][] = [];
      const loader = new Loader<number, number>(
        async (keys) => {
          calls.push([...keys]);
          return keys;
        },
        { batchScheduleFn: postPromiseJob(variant) },
      );
      expect(await Promise.all([loader.load(1), loader.load(2)])).toEqual([1, 2]);
      expect(calls).toEqual([[1, 2]]);
    }
    expect(used).toEqual(['nextTick', 'setImmediate', 'setTimeout']);
  });

  it("DataLoader's exact TypeError messages for bad arguments", () => {
    const fn = async (keys: string[]) => keys;
    const message = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        expect(err).toBeInstanceOf(TypeError);
        return (err as Error).message;
      }
      return undefined;
    };
    expect(message(() => new Loader(undefined as never))).toBe(
      'DataLoader must be constructed with a function which accepts Array<key> and returns Promise<Array<value>>, but got: undefined.',
    );
    expect(message(() => new Loader(fn).load(null as never))).toBe(
      'The loader.load() function must be called with a value, but got: null.',
    );
    expect(message(() => new Loader(fn).loadMany(1 as never))).toBe(
      'The loader.loadMany() function must be called with Array<key> but got: 1.',
    );
    expect(message(() => new Loader(fn, { maxBatchSize: 0 }))).toBe(
      'maxBatchSize must be a positive number: 0',
    );
    expect(message(() => new Loader(fn, { cacheKeyFn: null as never }))).toBe(
      'cacheKeyFn must be a function: null',
    );
  });

  it('throws for a cacheMap without Map methods, maxBatchSize: null and an unknown batchScheduleFn', () => {
    const fn = async (keys: string[]) => keys;
    expect(() => new Loader(fn, { cacheMap: { get() {} } as never })).toThrow(
      'Custom cacheMap missing methods: set, delete, clear',
    );
    expect(() => new Loader(fn, { maxBatchSize: null as never })).toThrow(
      'maxBatchSize must be a positive number: null',
    );
    expect(() => new Loader(fn, { batchScheduleFn: 'soon' as never })).toThrow(
      'batchScheduleFn must be a function: soon',
    );
  });

  it("a batch function with the wrong result shape fails every load with DataLoader's message", async () => {
    const cases: [BatchLoadFn<number, number>, string][] = [
      [() => null as never, 'did not return a Promise: null.'],
      [async () => null as never, 'did not return a Promise of an Array: null.'],
      [async () => [], 'of the same length as the Array of keys.\n\nKeys:\n1\n\nValues:\n'],
      [
        () => {
          throw new Error('sync');
        },
        'errored synchronously: Error: sync.',
      ],
    ];
    for (const [fn, tail] of cases) {
      const err = await new Loader(fn).load(1).catch((e: unknown) => e as Error);
      expect(err).toBeInstanceOf(TypeError);
      expect((err as Error).message.endsWith(tail)).toBe(true);
    }
  });
});

describe('Loader options beyond DataLoader (off by default)', () => {
  it('cacheErrors: false drops a failed key, so the next load retries it', async () => {
    let fail = true;
    const loader = new Loader<string, string>(
      async (keys) => keys.map((k) => (fail ? new Error('transient') : k)),
      { cacheErrors: false },
    );
    await expect(loader.load('a')).rejects.toThrow('transient');
    fail = false;
    expect(await loader.load('a')).toBe('a');
  });

  it("cacheHits: 'immediately' returns the cached promise without waiting for the tick's batch", async () => {
    let release: () => void = () => {};
    const loader = new Loader<number, number>(
      (keys) => new Promise((resolve) => (release = () => resolve(keys))),
      { cacheHits: 'immediately' },
    );
    loader.prime(1, 1);
    const miss = loader.load(2);
    expect(await loader.load(1)).toBe(1); // settles while the batch of 2 is still open
    await turn();
    release();
    expect(await miss).toBe(2);
  });

  it('dedupe: true with cache: false sends each distinct key once per batch', async () => {
    const { calls, loader } = recorder({ cache: false, dedupe: true });
    expect(await Promise.all([loader.load('a'), loader.load('a'), loader.load('b')])).toEqual([
      'a',
      'a',
      'b',
    ]);
    await loader.load('a');
    expect(calls).toEqual([['a', 'b'], ['a']]);
  });

  it('rejects option values of the wrong type with TypeError', () => {
    const fn = async (keys: string[]) => keys;
    expect(() => new Loader(fn, { cache: 'yes' as never })).toThrow(TypeError);
    expect(() => new Loader(fn, { cacheErrors: 1 as never })).toThrow(TypeError);
    expect(() => new Loader(fn, { cacheHits: 'later' as never })).toThrow(TypeError);
  });
});

describe('Loader against DataLoader (differential)', () => {
  it('gives identical results and identical batch calls for random workloads', async () => {
    const step = fc.record({
      keys: fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 12 }),
      clear: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 8 }),
        fc.boolean(),
        fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
        async (steps, cache, maxBatchSize) => {
          const run = async (make: Factory) => {
            const calls: number[][] = [];
            const loader = make<number, string>(
              async (keys) => {
                calls.push(keys);
                return keys.map((k) => (k % 5 === 4 ? new Error(`e${k}`) : `v${k}`));
              },
              { cache, ...(maxBatchSize ? { maxBatchSize } : {}) },
            );
            const results: unknown[] = [];
            for (const s of steps) {
              results.push(
                await loader
                  .loadMany(s.keys)
                  .then((vs) => vs.map((v) => (v instanceof Error ? v.message : v))),
              );
              if (s.clear !== undefined) loader.clear(s.clear);
            }
            return { calls, results };
          };
          expect(await run(ours)).toEqual(await run(facebook));
        },
      ),
      { numRuns: RUNS },
    );
  });
});
