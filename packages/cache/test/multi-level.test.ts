// MultiLevelCache: L1 → L2 → backend, one fetch per key across levels, promotion,
// invalidation through every level, per-level TTLs and stats.
import { describe, expect, it, vi } from 'vitest';
import { type AsyncStore, Cache, LruCache, MultiLevelCache } from '../src/index.js';

/** A remote-like L2: async, with a switch to make it fail. */
class RemoteStore<V> implements AsyncStore<string, V> {
  readonly data = new Map<string, V>();
  failing = false;
  async get(key: string): Promise<V | undefined> {
    await Promise.resolve();
    if (this.failing) throw new Error('connection refused');
    return this.data.get(key);
  }
  async set(key: string, value: V): Promise<void> {
    await Promise.resolve();
    if (this.failing) throw new Error('connection refused');
    this.data.set(key, value);
  }
  async delete(key: string): Promise<void> {
    this.data.delete(key);
  }
}

describe('MultiLevelCache', () => {
  it('loads a full miss once for every concurrent caller and fills both levels', async () => {
    const l2 = new RemoteStore<string>();
    const load = vi.fn(async (key: string) => `v:${key}`);
    const cache = new MultiLevelCache({ l1: new LruCache({ maximumSize: 4 }), l2, load });
    const values = await Promise.all(Array.from({ length: 100 }, () => cache.get('a')));
    expect(new Set(values)).toEqual(new Set(['v:a']));
    expect(load).toHaveBeenCalledTimes(1);
    expect(l2.data.get('a')).toBe('v:a');
    expect(await cache.get('a')).toBe('v:a');
    expect(cache.stats()).toMatchObject({
      l1: { hits: 1, misses: 100 },
      l2: { hits: 0, misses: 1, errors: 0 },
      loads: 1,
      loadFailures: 0,
      staleHits: 0,
      pending: 0,
    });
  });

  it('promotes an L2 hit into L1 without loading', async () => {
    const l1 = new Cache<string, number>({ maximumSize: 2 });
    const l2 = new Cache<string, number>({ maximumSize: 100 });
    l2.set('x', 42);
    const load = vi.fn(async () => 0);
    const cache = new MultiLevelCache({ l1, l2, load });
    expect(await cache.get('x')).toBe(42);
    expect(l1.get('x')).toBe(42);
    expect(load).not.toHaveBeenCalled();
    expect(cache.stats().l2.hits).toBe(1);
  });

  it('survives a failing L2 by loading from the backend, counting the errors', async () => {
    const l2 = new RemoteStore<number>();
    l2.failing = true;
    const cache = new MultiLevelCache({
      l1: new LruCache<string, number>({ maximumSize: 4 }),
      l2,
      load: async () => 7,
    });
    expect(await cache.get('k')).toBe(7);
    expect(cache.stats().l2.errors).toBe(2); // the get and the fill
  });

  it('invalidates through every level, and a fetch raced by it is stored nowhere', async () => {
    const l1 = new Cache<string, number>({ maximumSize: 10 });
    const l2 = new RemoteStore<number>();
    let release!: (v: number) => void;
    const cache = new MultiLevelCache({
      l1,
      l2,
      load: () => new Promise<number>((resolve) => (release = resolve)),
    });
    const fetch = cache.get('k');
    await vi.waitFor(() => expect(release).toBeTypeOf('function'));
    await cache.delete('k');
    release(1);
    expect(await fetch).toBe(1);
    expect(l1.has('k')).toBe(false);
    expect(l2.data.has('k')).toBe(false);
    await cache.set('k', 2);
    expect(l1.get('k')).toBe(2);
    expect(l2.data.get('k')).toBe(2);
    await cache.delete('k');
    expect(l1.has('k')).toBe(false);
    expect(l2.data.has('k')).toBe(false);
  });

  it('applies per-level TTLs: an expired L1 entry is refilled from L2', async () => {
    let now = 0;
    const l1 = new Cache<string, number>({ maximumSize: 10, clock: () => now });
    const l2 = new Cache<string, number>({ maximumSize: 10, clock: () => now });
    const load = vi.fn(async () => 5);
    const cache = new MultiLevelCache({ l1, l2, load, l1Ttl: 100, l2Ttl: 1000 });
    expect(await cache.get('k')).toBe(5);
    now = 150;
    expect(l1.get('k')).toBeUndefined();
    expect(await cache.get('k')).toBe(5);
    expect(load).toHaveBeenCalledTimes(1);
    now = 1500;
    expect(await cache.get('k')).toBe(5);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('rejects every waiter of a failed load and stores nothing', async () => {
    const l1 = new LruCache<string, number>({ maximumSize: 4 });
    const cache = new MultiLevelCache({
      l1,
      load: async () => {
        throw new Error('db down');
      },
    });
    const results = await Promise.allSettled([cache.get('k'), cache.get('k')]);
    for (const r of results) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'PERF_CACHE_LOAD_FAILED' });
    }
    expect(l1.has('k')).toBe(false);
    expect(cache.stats().loadFailures).toBe(1);
  });

  it('invalidateAll empties both levels', async () => {
    const l1 = new Cache<string, number>({ maximumSize: 10 });
    const l2 = new Cache<string, number>({ maximumSize: 10 });
    const cache = new MultiLevelCache({ l1, l2, load: async () => 1 });
    await cache.get('a');
    await cache.invalidateAll();
    expect(l1.size + l2.size).toBe(0);
  });
});
