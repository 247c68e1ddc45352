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
  /** `errors`: L2 calls that failed or timed out (each was skipped, never fatal). */
  l2: { hits: number; misses: number; errors: number };
  /** Backend loads that completed with a value / failed. */
  loads: number;
  loadFailures: number;
  /** Reads answered with a value past its freshness, within `grace`. */
  staleHits: number;
  /** The invalidation bus (all 0 without one). */
  bus: {
    /** Messages this instance published. */
    sent: number;
    /** Messages received from other instances. */
    received: number;
    /** Own echoes and messages older than the held entry, ignored. */
    ignored: number;
    /** Foreign or garbled messages, counted and ignored. */
    invalid: number;
    /** L1 entries dropped because another instance wrote or deleted them. */
    invalidations: number;
    /** Times the subscription was lost. */
    disconnects: number;
    /** Times L1 was resynchronised after the subscription came back. */
    resyncs: number;
    /** Publishes that failed (their keys wait in the reconnect set). */
    failed: number;
  };
  /** Cross-instance load locks: acquired / waited for another instance's load / waits that timed out. */
  locks: { acquired: number; waited: number; timeouts: number };
  /** Keys written while L2 or the bus was unreachable, to invalidate once it is back. */
  pending: number;
}

/** An entry as a {@link VersionedStore} returns it. */
export interface TierEntry<V> {
  value: V;
  /** Version of the write that stored it: the store's own counter, increasing across writers. */
  version: number;
  /** Milliseconds it stays fresh (`Infinity`: always; ≤ 0: past its TTL, inside its grace). */
  freshFor: number;
  /** Milliseconds until the store drops it (`Infinity`: never). */
  expiresIn: number;
}

/**
 * A bus message that the L2 publishes itself, in the same step as the write it announces (one
 * round trip instead of two). The message is `head + version + tail`.
 */
export interface Announcement {
  /** The bus's publishing connection: an L2 uses the announcement only if it writes through it. */
  readonly publisher: unknown;
  readonly channel: string;
  readonly head: string;
  readonly tail: string;
}

/** Per-entry options of a {@link VersionedStore} write. */
export interface TierWriteOptions {
  /** Publish this bus message with the write (see {@link VersionedStore.announces}). */
  announce?: Announcement;
  /** Time to live in milliseconds (`Infinity`: never). */
  ttl?: number;
  /** Milliseconds the entry is still kept, as stale, after its TTL. */
  grace?: number;
}

/** The answer of {@link VersionedStore.tryLock}. */
export interface LockResult<V> {
  /** Whether this caller now holds the lock (never when `entry` is fresh). */
  readonly acquired: boolean;
  /** The entry, read in the same step (fresh, in grace, or `undefined`). */
  readonly entry: TierEntry<V> | undefined;
}

/**
 * An L2 that versions its writes and coordinates loads across instances (`RedisTier`).
 * {@link MultiLevelCache} uses these methods when its `l2` has them.
 */
export interface VersionedStore<K, V> extends AsyncStore<K, V> {
  /** Default time to live of an entry, in milliseconds. */
  readonly ttl: number;
  getEntry(key: K): Promise<TierEntry<V> | undefined>;
  getEntries(keys: readonly K[]): Promise<Array<TierEntry<V> | undefined>>;
  /** Stores and resolves with the new version. */
  setEntry(key: K, value: V, options?: TierWriteOptions): Promise<number>;
  /** Deletes and resolves with the version of the deletion. */
  deleteEntries(keys: readonly K[], options?: { announce?: Announcement }): Promise<number>;
  /** Whether writes given `announcement` publish it themselves (same connection as the bus). */
  announces?(announcement: Announcement): boolean;
  /** Deletes every entry of this store and resolves with the version of the deletion. */
  invalidateAll(): Promise<number>;
  /**
   * Reads the entry of `key` and, unless it is fresh, takes the key's load lock for `ttl` ms
   * when it is free, in one atomic step.
   */
  tryLock(key: K, token: string, ttl: number): Promise<LockResult<V>>;
  /** Releases the lock if `token` still holds it. */
  unlock(key: K, token: string): Promise<boolean>;
}

