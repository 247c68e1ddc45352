import { CacheLoadError } from './errors.js';
import * as check from './internal/validate.js';
import type {
  AsyncStore,
  EntryOptions,
  Loader,
  MultiLevelCacheOptions,
  MultiLevelStats,
  SyncCache,
} from './types.js';

interface Fetch<V> {
  promise: Promise<V | undefined>;
}

/**
 * L1 (small, hot, synchronous) → L2 (larger, possibly remote) → backend `load`.
 *
 * A read that misses L1 starts ONE fetch per key, shared by every concurrent caller across
 * levels: it asks L2, promotes an L2 hit into L1, and otherwise loads from the backend and fills
 * both levels. A failing L2 (a remote store that is down) is counted and skipped, never fatal.
 * `delete`/`set`/`invalidateAll` go through every level and make fetches in flight stale: their
 * callers still get the fetched value, but it is not stored anywhere.
 */
export class MultiLevelCache<K, V> {
  readonly #l1: SyncCache<K, V>;
  readonly #l2: AsyncStore<K, V> | undefined;
  readonly #load: Loader<K, V>;
  readonly #l1Options: EntryOptions | undefined;
  readonly #l2Options: EntryOptions | undefined;
  readonly #inflight = new Map<K, Fetch<V>>();
  readonly #stats: MultiLevelStats = {
    l1: { hits: 0, misses: 0 },
    l2: { hits: 0, misses: 0, errors: 0 },
    loads: 0,
    loadFailures: 0,
  };

  constructor(options: MultiLevelCacheOptions<K, V>) {
    const o = check.options<MultiLevelCacheOptions<K, V>>('options', options);
    if (typeof o.l1?.get !== 'function' || typeof o.l1.set !== 'function') {
      throw new TypeError(
        `Expected \`l1\` to be a cache, got \`${String(o.l1)}\` (${typeof o.l1})`,
      );
    }
    if (o.l2 !== undefined && (typeof o.l2?.get !== 'function' || typeof o.l2.set !== 'function')) {
      throw new TypeError(
        `Expected \`l2\` to be a store, got \`${String(o.l2)}\` (${typeof o.l2})`,
      );
    }
    this.#l1 = o.l1;
    this.#l2 = o.l2;
    this.#load = check.requiredFunction<Loader<K, V>>('load', o.load);
    const l1Ttl = check.duration('l1Ttl', o.l1Ttl);
    const l2Ttl = check.duration('l2Ttl', o.l2Ttl);
    this.#l1Options = o.l1Ttl === undefined ? undefined : { ttl: l1Ttl };
    this.#l2Options = o.l2Ttl === undefined ? undefined : { ttl: l2Ttl };
  }

  /** The value from the first level that has it, loading it from the backend on a full miss. */
  get(key: K): Promise<V | undefined> {
    const value = this.#l1.get(key);
    if (value !== undefined) {
      this.#stats.l1.hits++;
      return Promise.resolve(value);
    }
    this.#stats.l1.misses++;
    const running = this.#inflight.get(key);
    if (running !== undefined) return running.promise;
    const fetch = { promise: undefined } as unknown as Fetch<V>;
    this.#inflight.set(key, fetch);
    fetch.promise = this.#fetch(key, fetch);
    return fetch.promise;
  }

  /** Writes `value` into every level. */
  async set(key: K, value: V): Promise<void> {
    this.#inflight.delete(key);
    this.#l1.set(key, value, this.#l1Options);
    if (this.#l2 !== undefined) await this.#l2.set(key, value, this.#l2Options);
  }

  /** Removes `key` from every level; a fetch of it in flight will not be stored. */
  async delete(key: K): Promise<void> {
    this.#inflight.delete(key);
    this.#l1.delete(key);
    if (this.#l2 !== undefined) await this.#l2.delete(key);
  }

  /** Empties L1 (and L2 when it has `invalidateAll`); fetches in flight will not be stored. */
  async invalidateAll(): Promise<void> {
    this.#inflight.clear();
    this.#l1.invalidateAll();
    const l2 = this.#l2 as (AsyncStore<K, V> & { invalidateAll?: () => unknown }) | undefined;
    if (typeof l2?.invalidateAll === 'function') await l2.invalidateAll();
  }

  /** Per-level counters (a copy). */
  stats(): MultiLevelStats {
    const s = this.#stats;
    return { l1: { ...s.l1 }, l2: { ...s.l2 }, loads: s.loads, loadFailures: s.loadFailures };
  }

  async #fetch(key: K, fetch: Fetch<V>): Promise<V | undefined> {
    const stats = this.#stats;
    const current = () => this.#inflight.get(key) === fetch;
    if (this.#l2 !== undefined) {
      let found: V | undefined;
      try {
        found = await this.#l2.get(key);
      } catch {
        stats.l2.errors++;
      }
      if (found !== undefined) {
        stats.l2.hits++;
        if (current()) {
          this.#inflight.delete(key);
          this.#l1.set(key, found, this.#l1Options);
        }
        return found;
      }
      stats.l2.misses++;
    }
    let value: V | undefined;
    try {
      value = await this.#load(key);
    } catch (error) {
      stats.loadFailures++;
      if (current()) this.#inflight.delete(key);
      throw new CacheLoadError(key, error);
    }
    stats.loads++;
    if (!current()) return value;
    if (value !== undefined) {
      if (this.#l2 !== undefined) {
        try {
          await this.#l2.set(key, value, this.#l2Options);
          // An invalidation that ran its L2 delete while this write was in flight must win.
          if (!current()) await this.#l2.delete(key);
        } catch {
          stats.l2.errors++;
        }
      }
      if (current()) this.#l1.set(key, value, this.#l1Options);
    }
    if (current()) this.#inflight.delete(key);
    return value;
  }
}
