/**
 * The vocabulary of @perf/cache: options, listener and store shapes, statistics.
 * @module
 */

/** Why an entry left the cache. */
export type RemovalCause =
  /** Evicted by the size/weight bound (the eviction policy chose it). */
  | 'size'
  /** Its time to live or time to idle passed. */
  | 'expired'
  /** Removed by `delete`, `invalidateAll` or `invalidateIf`. */
  | 'explicit'
  /** Overwritten by a `set` (or a load/refresh) of the same key. */
  | 'replaced';

/** Called synchronously after an entry left the cache, with the cause. Must not throw. */
export type EvictionListener<K, V> = (key: K, value: V, cause: RemovalCause) => void;

/** Returns the weight of an entry: a finite number ≥ 0, in the unit of `maximumWeight`. */
export type Weigher<K, V> = (key: K, value: V) => number;

/** Loads the value of a missing key. Returning `undefined` means "absent": nothing is cached. */
export type Loader<K, V> = (key: K) => V | undefined | PromiseLike<V | undefined>;

/** The eviction policy: W-TinyLFU (adaptive window, frequency admission) or plain LRU. */
export type EvictionPolicy = 'tinylfu' | 'lru';

/** Per-entry expiry, overriding the cache's defaults for one `set`. */
export interface EntryOptions {
  /** Time to live of this entry in milliseconds (`Infinity`: never). */
  ttl?: number;
  /** Time to idle of this entry in milliseconds (`Infinity`: never). */
  tti?: number;
}

/** Options of {@link Cache}. Exactly one of `maximumSize` and `maximumWeight` is required. */
export interface CacheOptions<K, V> {
  /** Maximum number of resident entries (an integer ≥ 1). */
  maximumSize?: number;
  /** Maximum total weight of resident entries (a finite number > 0); needs `weigher`. */
  maximumWeight?: number;
  /**
   * Weight of each entry, in the unit of `maximumWeight`.
   * @defaultValue every entry weighs 1
   */
  weigher?: Weigher<K, V>;
  /**
   * Which entry to evict when the bound is reached.
   * @defaultValue `'tinylfu'`
   */
  policy?: EvictionPolicy;
  /**
   * Time to live in milliseconds, counted from the last write.
   * @defaultValue `Infinity` (never expires)
   */
  ttl?: number;
  /**
   * Time to idle in milliseconds, counted from the last read or write.
   * @defaultValue `Infinity` (never expires)
   */
  tti?: number;
  /**
   * Refresh-ahead: a hit on an entry older than this (milliseconds since its last write)
   * returns the current value and reloads it once in the background with `loader`.
   * @defaultValue `Infinity` (never refreshes)
   */
  refreshAfter?: number;
  /**
   * Default loader of `getOrLoad` and of refresh-ahead.
   * @defaultValue none (`getOrLoad` then needs its own loader)
   */
  loader?: Loader<K, V>;
  /**
   * Called after every removal, with its cause.
   * @defaultValue none
   */
  onEvict?: EvictionListener<K, V>;
  /**
   * The clock, in milliseconds; inject one in tests instead of sleeping.
   * @defaultValue `() => performance.now()`
   */
  clock?: () => number;
}

/** Options of {@link LruCache}. */
export interface LruCacheOptions<K, V> {
  /** Maximum number of resident entries (an integer ≥ 1); never exceeded. */
  maximumSize: number;
  /**
   * Time to live in milliseconds (quick-lru's `maxAge`, which reads `Date.now()`).
   * @defaultValue `Infinity`
   */
  ttl?: number;
  /**
   * Called after an entry is evicted by the bound (`'size'`), found expired (`'expired'`),
   * deleted (`'explicit'`) or overwritten (`'replaced'`).
   * @defaultValue none
   */
  onEvict?: EvictionListener<K, V>;
}

/** Counters of a cache since it was created. */
export interface CacheStats {
  /** Reads that found a live entry. */
  hits: number;
  /** Reads that found nothing (or an expired entry). */
  misses: number;
  /** `hits / (hits + misses)`, or 0 before the first read. */
  hitRate: number;
  /** Loads (including refreshes) that completed with a value. */
  loads: number;
  /** Loads (including refreshes) that threw or rejected. */
  loadFailures: number;
  /** Removals by cause. */
  evictions: Record<RemovalCause, number>;
  /** Resident entries. */
  size: number;
  /** Total weight of resident entries (equals `size` without a weigher). */
  weightedSize: number;
}

