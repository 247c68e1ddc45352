// TTL, TTI, per-entry expiry and refresh-ahead, driven by an injected clock: no sleeping.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Cache, type RemovalCause } from '../src/index.js';

function clocked(options: Partial<ConstructorParameters<typeof Cache<string, number>>[0]> = {}) {
  const clock = { now: 0 };
  const events: [string, number, RemovalCause][] = [];
  const cache = new Cache<string, number>({
    maximumSize: 100,
    clock: () => clock.now,
    onEvict: (k, v, cause) => events.push([k, v, cause]),
    ...options,
  });
  return { cache, clock, events };
}

afterEach(() => vi.restoreAllMocks());

describe('time to live', () => {
  it('serves an entry until the instant its TTL ends, then never again', () => {
    const { cache, clock, events } = clocked({ ttl: 100 });
    cache.set('a', 1);
    clock.now = 99;
    expect(cache.get('a')).toBe(1);
    expect(cache.has('a')).toBe(true);
    clock.now = 100;
    expect(cache.peek('a')).toBeUndefined();
    expect(cache.has('a')).toBe(false);
    expect(cache.get('a')).toBeUndefined();
    expect(events).toEqual([['a', 1, 'expired']]);
    expect(cache.stats().evictions.expired).toBe(1);
  });

  it('restarts on every write, not on reads', () => {
    const { cache, clock } = clocked({ ttl: 100 });
    cache.set('a', 1);
    clock.now = 80;
    cache.get('a');
    cache.set('b', 2);
    clock.now = 100;
    expect(cache.get('a')).toBeUndefined();
    cache.set('b', 3);
    clock.now = 180;
    expect(cache.get('b')).toBe(3);
  });

  it('takes a per-entry TTL over the cache default, and 0 means already expired', () => {
    const { cache, clock } = clocked({ ttl: 1000 });
    cache.set('short', 1, { ttl: 10 });
    cache.set('long', 2, { ttl: 5000 });
    cache.set('zero', 3, { ttl: 0 });
    expect(cache.get('zero')).toBeUndefined();
    clock.now = 10;
    expect(cache.get('short')).toBeUndefined();
    clock.now = 4999;
    expect(cache.get('long')).toBe(2);
  });

  it('switches the clock on at the first per-entry TTL of an untimed cache', () => {
    const { cache, clock } = clocked();
    cache.set('forever', 1);
    cache.set('brief', 2, { ttl: 50 });
    clock.now = 1e9;
    expect(cache.get('forever')).toBe(1);
    expect(cache.get('brief')).toBeUndefined();
  });
});

