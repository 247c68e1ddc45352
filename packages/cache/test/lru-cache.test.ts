// LruCache on quick-lru: the declared bound holds although quick-lru keeps two generations.
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LruCache, type RemovalCause } from '../src/index.js';

afterEach(() => vi.useRealTimers());

describe('LruCache', () => {
  it('never holds more than maximumSize and at least half of it once full', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 500 }),
        (maximumSize, keys) => {
          const cache = new LruCache<number, number>({ maximumSize });
          const seen = new Set<number>();
          for (const key of keys) {
            if (cache.get(key) === undefined) cache.set(key, key);
            seen.add(key);
            const resident = [...cache].length;
            expect(resident).toBe(cache.size);
            expect(resident).toBeLessThanOrEqual(maximumSize);
            expect(resident).toBeGreaterThanOrEqual(
              Math.min(seen.size, Math.floor((maximumSize + 1) / 2)),
            );
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('regression: overwriting a key at maximumSize 1 reports one replacement, no eviction', () => {
    const events: [number, number, RemovalCause][] = [];
    const cache = new LruCache<number, number>({
      maximumSize: 1,
      onEvict: (k, v, cause) => events.push([k, v, cause]),
    });
    cache.set(8, 1).set(8, 2).set(8, 3);
    expect(cache.get(8)).toBe(3);
    expect(cache.size).toBe(1);
    expect(events).toEqual([
      [8, 1, 'replaced'],
      [8, 2, 'replaced'],
    ]);
    expect(() => cache.set(8, 4, { ttl: -1 })).toThrow(RangeError);
    expect(cache.get(8)).toBe(3);
    expect(cache.size).toBe(1);
  });

  it('keeps the most recently used entries', () => {
    const cache = new LruCache<number, number>({ maximumSize: 3 });
    cache.set(1, 1).set(2, 2);
    cache.get(1);
    cache.set(3, 3).set(4, 4);
    expect(cache.has(1)).toBe(true);
    expect(cache.has(4)).toBe(true);
    expect(cache.size).toBeLessThanOrEqual(3);
  });

  it('reports generation drops as "size" and timed-out entries as "expired"', () => {
    vi.useFakeTimers();
    const events: [number, RemovalCause][] = [];
    const cache = new LruCache<number, number>({
      maximumSize: 4,
      ttl: 1000,
      onEvict: (key, _v, cause) => events.push([key, cause]),
    });
    for (let i = 0; i < 6; i++) cache.set(i, i);
    expect(events.every(([, cause]) => cause === 'size')).toBe(true);
    expect(events.length).toBe(6 - cache.size);
    events.length = 0;
    vi.advanceTimersByTime(1000);
    const resident = [...cache.entries()];
    expect(resident).toEqual([]);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every(([, cause]) => cause === 'expired')).toBe(true);
    expect(cache.size).toBe(0);
  });

  it('honours a per-entry TTL', () => {
    vi.useFakeTimers();
    const cache = new LruCache<string, number>({ maximumSize: 10 });
    cache.set('brief', 1, { ttl: 10 });
    cache.set('forever', 2);
    vi.advanceTimersByTime(10);
    expect(cache.get('brief')).toBeUndefined();
    expect(cache.get('forever')).toBe(2);
  });
});

