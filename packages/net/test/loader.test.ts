import DataLoader from 'dataloader';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Loader } from '../src/index.js';
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

describe('Loader beyond DataLoader', () => {
  it('with cache: false still de-duplicates within a batch (DataLoader does not), but refetches across ticks', async () => {
    const calls: string[][] = [];
    const loader = new Loader<string, string>(
      async (keys) => {
        calls.push(keys);
        return keys;
      },
      { cache: false },
    );
    await Promise.all([loader.load('a'), loader.load('a')]);
    await loader.load('a');
    expect(calls).toEqual([['a'], ['a']]);
  });

  it('a whole-batch failure rejects every key with PERF_NET_BATCH_FAILED and the cause', async () => {
    const boom = new Error('backend down');
    const loader = new Loader<string, string>(() => Promise.reject(boom));
    const errs = await Promise.all([
      loader.load('a').catch((e) => e),
      loader.load('b').catch((e) => e),
    ]);
    for (const e of errs) {
      expect(e.code).toBe('PERF_NET_BATCH_FAILED');
      expect(e.cause).toBe(boom);
    }
  });

  it('a batch function returning the wrong count fails every key of the batch', async () => {
    const loader = new Loader<string, string>(async (keys) => keys.slice(1));
    const errs = await Promise.all([
      loader.load('a').catch((e) => e),
      loader.load('b').catch((e) => e),
    ]);
    expect(errs.map((e) => e.code)).toEqual(['PERF_NET_BATCH_FAILED', 'PERF_NET_BATCH_FAILED']);
  });

  it('a batch function that throws synchronously or returns no promise fails the batch', async () => {
    const sync = new Loader<string, string>(() => {
      throw new Error('sync');
    });
    expect((await sync.load('a').catch((e) => e)).code).toBe('PERF_NET_BATCH_FAILED');
    const notPromise = new Loader<string, string>(() => ['x'] as never);
    expect((await notPromise.load('a').catch((e) => e)).code).toBe('PERF_NET_BATCH_FAILED');
  });

  it('does not cache failures: the next load retries the key', async () => {
    let fail = true;
    const loader = new Loader<string, string>(async (keys) =>
      keys.map((k) => (fail ? new Error('transient') : k)),
    );
    await expect(loader.load('a')).rejects.toThrow('transient');
    fail = false;
    expect(await loader.load('a')).toBe('a');
  });

  it('uses cacheKeyFn for object keys', async () => {
    const calls: { id: number }[][] = [];
    const loader = new Loader<{ id: number }, number, number>(
      async (keys) => {
        calls.push(keys);
        return keys.map((k) => k.id * 10);
      },
      { cacheKeyFn: (k) => k.id },
    );
    expect(await Promise.all([loader.load({ id: 1 }), loader.load({ id: 1 })])).toEqual([10, 10]);
    expect(calls.length).toBe(1);
    expect(calls[0]!.length).toBe(1);
  });

  it('rejects bad arguments with TypeError/RangeError', () => {
    const fn = async (keys: string[]) => keys;
    expect(() => new Loader(null as never)).toThrow(TypeError);
    expect(() => new Loader(fn, { maxBatchSize: 0 })).toThrow(RangeError);
    expect(() => new Loader(fn, { cache: 'yes' as never })).toThrow(TypeError);
    expect(() => new Loader(fn).load(undefined as never)).toThrow(TypeError);
    expect(() => new Loader(fn).loadMany('abc' as never)).toThrow(TypeError);
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
              // Keys that failed are cleared in both, so caching differences never show.
              results.push(
                await loader
                  .loadMany(s.keys)
                  .then((vs) => vs.map((v) => (v instanceof Error ? v.message : v))),
              );
              for (const k of s.keys) if (k % 5 === 4) loader.clear(k);
              if (s.clear !== undefined) loader.clear(s.clear);
            }
            // Without a cache DataLoader sends duplicate keys (and spends batch slots on them),
            // so batch shapes are compared only with the cache on; results always.
            return cache ? { calls, results } : { results };
          };
          expect(await run(ours)).toEqual(await run(facebook));
        },
      ),
      { numRuns: RUNS },
    );
  });
});