/**
 * The synchronous surface shared by {@link Cache} and {@link LruCache}, used as the L1 of a
 * {@link MultiLevelCache} and by the write strategies.
 */
export interface SyncCache<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V, options?: EntryOptions): unknown;
  has(key: K): boolean;
  delete(key: K): boolean;
  invalidateAll(): void;
  readonly size: number;
}

/** Any asynchronous store usable as an L2 (a Redis client adapter, another process…). */
export interface AsyncStore<K, V> {
  get(key: K): Promise<V | undefined> | V | undefined;
  set(key: K, value: V, options?: EntryOptions): unknown;
  delete(key: K): unknown;
}

/** One write to a backend: a value to store, or a key to delete. */
export type WriteOp<K, V> =
  | { readonly type: 'set'; readonly key: K; readonly value: V }
  | { readonly type: 'delete'; readonly key: K };

/**
 * The system of record behind a write strategy. `write` applies a batch atomically: it resolves
 * when every op is durable and rejects when none is (a partial batch is the backend's bug).
 */
export interface WriteBackend<K, V> {
  write(ops: ReadonlyArray<WriteOp<K, V>>): Promise<void>;
}

/** Statistics of a {@link MultiLevelCache}, one record per level. */
export interface MultiLevelStats {
  l1: { hits: number; misses: number };
  l2: { hits: number; misses: number; errors: number };
  /** Backend loads that completed with a value / failed. */
  loads: number;
  loadFailures: number;
}

/** Options of {@link MultiLevelCache}. */
export interface MultiLevelCacheOptions<K, V> {
  /** The small, hot level: an `LruCache` or a `Cache`. */
  l1: SyncCache<K, V>;
  /**
   * The larger level: a `Cache`, or any store with an async get/set/delete (e.g. Redis).
   * @defaultValue none (L1 then the backend)
   */
  l2?: AsyncStore<K, V>;
  /** Loads a key that no level holds. Returning `undefined` means "absent". */
  load: Loader<K, V>;
  /**
   * Time to live of entries written into L1, in milliseconds.
   * @defaultValue the L1's own default
   */
  l1Ttl?: number;
  /**
   * Time to live of entries written into L2, in milliseconds.
   * @defaultValue the L2's own default
   */
  l2Ttl?: number;
}

/** Options of {@link WriteThrough}. */
export interface WriteThroughOptions<K, V> {
  /** The cache that serves reads. */
  cache: SyncCache<K, V>;
  /** The system of record. */
  backend: WriteBackend<K, V>;
}

/** Options of {@link WriteBack}. */
export interface WriteBackOptions<K, V> {
  /** The cache that serves reads. */
  cache: SyncCache<K, V>;
  /** The system of record. */
  backend: WriteBackend<K, V>;
  /**
   * Flush dirty entries this often, in milliseconds.
   * @defaultValue 1000
   */
  flushInterval?: number;
  /**
   * Flush as soon as this many keys are dirty.
   * @defaultValue 1000
   */
  maxDirty?: number;
  /**
   * Most ops per `backend.write` call.
   * @defaultValue 1000
   */
  batchSize?: number;
  /**
   * Attempts of one flush after the first fails, with exponential back-off.
   * @defaultValue 5
   */
  retries?: number;
  /**
   * First back-off delay in milliseconds; doubles per retry up to `maxDelay`.
   * @defaultValue 50
   */
  minDelay?: number;
  /**
   * Longest back-off delay in milliseconds.
   * @defaultValue 5000
   */
  maxDelay?: number;
}

/** Counters of a {@link WriteBack}. */
export interface WriteBackStats {
  /** Keys whose latest write has not reached the backend yet. */
  dirty: number;
  /** Ops the backend accepted. */
  written: number;
  /** Writes absorbed by a later write to the same key before they were flushed. */
  coalesced: number;
  /** `backend.write` calls that failed (each is retried). */
  failedWrites: number;
}