/** What one instance tells the others after a write. */
export interface InvalidationMessage {
  /** The keys written, or `null` for "every key" (`invalidateAll`). */
  readonly keys: ReadonlyArray<string | number> | null;
  /** The version of the write (from the L2). */
  readonly version: number;
  /** The id of the sending {@link MultiLevelCache}. */
  readonly origin: string;
  /**
   * `set`/`delete`/`clear`: drop these keys; `absent`: a locked load found nothing;
   * `failed`: a locked load failed. The last two only wake waiters.
   */
  readonly kind: 'set' | 'delete' | 'clear' | 'absent' | 'failed';
  /**
   * When the sender sent the write it announces (or the publish), in epoch milliseconds with
   * sub-millisecond precision (`performance.timeOrigin + performance.now()`), for
   * delivery-latency measurements.
   */
  readonly sentAt: number;
}

/** Callbacks of a bus subscriber. None may throw. */
export interface BusHandlers {
  message(message: InvalidationMessage): void;
  /** A foreign or garbled message arrived and was dropped. */
  invalid(): void;
  /** The subscription was lost: messages may be missed from now on. */
  disconnect(): void;
  /** The subscription is active again: every message from now on is delivered. */
  resync(): void;
}

/** Delivers invalidations between the instances that share an L2 (`RedisBus`). */
export interface InvalidationBus {
  publish(message: InvalidationMessage): Promise<void>;
  /** The message as an {@link Announcement} an L2 can publish with its write, if supported. */
  announce?(message: Omit<InvalidationMessage, 'version'>): Announcement;
  /** Starts delivering to `handlers`; the returned function stops it. */
  subscribe(handlers: BusHandlers): () => void;
}

/** Anything that records numbers, e.g. a `@perf/monitor` `Histogram`. */
export interface LatencyRecorder {
  record(value: number): void;
}

/** Options of {@link MultiLevelCache}. */
export interface MultiLevelCacheOptions<K, V> {
  /** The small, hot level: an `LruCache` or a `Cache`. */
  l1: SyncCache<K, V>;
  /**
   * The larger level: a `Cache`, any store with an async get/set/delete, or a `RedisTier`
   * (a {@link VersionedStore}: versions, load locks, batch calls).
   * @defaultValue none (L1 then the backend)
   */
  l2?: AsyncStore<K, V>;
  /** Loads a key that no level holds. Returning `undefined` means "absent". */
  load: Loader<K, V>;
  /**
   * Time to live of entries written into L1, in milliseconds. L1 never keeps an entry longer
   * than its remaining L2 TTL either.
   * @defaultValue the L1's own default
   */
  l1Ttl?: number;
  /**
   * Time to live of entries written into L2, in milliseconds (the entry's freshness).
   * @defaultValue the L2's own default
   */
  l2Ttl?: number;
  /**
   * Invalidations between instances sharing the L2 (`RedisBus`).
   * @defaultValue none (a single instance)
   */
  bus?: InvalidationBus;
  /**
   * Milliseconds an entry is still served after its TTL, while it is refreshed or while the
   * loader or L2 fails.
   * @defaultValue 0
   */
  grace?: number;
  /** Load timeouts in milliseconds. */
  timeouts?: {
    /**
     * A refresh slower than this answers the stale value (if one is within grace) and
     * finishes in the background. `0` is stale-while-revalidate.
     * @defaultValue `Infinity`
     */
    soft?: number;
    /**
     * A load slower than this rejects with `CacheTimeoutError` (it still finishes, and fills
     * the cache, in the background).
     * @defaultValue `Infinity`
     */
    hard?: number;
  };
  /** The cross-instance load lock (with a {@link VersionedStore} L2). */
  lock?: {
    /**
     * Lifetime of the lock in milliseconds: bounds how long a crashed holder blocks others.
     * @defaultValue 5000
     */
    ttl?: number;
    /**
     * How long the others wait for the holder's value before they load it themselves.
     * @defaultValue `ttl`
     */
    wait?: number;
  };
  /**
   * Most keys remembered, while L2 or the bus is unreachable, to invalidate everywhere once it
   * is back; past it, every level is invalidated then.
   * @defaultValue 10000
   */
  maxPending?: number;
  /**
   * The clock for freshness and grace, in milliseconds.
   * @defaultValue `() => performance.now()`
   */
  clock?: () => number;
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
