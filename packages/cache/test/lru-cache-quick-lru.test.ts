// LruCache as a quick-lru replacement: the behaviours a user switching over relies on, each
// under the documented mapping (maximumSize = 2 × quick-lru's maxSize, ttl for maxAge, onEvict
// for onEviction), and a differential property against quick-lru itself.
import fc from 'fast-check';
import QuickLRU from 'quick-lru';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LruCache, type RemovalCause } from '../src/index.js';

afterEach(() => vi.useRealTimers());

type Event = [string, unknown, RemovalCause];
const recorder = () => {
  const events: Event[] = [];
  return {
    events,
    onEvict: (k: string, v: unknown, cause: RemovalCause) => events.push([k, v, cause]),
  };
};

describe('LruCache evicts what quick-lru evicts', () => {
  it('holds the same entries in the same order as quick-lru({ maxSize: m }) with maximumSize 2m', () => {
    const op = fc.oneof(
      fc.tuple(fc.constant('set' as const), fc.integer({ min: 0, max: 24 }), fc.integer()),
      fc.tuple(fc.constant('get' as const), fc.integer({ min: 0, max: 24 }), fc.constant(0)),
      fc.tuple(fc.constant('peek' as const), fc.integer({ min: 0, max: 24 }), fc.constant(0)),
      fc.tuple(fc.constant('delete' as const), fc.integer({ min: 0, max: 24 }), fc.constant(0)),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(op, { maxLength: 300 }), (m, ops) => {
        const ours = new LruCache<number, number>({ maximumSize: 2 * m });
        const theirs = new QuickLRU<number, number>({ maxSize: m });
        for (const [name, key, value] of ops) {
          if (name === 'set') {
            ours.set(key, value);
            theirs.set(key, value);
          } else expect(ours[name](key)).toEqual(theirs[name](key));
          expect([...ours.entriesAscending()]).toEqual([...theirs.entriesAscending()]);
          expect(ours.size).toBeLessThanOrEqual(2 * m);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a key read from the old generation is moved up and survives the next drop', () => {
    const cache = new LruCache<string, number>({ maximumSize: 4 }); // generations of 2
    cache.set('1', 1).set('2', 2); // young full: becomes old
    cache.set('3', 3);
    expect(cache.get('1')).toBe(1); // moved up: young is full again, old {2} dropped
    cache.set('4', 4);
    expect([...cache.keys()]).toEqual(['3', '1', '4']);
  });

  it('one generation per key: overwriting an old-generation key moves it instead of copying it', () => {
    const { events, onEvict } = recorder();
    const cache = new LruCache<string, number>({ maximumSize: 4, onEvict });
    cache.set('a', 1).set('b', 1); // old {a, b}
    cache.set('b', 2); // moved to young
    cache.set('c', 3); // young {b, c} full: old {a} dropped
    expect(events).toEqual([
      ['b', 1, 'replaced'],
      ['a', 1, 'size'],
    ]);
    expect([...cache]).toEqual([
      ['b', 2],
      ['c', 3],
    ]);
    expect(cache.size).toBe(2);
  });
});

describe('LruCache expiry as quick-lru maxAge', () => {
  it('setting a key again refreshes its expiry', () => {
    vi.useFakeTimers();
    const cache = new LruCache<string, number>({ maximumSize: 20, ttl: 150 });
    cache.set('k', 1);
    vi.advanceTimersByTime(100);
    cache.set('k', 2);
    vi.advanceTimersByTime(100);
    expect(cache.get('k')).toBe(2);
    vi.advanceTimersByTime(50);
    expect(cache.get('k')).toBeUndefined();
  });

  it('a per-entry ttl overrides the cache ttl either way, Infinity included', () => {
    vi.useFakeTimers();
    const cache = new LruCache<string, number>({ maximumSize: 20, ttl: 1000 });
    cache
      .set('short', 1, { ttl: 100 })
      .set('long', 2, { ttl: 5000 })
      .set('forever', 3, { ttl: Infinity });
    cache.set('default', 4);
    vi.advanceTimersByTime(100);
    expect(cache.has('short')).toBe(false);
    vi.advanceTimersByTime(900);
    expect(cache.has('default')).toBe(false);
    expect(cache.has('long')).toBe(true);
    vi.advanceTimersByTime(1e9);
    expect(cache.expiresIn('forever')).toBe(Number.POSITIVE_INFINITY);
    expect([...cache.keys()]).toEqual(['forever']);
  });

  it('has(), peek() and get() remove an expired entry and report it as expired', () => {
    vi.useFakeTimers();
    const { events, onEvict } = recorder();
    const cache = new LruCache<string, number>({ maximumSize: 20, ttl: 100, onEvict });
    cache.set('a', 1).set('b', 2).set('c', 3);
    vi.advanceTimersByTime(100);
    expect(cache.has('a')).toBe(false);
    expect(cache.peek('b')).toBeUndefined();
    expect(cache.get('c')).toBeUndefined();
    expect(events).toEqual([
      ['a', 1, 'expired'],
      ['b', 2, 'expired'],
      ['c', 3, 'expired'],
    ]);
    expect(cache.size).toBe(0);
  });

  it('every iterator skips expired entries and removes them', () => {
    vi.useFakeTimers();
    const cache = new LruCache<string, number>({ maximumSize: 6, ttl: 100 }); // generations of 3
    cache.set('1', 1).set('2', 2).set('3', 3); // old {1, 2, 3}
    vi.advanceTimersByTime(100);
    cache.set('4', 4).set('5', 5); // young {4, 5}
    expect([...cache.entriesDescending()]).toEqual([
      ['5', 5],
      ['4', 4],
    ]);
    cache.set('6', 6, { ttl: 10 }); // young full: old {} dropped, old {4, 5, 6}
    vi.advanceTimersByTime(10);
    expect([...cache.keys()]).toEqual(['4', '5']);
    expect([...cache.values()]).toEqual([4, 5]);
    const seen: string[] = [];
    cache.forEach((_, key) => {
      seen.push(key);
    });
    expect(seen).toEqual(['4', '5']);
    expect(cache.size).toBe(2);
  });

  it('expired entries in a dropped generation are reported as expired, oldest first', () => {
    vi.useFakeTimers();
    const { events, onEvict } = recorder();
    const cache = new LruCache<string, string>({ maximumSize: 4, ttl: 100, onEvict });
    for (const key of ['1', '2', '3', '4', '5']) cache.set(key, `v${key}`);
    // old {3, 4}, young {5}: {1, 2} were dropped while live
    expect(events).toEqual([
      ['1', 'v1', 'size'],
      ['2', 'v2', 'size'],
    ]);
    vi.advanceTimersByTime(100);
    cache.set('6', 'v6'); // young {5, 6} full: old {3, 4} dropped, both expired
    expect(events.slice(-2)).toEqual([
      ['3', 'v3', 'expired'],
      ['4', 'v4', 'expired'],
    ]);
  });

  it('an expired entry counts as absent: overwriting reports it expired, delete returns false', () => {
    vi.useFakeTimers();
    const { events, onEvict } = recorder();
    const cache = new LruCache<string, number>({ maximumSize: 10, ttl: 50, onEvict });
    cache.set('a', 1).set('b', 2);
    vi.advanceTimersByTime(50);
    cache.set('a', 3);
    expect(cache.delete('b')).toBe(false);
    expect(events).toEqual([
      ['a', 1, 'expired'],
      ['b', 2, 'expired'],
    ]);
    expect(cache.size).toBe(1);
  });

  it('entries stored before the first one with a ttl keep living without expiry', () => {
    vi.useFakeTimers();
    const { events, onEvict } = recorder();
    const cache = new LruCache<string, number>({ maximumSize: 4, onEvict }); // generations of 2
    cache.set('a', 1).set('b', 2).set('c', 3); // old {a, b}, young {c}
    cache.set('brief', 4, { ttl: 10 }); // the first expiry; young full: old {a, b} dropped
    vi.advanceTimersByTime(10);
    expect(cache.get('c')).toBe(3);
    expect(cache.expiresIn('c')).toBe(Number.POSITIVE_INFINITY);
    expect(cache.get('brief')).toBeUndefined();
    cache.set('c', 5);
    expect(events).toEqual([
      ['a', 1, 'size'],
      ['b', 2, 'size'],
      ['brief', 4, 'expired'],
      ['c', 3, 'replaced'],
    ]);
    cache.invalidateAll();
    cache.set('d', 6);
    expect([...cache]).toEqual([['d', 6]]);
  });

  it('expiresIn() reports without removing', () => {
    vi.useFakeTimers();
    const cache = new LruCache<string, number>({ maximumSize: 10 });
    cache.set('k', 1, { ttl: 20 });
    vi.advanceTimersByTime(30);
    expect(cache.expiresIn('k')).toBe(-10);
    expect(cache.size).toBe(1);
  });
});

describe('LruCache evict() and resize() as quick-lru', () => {
  it('evict() tells the listener while the entry is still resident', () => {
    const seen: [string, boolean, number][] = [];
    const cache: LruCache<string, number> = new LruCache<string, number>({
      maximumSize: 10,
      onEvict: (key) => seen.push([key, cache.has(key), cache.size]),
    });
    cache.set('a', 1).set('b', 2).set('c', 3);
    cache.evict(2);
    expect(seen).toEqual([
      ['a', true, 3],
      ['b', true, 3],
    ]);
    expect([...cache.keys()]).toEqual(['c']);
  });

  it('evict() counts live entries only and keeps the most recent live one', () => {
    vi.useFakeTimers();
    const cache = new LruCache<string, number>({ maximumSize: 10 });
    cache.set('a', 1, { ttl: 1 }).set('b', 2).set('c', 3, { ttl: 1 }).set('d', 4);
    vi.advanceTimersByTime(5);
    cache.evict(Number.POSITIVE_INFINITY);
    expect([...cache.keys()]).toEqual(['d']);
    expect(cache.size).toBe(1);
  });

  it('evict() leaves the survivors as the old generation', () => {
    const cache = new LruCache<string, number>({ maximumSize: 6 }); // generations of 3
    for (const key of ['a', 'b', 'c', 'd']) cache.set(key, 1); // old {a, b, c}, young {d}
    cache.evict(1); // old {b, c, d}, young {}
    cache.set('e', 1).set('f', 1);
    expect(cache.size).toBe(5);
    cache.set('g', 1); // young {e, f, g} full: old {b, c, d} dropped
    expect([...cache.keys()]).toEqual(['e', 'f', 'g']);
  });

  it('resize() reports entries that had expired as expired, the ones it drops as size', () => {
    vi.useFakeTimers();
    const { events, onEvict } = recorder();
    const cache = new LruCache<string, number>({ maximumSize: 10, onEvict });
    cache.set('gone', 0, { ttl: 5 });
    for (let i = 1; i <= 4; i++) cache.set(String(i), i);
    vi.advanceTimersByTime(5);
    cache.resize(6); // generations of 3: '1' is dropped
    expect(events).toEqual([
      ['gone', 0, 'expired'],
      ['1', 1, 'size'],
    ]);
    expect([...cache.keys()]).toEqual(['2', '3', '4']);
  });
});

describe('LruCache names', () => {
  it('Symbol.toStringTag is the class name, so a subclass reports its own', () => {
    class Renamed<K, V> extends LruCache<K, V> {}
    const cache = new Renamed<string, number>({ maximumSize: 4 }).set('a', 1);
    expect(Object.prototype.toString.call(cache)).toBe('[object Renamed]');
    expect(String(cache)).toBe('Renamed(1/4)');
  });
});
