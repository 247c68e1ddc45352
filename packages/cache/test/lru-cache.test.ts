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
