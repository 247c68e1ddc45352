// getOrLoad: one load per key however many callers, failures shared and not cached, and
// invalidation racing a load always wins.
import { describe, expect, it, vi } from 'vitest';
import { Cache, CacheLoadError } from '../src/index.js';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('getOrLoad', () => {
  it('shares one load among 1,000 concurrent callers of a missing key', async () => {
    const cache = new Cache<string, { id: number }>({ maximumSize: 10 });
    const gate = deferred<{ id: number }>();
    const loader = vi.fn(() => gate.promise);
    const callers = Array.from({ length: 1000 }, () => cache.getOrLoad('k', loader));
    gate.resolve({ id: 7 });
    const values = await Promise.all(callers);
    expect(loader).toHaveBeenCalledTimes(1);
    expect(new Set(values).size).toBe(1);
    expect(values[0]).toEqual({ id: 7 });
    expect(cache.get('k')).toBe(values[0]);
    expect(cache.stats().loads).toBe(1);
  });

  it('loads different keys independently and concurrently', async () => {
    const cache = new Cache<number, number>({ maximumSize: 10 });
    const gates = [deferred<number>(), deferred<number>()];
    const loader = vi.fn((key: number) => gates[key]!.promise);
    const a = cache.getOrLoad(0, loader);
    const b = cache.getOrLoad(1, loader);
    expect(loader).toHaveBeenCalledTimes(2);
    gates[1]!.resolve(11);
    expect(await b).toBe(11);
    gates[0]!.resolve(10);
    expect(await a).toBe(10);
  });

  it('delivers a failure to every waiter as CacheLoadError, caches nothing, and retries', async () => {
    const cache = new Cache<string, number>({ maximumSize: 10 });
    const cause = new Error('backend down');
    const gate = deferred<number>();
    const failing = vi.fn(() => gate.promise);
    const waiters = Array.from({ length: 50 }, () => cache.getOrLoad('k', failing));
    gate.reject(cause);
    const results = await Promise.allSettled(waiters);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      const error = (r as PromiseRejectedResult).reason as CacheLoadError;
      expect(error).toBeInstanceOf(CacheLoadError);
      expect(error.code).toBe('PERF_CACHE_LOAD_FAILED');
      expect(error.cause).toBe(cause);
      expect(error.key).toBe('k');
    }
    expect(failing).toHaveBeenCalledTimes(1);
    expect(cache.has('k')).toBe(false);
    expect(await cache.getOrLoad('k', () => 5)).toBe(5);
    expect(cache.stats()).toMatchObject({ loads: 1, loadFailures: 1 });
  });

  it('turns a loader that throws synchronously into a rejection', async () => {
    const cache = new Cache<string, number>({ maximumSize: 10 });
    const result = cache.getOrLoad('k', () => {
      throw new TypeError('bug');
    });
    await expect(result).rejects.toMatchObject({ code: 'PERF_CACHE_LOAD_FAILED' });
  });

  it('does not store a load raced by delete; later callers load afresh', async () => {
    const cache = new Cache<string, string>({ maximumSize: 10 });
    const gate = deferred<string>();
    const first = cache.getOrLoad('k', () => gate.promise);
    cache.delete('k');
    const second = cache.getOrLoad('k', async () => 'fresh');
    gate.resolve('stale');
    expect(await first).toBe('stale');
    expect(await second).toBe('fresh');
    expect(cache.get('k')).toBe('fresh');
  });

  it('does not overwrite a set that arrived during the load', async () => {
    const cache = new Cache<string, string>({ maximumSize: 10 });
    const gate = deferred<string>();
    const load = cache.getOrLoad('k', () => gate.promise);
    cache.set('k', 'written');
    gate.resolve('loaded');
    await load;
    expect(cache.get('k')).toBe('written');
  });

  it('does not store loads raced by invalidateAll or invalidateIf', async () => {
    const cache = new Cache<string, string>({ maximumSize: 10 });
    const a = deferred<string>();
    const loadA = cache.getOrLoad('a', () => a.promise);
    cache.invalidateAll();
    a.resolve('stale');
    await loadA;
    expect(cache.has('a')).toBe(false);
  });

  it('treats an undefined result as absent: resolved, not cached', async () => {
    const cache = new Cache<string, number>({ maximumSize: 10 });
    const loader = vi.fn(async () => undefined);
    expect(await cache.getOrLoad('k', loader)).toBeUndefined();
    expect(await cache.getOrLoad('k', loader)).toBeUndefined();
    expect(loader).toHaveBeenCalledTimes(2);
    expect(cache.size).toBe(0);
  });

  it('uses the cache-wide loader by default and requires one', async () => {
    const cache = new Cache<string, number>({ maximumSize: 10, loader: (k) => k.length });
    expect(await cache.getOrLoad('four')).toBe(4);
    const bare = new Cache<string, number>({ maximumSize: 10 });
    expect(() => bare.getOrLoad('k')).toThrow(TypeError);
  });

  it('returns a hit without calling the loader', async () => {
    const cache = new Cache<string, number>({ maximumSize: 10 });
    cache.set('k', 1);
    const loader = vi.fn(() => 2);
    expect(await cache.getOrLoad('k', loader)).toBe(1);
    expect(loader).not.toHaveBeenCalled();
  });
});