// quick-lru's method surface, one case per behaviour (with maximumSize = 2 × quick-lru's maxSize).
describe('LruCache: quick-lru surface', () => {
  const filled = (maximumSize: number, n: number) => {
    const cache = new LruCache<string, number>({ maximumSize });
    for (let i = 1; i <= n; i++) cache.set(String(i), i);
    return cache;
  };

  it('keys() and values() list each live key once, overwritten keys included', () => {
    const cache = new LruCache<string, number>({ maximumSize: 4 });
    cache.set('a', 1).set('b', 1).set('b', 2);
    expect([...cache.keys()].sort()).toEqual(['a', 'b']);
    expect([...cache.values()].sort()).toEqual([1, 2]);
    expect(cache.size).toBe(2);
  });

  it('entriesAscending() is least recent first, entriesDescending() most recent first', () => {
    const cache = new LruCache<string, number>({ maximumSize: 6 });
    cache.set('t', 1).set('q', 2).set('a', 8).set('t', 4).set('v', 3);
    expect([...cache.entriesDescending()]).toEqual([
      ['v', 3],
      ['t', 4],
      ['a', 8],
      ['q', 2],
    ]);
    expect([...cache.entriesAscending()]).toEqual([
      ['q', 2],
      ['a', 8],
      ['t', 4],
      ['v', 3],
    ]);
    expect([...cache.entries()]).toEqual([...cache.entriesAscending()]);
  });

  it('forEach() visits live entries oldest first with (value, key, cache)', () => {
    const cache = filled(6, 3);
    const seen: [number, string][] = [];
    cache.forEach((value, key, self) => {
      expect(self).toBe(cache);
      seen.push([value, key]);
    });
    expect(seen).toEqual([
      [1, '1'],
      [2, '2'],
      [3, '3'],
    ]);
  });

  it('expiresIn() is undefined when absent, Infinity without ttl, the remaining ms with one', () => {
    vi.useFakeTimers();
    const cache = new LruCache<string, number>({ maximumSize: 10 });
    expect(cache.expiresIn('none')).toBeUndefined();
    cache.set('forever', 1).set('brief', 2, { ttl: 100 });
    expect(cache.expiresIn('forever')).toBe(Number.POSITIVE_INFINITY);
    vi.advanceTimersByTime(40);
    expect(cache.expiresIn('brief')).toBe(60);
    vi.advanceTimersByTime(100);
    expect(cache.expiresIn('brief')).toBeLessThanOrEqual(0); // reported, not removed
  });

  it('resize() keeps the ⌊(maximumSize + 1) / 2⌋ most recent entries and reports the rest', () => {
    const evicted: [string, RemovalCause][] = [];
    const cache = new LruCache<string, number>({
      maximumSize: 20,
      onEvict: (key, _v, cause) => evicted.push([key, cause]),
    });
    for (let i = 0; i < 10; i++) cache.set(String(i), i);
    cache.resize(12);
    expect(cache.maximumSize).toBe(12);
    expect(cache.size).toBe(6);
    expect(evicted).toEqual(['0', '1', '2', '3'].map((k) => [k, 'size']));
    expect([...cache.keys()]).toEqual(['4', '5', '6', '7', '8', '9']);
    expect(() => cache.resize(0)).toThrow(RangeError);
  });

  it('resize() up lets the cache grow to the new bound', () => {
    const cache = filled(4, 2);
    cache.resize(6);
    for (let i = 3; i <= 5; i++) cache.set(String(i), i);
    expect([...cache.keys()]).toEqual(['1', '2', '3', '4', '5']);
  });

  it('evict(count) drops the least recent entries but always keeps the most recent one', () => {
    const cache = filled(10, 5);
    cache.evict(2);
    expect([...cache.keys()]).toEqual(['3', '4', '5']);
    cache.evict(Number.POSITIVE_INFINITY);
    expect([...cache.keys()]).toEqual(['5']);
    cache.evict(0);
    cache.evict(-1);
    expect(cache.size).toBe(1);
  });

  it('clear() empties the cache', () => {
    const cache = filled(4, 3);
    cache.clear();
    expect(cache.size).toBe(0);
    expect([...cache]).toEqual([]);
  });

  it('toString() and Symbol.toStringTag name the class, the count and the bound', () => {
    const cache = filled(4, 2);
    expect(String(cache)).toBe('LruCache(2/4)');
    expect(Object.prototype.toString.call(cache)).toBe('[object LruCache]');
  });

  it('size is the true resident count, never capped as quick-lru caps its own', () => {
    const cache = filled(6, 5); // quick-lru with maxSize 3 reports at most 3 here
    expect(cache.size).toBe([...cache].length);
    expect(cache.size).toBeGreaterThan(3);
  });

  it('undefined values are refused (undefined means absent for every @perf cache)', () => {
    const cache = new LruCache<string, unknown>({ maximumSize: 4 });
    expect(() => cache.set('a', undefined)).toThrow(TypeError);
    expect(cache.size).toBe(0);
  });

  it('overwrites in the old generation never surface as evictions of a resident key', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer()), { maxLength: 300 }),
        (maximumSize, writes) => {
          const live = new Map<number, number>();
          const cache = new LruCache<number, number>({
            maximumSize,
            onEvict: (key, value, cause) => {
              if (cause === 'size') {
                expect(live.get(key)).toBe(value); // the live value, not a stale copy's
                live.delete(key);
              }
            },
          });
          for (const [key, value] of writes) {
            cache.set(key, value);
            live.set(key, value);
            expect(cache.size).toBe(live.size);
            expect(cache.size).toBeLessThanOrEqual(maximumSize);
            expect(cache.get(key)).toBe(value);
          }
          expect(new Map(cache.entries())).toEqual(live);
        },
      ),
      { numRuns: 100 },
    );
  });
});
