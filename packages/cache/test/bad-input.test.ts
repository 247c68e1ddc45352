// Bad options and arguments throw TypeError/RangeError at once; fuzzed garbage never hangs,
// never corrupts the cache, and never gets silently accepted.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cache, LruCache, MultiLevelCache, WriteBack, WriteThrough } from '../src/index.js';

const RUNS = Number(process.env.PERF_FUZZ_RUNS ?? 100);

describe('bad options', () => {
  it.each([
    [{ maximumSize: 0 }, RangeError],
    [{ maximumSize: -1 }, RangeError],
    [{ maximumSize: 1.5 }, RangeError],
    [{ maximumSize: Number.NaN }, RangeError],
    [{ maximumSize: '10' }, TypeError],
    [{}, TypeError],
    [{ maximumSize: 10, ttl: -1 }, RangeError],
    [{ maximumSize: 10, tti: Number.NaN }, RangeError],
    [{ maximumSize: 10, ttl: '1s' }, TypeError],
    [{ maximumSize: 10, refreshAfter: 5 }, TypeError], // needs a loader
    [{ maximumSize: 10, policy: 'lfu' }, TypeError],
    [{ maximumSize: 10, onEvict: 'log' }, TypeError],
    [{ maximumWeight: 10 }, TypeError], // needs a weigher
    [{ maximumWeight: 0, weigher: (): number => 1 }, RangeError],
    [{ maximumWeight: Number.POSITIVE_INFINITY, weigher: (): number => 1 }, RangeError],
    [{ maximumWeight: 10, maximumSize: 10, weigher: (): number => 1 }, TypeError],
  ])('Cache(%o) throws %o', (options, type) => {
    expect(() => new Cache(options as never)).toThrow(type);
  });

  it('names the option and shows the value in the message', () => {
    expect(() => new Cache({ maximumSize: 0 })).toThrow(
      'Expected `maximumSize` to be an integer from 1 and up, got `0` (number)',
    );
  });

  it.each([
    [{ maximumSize: 0 }, RangeError],
    [{ maximumSize: 3, ttl: -5 }, RangeError],
    [{ maximumSize: 3, ttl: 0 }, RangeError],
    [null, TypeError],
  ])('LruCache(%o) throws %o', (options, type) => {
    expect(() => new LruCache(options as never)).toThrow(type);
  });

  it('rejects bad strategy and multi-level options', () => {
    const cache = new Cache<string, number>({ maximumSize: 2 });
    const backend = { write: async () => {} };
    expect(() => new WriteThrough({ cache, backend: {} as never })).toThrow(TypeError);
    expect(() => new WriteBack({ cache: 1 as never, backend })).toThrow(TypeError);
    expect(() => new WriteBack({ cache, backend, flushInterval: 0 })).toThrow(RangeError);
    expect(() => new WriteBack({ cache, backend, maxDirty: -1 })).toThrow(RangeError);
    expect(() => new WriteBack({ cache, backend, retries: -2 })).toThrow(RangeError);
    expect(() => new MultiLevelCache({ l1: cache, load: 'x' as never })).toThrow(TypeError);
    expect(() => new MultiLevelCache({ l1: {} as never, load: () => 1 })).toThrow(TypeError);
    expect(() => new MultiLevelCache({ l1: cache, load: () => 1, l2Ttl: -1 })).toThrow(RangeError);
  });

  it('accepts only valid bounds, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        let cache: Cache<number, number> | undefined;
        try {
          cache = new Cache({ maximumSize: value as number });
        } catch (error) {
          expect(error instanceof TypeError || error instanceof RangeError).toBe(true);
          return;
        }
        expect(Number.isInteger(value) && (value as number) >= 1).toBe(true);
        cache.set(1, 1);
        expect(cache.get(1)).toBe(1);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('bad weights and per-entry options', () => {
  it.each([[-1], [Number.NaN], [Number.POSITIVE_INFINITY], ['3'], [undefined]])(
    'a weigher returning %o throws and leaves the cache unchanged',
    (bad) => {
      const cache = new Cache<string, unknown>({
        maximumWeight: 100,
        weigher: (_k, v) => (v === 'bad' ? bad : 1) as number,
      });
      cache.set('a', 'good');
      expect(() => cache.set('a', 'bad')).toThrow(typeof bad === 'number' ? RangeError : TypeError);
      expect(() => cache.set('b', 'bad')).toThrow();
      expect([...cache]).toEqual([['a', 'good']]);
      expect(cache.weightedSize).toBe(1);
    },
  );

  it('a per-entry TTL that is not a duration throws and stores nothing', () => {
    const cache = new Cache<string, number>({ maximumSize: 10 });
    expect(() => cache.set('a', 1, { ttl: -1 })).toThrow(RangeError);
    expect(() => cache.set('a', 1, { tti: 'soon' as never })).toThrow(TypeError);
    expect(() => cache.set('a', 1, 5 as never)).toThrow(TypeError);
    expect(cache.size).toBe(0);
  });

  it('an entry heavier than the whole bound is evicted at once, as "size"', () => {
    const causes: string[] = [];
    const cache = new Cache<string, number>({
      maximumWeight: 10,
      weigher: (_k, v) => v,
      onEvict: (_k, _v, cause) => causes.push(cause),
    });
    cache.set('small', 3);
    cache.set('huge', 11);
    expect(cache.has('huge')).toBe(false);
    expect(cache.get('small')).toBe(3);
    expect(causes).toEqual(['size']);
  });

  it('fuzzed operation scripts with hostile keys and values never corrupt the cache', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.constantFrom('set', 'get', 'delete', 'has'), fc.anything(), fc.anything()),
          {
            maxLength: 200,
          },
        ),
        (script) => {
          const cache = new Cache<unknown, unknown>({ maximumSize: 8 });
          const latest = new Map<unknown, unknown>();
          for (const [op, key, value] of script) {
            if (op === 'set') {
              if (value === undefined) {
                expect(() => cache.set(key, value)).toThrow(TypeError);
              } else {
                cache.set(key, value);
                latest.set(key, value);
              }
            } else if (op === 'delete') {
              cache.delete(key);
              latest.delete(key);
            } else if (op === 'get') {
              const v = cache.get(key);
              if (v !== undefined) expect(v).toBe(latest.get(key));
            } else cache.has(key);
            expect(cache.size).toBeLessThanOrEqual(8);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