describe('the default clock', () => {
  it('follows performance.now() to the millisecond', async () => {
    // Let the shared coarse clock's real staleness timer run out before faking time.
    await new Promise((resolve) => setTimeout(resolve, 5));
    vi.useFakeTimers({ toFake: ['performance', 'setTimeout'] });
    try {
      const cache = new Cache<string, number>({ maximumSize: 10, ttl: 100 });
      cache.set('a', 1);
      vi.advanceTimersByTime(99);
      expect(cache.get('a')).toBe(1);
      vi.advanceTimersByTime(2);
      expect(cache.get('a')).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('time to idle', () => {
  it('keeps an entry alive while it is read, and drops it once idle', () => {
    const { cache, clock, events } = clocked({ tti: 100 });
    cache.set('a', 1);
    for (let t = 90; t <= 900; t += 90) {
      clock.now = t;
      expect(cache.get('a')).toBe(1);
    }
    clock.now += 100;
    expect(cache.get('a')).toBeUndefined();
    expect(events).toEqual([['a', 1, 'expired']]);
  });

  it('never outlives the TTL, however often it is read', () => {
    const { cache, clock } = clocked({ ttl: 300, tti: 100 });
    cache.set('a', 1);
    for (clock.now = 50; clock.now < 300; clock.now += 50) expect(cache.get('a')).toBe(1);
    expect(cache.get('a')).toBeUndefined();
  });

  it('honours a per-entry TTI on a cache without one', () => {
    const { cache, clock } = clocked({ ttl: 10_000 });
    cache.set('idle', 1, { tti: 100 });
    cache.set('steady', 2);
    clock.now = 90;
    expect(cache.get('idle')).toBe(1);
    clock.now = 180;
    expect(cache.get('idle')).toBe(1);
    clock.now = 280;
    expect(cache.get('idle')).toBeUndefined();
    expect(cache.get('steady')).toBe(2);
  });

  it('does not extend the idle time on peek/has/iteration', () => {
    const { cache, clock } = clocked({ tti: 100 });
    cache.set('a', 1);
    clock.now = 60;
    cache.peek('a');
    cache.has('a');
    expect([...cache]).toEqual([['a', 1]]);
    clock.now = 100;
    expect(cache.get('a')).toBeUndefined();
  });
});

describe('amortised expiry (timer wheel)', () => {
  it('removes expired entries without reads, at every wheel level, with one clock', () => {
    const { cache, clock, events } = clocked({ maximumSize: 10_000 });
    const timeout = vi.spyOn(globalThis, 'setTimeout');
    const minute = 60_000;
    const PER_SPAN = 250; // 1,500 entries: the slot arrays and the wheel grow past 1,024
    const spans = [
      500,
      5_000,
      30 * minute,
      5 * 60 * minute,
      3 * 24 * 60 * minute,
      20 * 24 * 60 * minute,
    ];
    spans.forEach((ttl, i) => {
      for (let j = 0; j < PER_SPAN; j++) cache.set(`${i}:${j}`, j, { ttl });
    });
    expect(timeout).not.toHaveBeenCalled();
    for (const [i, ttl] of spans.entries()) {
      clock.now = ttl - 1;
      cache.cleanUp();
      expect(cache.size).toBe((spans.length - i) * PER_SPAN);
      // The wheel's finest bucket is ~1 s: by then every entry due is gone.
      clock.now = ttl + 1100;
      cache.cleanUp();
      expect(cache.size).toBe((spans.length - i - 1) * PER_SPAN);
    }
    expect(events.every(([, , cause]) => cause === 'expired')).toBe(true);
    expect(events).toHaveLength(spans.length * PER_SPAN);
  });

  it('cleans up as writes go, so expired entries do not hold capacity', () => {
    const { cache, clock, events } = clocked({ maximumSize: 10, ttl: 100 });
    for (let i = 0; i < 10; i++) cache.set(`old${i}`, i);
    clock.now = 5000;
    cache.set('new', 1);
    expect(events.filter(([, , c]) => c === 'expired')).toHaveLength(10);
    expect(events.filter(([, , c]) => c === 'size')).toHaveLength(0);
    expect(cache.size).toBe(1);
  });
});

describe('refresh-ahead', () => {
  it('past refreshAfter, returns the current value and reloads once in the background', async () => {
    let version = 0;
    const loader = vi.fn(async () => ++version * 10);
    const { cache, clock, events } = clocked({ refreshAfter: 100, ttl: 1000, loader });
    expect(await cache.getOrLoad('a')).toBe(10);
    clock.now = 150;
    expect(cache.get('a')).toBe(10);
    expect(cache.get('a')).toBe(10);
    expect(await cache.getOrLoad('a')).toBe(10);
    expect(loader).toHaveBeenCalledTimes(2);
    await vi.waitFor(() => expect(cache.get('a')).toBe(20));
    expect(events).toEqual([['a', 10, 'replaced']]);
    // The refreshed entry is young again: no further reload until it ages.
    clock.now = 200;
    cache.get('a');
    expect(loader).toHaveBeenCalledTimes(2);
    expect(cache.stats().loads).toBe(2);
  });

  it('keeps the old value when the refresh fails, and counts the failure', async () => {
    const loader = vi.fn(async (key: string) => {
      if (loader.mock.calls.length > 1) throw new Error('backend down');
      return key.length;
    });
    const { cache, clock } = clocked({ refreshAfter: 10, loader });
    expect(await cache.getOrLoad('abc')).toBe(3);
    clock.now = 20;
    expect(cache.get('abc')).toBe(3);
    await vi.waitFor(() => expect(cache.stats().loadFailures).toBe(1));
    expect(cache.get('abc')).toBe(3);
  });
});
