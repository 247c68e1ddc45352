import { randomUUID } from 'node:crypto';
import { CacheLoadError, CacheTimeoutError } from './errors.js';
import * as check from './internal/validate.js';
import type {
  Announcement,
  AsyncStore,
  EntryOptions,
  InvalidationBus,
  InvalidationMessage,
  Loader,
  MultiLevelCacheOptions,
  MultiLevelStats,
  SyncCache,
  TierEntry,
  VersionedStore,
} from './types.js';

const INFINITY = Number.POSITIVE_INFINITY;

/** A read of one key in flight, shared by every concurrent caller of that key. */
interface Fetch<V> {
  promise: Promise<V | undefined>;
  /** The connection epoch it started in: a fetch that spans a bus disconnect is never stored. */
  readonly epoch: number;
  /** `invalidateAll` calls before it started: one that ran since makes it unstorable. */
  readonly clears: number;
}

/** What L1 knows about an entry beside its value (kept only with a bus or a grace). */
interface Meta {
  /** The L2 version of the value (0 when unknown: any invalidation drops it). */
  version: number;
  /** Clock time after which the value is stale (served only within grace). */
  freshUntil: number;
}

/** The highest version another instance announced for a key while a local op on it ran. */
interface Watch {
  /** Local operations on the key in flight. */
  count: number;
  /** Highest version another instance announced meanwhile. */
  seen: number;
  /** Local writes (set/delete) started on the key meanwhile: only the last one fills L1. */
  writes: number;
}

type Wake = (message: InvalidationMessage | 'timeout' | 'cancel' | 'resync') => void;

const SOFT_TIMEOUT = Symbol('soft timeout');

function isVersioned<K, V>(store: AsyncStore<K, V> | undefined): store is VersionedStore<K, V> {
  const s = store as Partial<VersionedStore<K, V>> | undefined;
  return (
    typeof s?.getEntry === 'function' &&
    typeof s.setEntry === 'function' &&
    typeof s.deleteEntries === 'function' &&
    typeof s.tryLock === 'function' &&
    typeof s.unlock === 'function'
  );
}

function isProgrammerError(error: unknown): boolean {
  return error instanceof TypeError || error instanceof RangeError;
}

function ignore(): void {}

/**
 * L1 (small, hot, synchronous) → L2 (larger, possibly remote) → backend `load`.
 *
 * A read that misses L1 starts ONE fetch per key, shared by every concurrent caller: it asks
 * L2, promotes an L2 hit into L1, and otherwise loads from the backend and fills both levels.
 * With a {@link VersionedStore} L2 (`RedisTier`) and a bus, that fetch is also shared across
 * instances: the first takes a short lock in L2 and loads, the others wait for its bus message
 * and read its value from L2.
 *
 * Consistency across instances: every write publishes `{ keys, version, origin }`; the others
 * drop those keys from L1 unless they hold a newer version. A lost subscription drops every L1
 * entry once it is back, and a fetch that spans the loss is not stored. A failing L2 or bus is
 * counted and skipped, never fatal: L1 keeps answering, misses go to the loader, and writes
 * are remembered (up to `maxPending` keys) to invalidate everywhere once it is back.
 */
export class MultiLevelCache<K, V> {
  readonly #l1: SyncCache<K, V>;
  readonly #l2: AsyncStore<K, V> | undefined;
  readonly #versioned: VersionedStore<K, V> | undefined;
  readonly #bus: InvalidationBus | undefined;
  readonly #load: Loader<K, V>;
  readonly #l1Ttl: number | undefined;
  readonly #l2Options: EntryOptions | undefined;
  /** Freshness of an entry this instance writes, in ms. */
  readonly #ttl: number;
  readonly #grace: number;
  readonly #soft: number;
  readonly #hard: number;
  readonly #lockTtl: number;
  readonly #lockWait: number;
  readonly #maxPending: number;
  readonly #clock: () => number;
  /** Whether L1 entries carry {@link Meta} (needed for versions and for grace). */
  readonly #tracked: boolean;
  /** Whether L2 writes publish their bus message themselves (same Redis connection). */
  readonly #inline: boolean;
  readonly #origin = randomUUID();
  #lockCount = 0;
  #epoch = 0;
  /** `invalidateAll` calls so far: a write that started before one must not fill L1. */
  #clears = 0;
  /**
   * `invalidateAll` calls in progress: a value read meanwhile may be one the clear is about to
   * delete from L2, so reads do not fill L1 until it is done.
   */
  #clearing = 0;
  readonly #inflight = new Map<K, Fetch<V>>();
  readonly #meta = new Map<K, Meta>();
  readonly #watch = new Map<K, Watch>();
  readonly #waiters = new Map<K, Set<Wake>>();
  /** Keys written while L2 or the bus failed; `#overflow` once more than `maxPending`. */
  readonly #pending = new Set<K>();
  #overflow = false;
  #flushing = false;
  /** Retry of a failed flush (L2 still unreachable), backing off from 50 ms to 2 s. */
  #retry: ReturnType<typeof setTimeout> | undefined;
  #retryDelay = 50;
  readonly #unsubscribe: (() => void) | undefined;
  readonly #stats: MultiLevelStats = {
    l1: { hits: 0, misses: 0 },
    l2: { hits: 0, misses: 0, errors: 0 },
    loads: 0,
    loadFailures: 0,
    staleHits: 0,
    bus: {
      sent: 0,
      received: 0,
      ignored: 0,
      invalid: 0,
      invalidations: 0,
      disconnects: 0,
      resyncs: 0,
      failed: 0,
    },
    locks: { acquired: 0, waited: 0, timeouts: 0 },
    pending: 0,
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
    const bus = o.bus as Partial<InvalidationBus> | undefined;
    if (
      bus !== undefined &&
      (typeof bus?.publish !== 'function' || typeof bus.subscribe !== 'function')
    ) {
      throw new TypeError(
        `Expected \`bus\` to be an invalidation bus, got \`${String(o.bus)}\` (${typeof o.bus})`,
      );
    }
    this.#l1 = o.l1;
    this.#l2 = o.l2;
    this.#versioned = isVersioned(o.l2) ? o.l2 : undefined;
    this.#bus = o.bus;
    this.#load = check.requiredFunction<Loader<K, V>>('load', o.load);
    this.#l1Ttl = o.l1Ttl === undefined ? undefined : check.duration('l1Ttl', o.l1Ttl);
    const l2Ttl = o.l2Ttl === undefined ? undefined : check.duration('l2Ttl', o.l2Ttl);
    this.#l2Options = l2Ttl === undefined ? undefined : { ttl: l2Ttl };
    this.#ttl = l2Ttl ?? this.#versioned?.ttl ?? this.#l1Ttl ?? INFINITY;
    this.#grace = o.grace === undefined ? 0 : check.duration('grace', o.grace);
    const timeouts = check.options<NonNullable<MultiLevelCacheOptions<K, V>['timeouts']>>(
      'timeouts',
      o.timeouts,
    );
    this.#soft = check.duration('timeouts.soft', timeouts.soft);
    this.#hard = check.duration('timeouts.hard', timeouts.hard);
    const lock = check.options<NonNullable<MultiLevelCacheOptions<K, V>['lock']>>('lock', o.lock);
    this.#lockTtl = lock.ttl === undefined ? 5000 : check.positiveNumber('lock.ttl', lock.ttl);
    this.#lockWait =
      lock.wait === undefined ? this.#lockTtl : check.positiveNumber('lock.wait', lock.wait);
    this.#maxPending =
      o.maxPending === undefined ? 10_000 : check.positiveInteger('maxPending', o.maxPending);
    this.#clock =
      check.optionalFunction<() => number>('clock', o.clock) ?? (() => performance.now());
    this.#tracked = this.#bus !== undefined || this.#grace > 0;
    const probe = this.#bus?.announce?.({ keys: [], origin: '', kind: 'set', sentAt: 0 });
    this.#inline = probe !== undefined && this.#versioned?.announces?.(probe) === true;
    this.#unsubscribe = this.#bus?.subscribe({
      message: (m) => this.#onMessage(m),
      invalid: () => void this.#stats.bus.invalid++,
      disconnect: () => this.#onDisconnect(),
      resync: () => this.#onResync(),
    });
  }

  /** The id this instance publishes as (`origin` of its bus messages). */
  get origin(): string {
    return this.#origin;
  }

  /** The value from the first level that has it, loading it from the backend on a full miss. */
  get(key: K): Promise<V | undefined> {
    const value = this.#l1.get(key);
    if (value !== undefined) {
      if (this.#grace === 0) {
        this.#stats.l1.hits++;
        return Promise.resolve(value);
      }
      const meta = this.#meta.get(key);
      if (meta === undefined || meta.freshUntil > this.#clock()) {
        this.#stats.l1.hits++;
        return Promise.resolve(value);
      }
      // Past its TTL, inside its grace (L1 keeps it no longer): refresh, serving it meanwhile.
      return this.#bounded(this.#start(key, value));
    }
    this.#stats.l1.misses++;
    return this.#bounded(this.#start(key, undefined));
  }

  /** Values of `keys`, in order: L1 first, then every L1 miss from L2 in one call. */
  async getMany(keys: readonly K[]): Promise<Array<V | undefined>> {
    const out: Array<V | undefined> = new Array(keys.length);
    const missing: number[] = [];
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const value = this.#l1.get(key);
      const meta = this.#grace === 0 ? undefined : this.#meta.get(key);
      if (value !== undefined && (meta === undefined || meta.freshUntil > this.#clock())) {
        this.#stats.l1.hits++;
        out[i] = value;
      } else missing.push(i);
    }
    const l2 = this.#versioned;
    let rest = missing;
    if (l2 !== undefined && missing.length > 1) {
      const epoch = this.#epoch;
      const clears = this.#clears;
      const names = missing.map((i) => keys[i]!);
      for (const k of names) this.#watchKey(k);
      try {
        const entries = await l2.getEntries(names);
        rest = [];
        for (let j = 0; j < missing.length; j++) {
          const entry = entries[j];
          const key = names[j]!;
          if (entry !== undefined && entry.freshFor > 0) {
            this.#stats.l1.misses++;
            this.#stats.l2.hits++;
            out[missing[j]!] = entry.value;
            const settled = clears === this.#clears && this.#clearing === 0;
            if (epoch === this.#epoch && settled && !this.#inflight.has(key)) {
              this.#fill(key, entry);
            }
          } else rest.push(missing[j]!);
        }
      } catch {
        this.#stats.l2.errors++;
      } finally {
        for (const k of names) this.#unwatchKey(k);
      }
    }
    // What L2 did not have goes through the single-key path (lock, load, fill).
    const loaded = await Promise.all(rest.map((i) => this.get(keys[i]!)));
    for (let j = 0; j < rest.length; j++) out[rest[j]!] = loaded[j];
    return out;
  }

  /**
   * Writes `value` into every level and tells the other instances. A value the L2 cannot
   * store (not serialisable) throws `TypeError` and changes nothing. An unreachable L2 or bus
   * does not fail the write: L1 takes it and the key is invalidated everywhere once it is back.
   */
  async set(key: K, value: V, options?: EntryOptions): Promise<void> {
    if (value === undefined) {
      throw new TypeError('Expected `value` to be defined, got `undefined` (undefined)');
    }
    const ttl = options?.ttl === undefined ? undefined : check.duration('ttl', options.ttl);
    this.#cancel(key);
    const write = this.#startWrite(key);
    try {
      let version = 0;
      let stored = false;
      const l2 = this.#l2;
      if (l2 !== undefined) {
        try {
          if (this.#versioned !== undefined) {
            version = await this.#versioned.setEntry(key, value, {
              ttl: ttl ?? this.#l2Options?.ttl,
              grace: this.#grace,
              announce: this.#announcement([key], 'set'),
            });
          } else {
            await l2.set(key, value, ttl === undefined ? this.#l2Options : { ttl });
          }
          stored = true;
        } catch (error) {
          if (isProgrammerError(error)) throw error;
          this.#stats.l2.errors++;
          this.#remember(key);
        }
      }
      this.#cancel(key);
      const fresh = ttl ?? this.#ttl;
      if (this.#isLastWrite(key, write)) {
        this.#fill(key, { value, version, freshFor: fresh, expiresIn: fresh + this.#grace });
      }
      if (stored) this.#maybeFlush();
      // A versioned L2 stamps the message; with any other L2 (or none) it carries version 0,
      // which every receiver applies.
      if (stored ? version > 0 || this.#versioned === undefined : l2 === undefined) {
        await this.#published([key], version, 'set');
      }
    } finally {
      this.#unwatchKey(key);
    }
  }

  /** Removes `key` from every level and from the other instances' L1. */
  async delete(key: K): Promise<void> {
    this.#cancel(key);
    this.#drop(key);
    const l2 = this.#l2;
    if (l2 === undefined) return this.#publish([key], 0, 'delete');
    this.#startWrite(key); // a set of this key still in flight must not fill L1 after this
    let version = 0;
    try {
      if (this.#versioned !== undefined) {
        version = await this.#versioned.deleteEntries([key], {
          announce: this.#announcement([key], 'delete'),
        });
      } else await l2.delete(key);
    } catch (error) {
      if (isProgrammerError(error)) throw error;
      this.#stats.l2.errors++;
      this.#remember(key);
      return;
    } finally {
      this.#unwatchKey(key);
    }
    this.#maybeFlush();
    if (version > 0 || this.#versioned === undefined) {
      await this.#published([key], version, 'delete');
    }
  }

  /** Empties every level (L2 when it has `invalidateAll`) and every other instance's L1. */
  async invalidateAll(): Promise<void> {
    this.#clears++;
    this.#cancelAll();
    this.#l1.invalidateAll();
    this.#meta.clear();
    const l2 = this.#l2 as (AsyncStore<K, V> & { invalidateAll?: () => unknown }) | undefined;
    if (typeof l2?.invalidateAll !== 'function') return;
    let version: unknown;
    this.#clearing++;
    try {
      version = await l2.invalidateAll();
    } catch {
      this.#stats.l2.errors++;
      this.#overflow = true; // the whole cache is invalidated again once L2 is back
      this.#pending.clear();
      return;
    } finally {
      this.#clearing--;
    }
    if (typeof version === 'number' && version > 0) await this.#publish(null, version, 'clear');
  }

  /** Counters (a copy). */
  stats(): MultiLevelStats {
    const s = this.#stats;
    return {
      l1: { ...s.l1 },
      l2: { ...s.l2 },
      loads: s.loads,
      loadFailures: s.loadFailures,
      staleHits: s.staleHits,
      bus: { ...s.bus },
      locks: { ...s.locks },
      pending: this.#overflow ? this.#maxPending + 1 : this.#pending.size,
    };
  }

  /** Stops listening to the bus (the L1, L2 and connections stay yours). */
  close(): void {
    this.#unsubscribe?.();
    clearTimeout(this.#retry);
    this.#retry = undefined;
    for (const waiters of this.#waiters.values()) for (const wake of waiters) wake('cancel');
  }

  // ── reads ────────────────────────────────────────────────────────────────────────────────

  #start(key: K, stale: V | undefined): Promise<V | undefined> {
    const running = this.#inflight.get(key);
    if (running !== undefined) return running.promise;
    const fetch = {
      promise: undefined,
      epoch: this.#epoch,
      clears: this.#clears,
    } as unknown as Fetch<V>;
    this.#inflight.set(key, fetch);
    fetch.promise = this.#fetch(key, fetch, stale);
    return fetch.promise;
  }

  /** Applies `timeouts.hard` to what a caller awaits (the fetch itself goes on). */
  #bounded(promise: Promise<V | undefined>): Promise<V | undefined> {
    const hard = this.#hard;
    if (hard === INFINITY) return promise;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new CacheTimeoutError('load', hard)), hard);
      promise.then(
        (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        (e: unknown) => {
          clearTimeout(timer);
          reject(e);
        },
      );
    });
  }

  async #fetch(key: K, fetch: Fetch<V>, stale: V | undefined): Promise<V | undefined> {
    this.#watchKey(key);
    try {
      return await this.#fetchWatched(key, fetch, stale);
    } finally {
      this.#unwatchKey(key);
    }
  }

  async #fetchWatched(key: K, fetch: Fetch<V>, stale: V | undefined): Promise<V | undefined> {
    const stats = this.#stats;
    const l2 = this.#l2;
    let holder: string | undefined;
    if (l2 !== undefined) {
      // A plain read first: a hit costs one GET, and no lock or waiter is set up for it.
      let entry: TierEntry<V> | undefined;
      try {
        if (this.#versioned !== undefined) entry = await this.#versioned.getEntry(key);
        else {
          const value = await l2.get(key);
          if (value !== undefined) {
            entry = { value, version: 0, freshFor: INFINITY, expiresIn: INFINITY };
          }
        }
        this.#maybeFlush();
      } catch (error) {
        if (isProgrammerError(error)) throw error;
        stats.l2.errors++;
      }
      if (entry !== undefined && entry.freshFor > 0) {
        stats.l2.hits++;
        this.#fillIfCurrent(key, fetch, entry);
        return entry.value;
      }
      stats.l2.misses++;
      if (entry !== undefined) stale ??= entry.value;
    }
    if (this.#versioned !== undefined && this.#bus !== undefined) {
      // A miss: one script reads the entry again and takes the load lock if it is free; the
      // others wait for the holder's bus message (registered before asking, so it cannot be
      // missed) and then read its value.
      const versioned = this.#versioned;
      const token = `${this.#origin}:${++this.#lockCount}`;
      for (let attempt = 0; attempt < 3; attempt++) {
        const waiter = this.#waitFor(key);
        let result: Awaited<ReturnType<VersionedStore<K, V>['tryLock']>>;
        try {
          result = await versioned.tryLock(key, token, this.#lockTtl);
        } catch (error) {
          waiter.cancel();
          if (isProgrammerError(error)) throw error;
          stats.l2.errors++;
          break; // L2 unreachable: load without the lock
        }
        const entry = result.entry;
        if (entry !== undefined && entry.freshFor > 0) {
          waiter.cancel();
          if (result.acquired) versioned.unlock(key, token).catch(ignore);
          stats.l2.hits++;
          this.#fillIfCurrent(key, fetch, entry);
          return entry.value;
        }
        if (entry !== undefined) stale ??= entry.value;
        if (result.acquired) {
          waiter.cancel();
          stats.locks.acquired++;
          holder = token;
          break;
        }
        stats.locks.waited++;
        const woken = await waiter.promise;
        if (woken === 'timeout') stats.locks.timeouts++;
        else if (woken === 'cancel') break;
        else if (woken !== 'resync' && woken.kind === 'absent') {
          if (this.#inflight.get(key) === fetch) this.#inflight.delete(key);
          return undefined;
        }
        // 'set', 'delete', 'failed', a resync or a timeout: ask again (the next call reads the
        // holder's value, or takes the lock a crashed holder let expire).
      }
    }
    const work = this.#loadAndStore(key, fetch, holder);
    if (stale === undefined) return work;
    // A stale value within grace exists: serve it if the load is slow (soft) or fails.
    if (this.#soft !== INFINITY) {
      const first = await raceTimeout(work, this.#soft);
      if (first !== SOFT_TIMEOUT) return first;
      work.catch(ignore);
      stats.staleHits++;
      return stale;
    }
    try {
      return await work;
    } catch {
      stats.staleHits++;
      return stale;
    }
  }

  async #loadAndStore(key: K, fetch: Fetch<V>, holder: string | undefined): Promise<V | undefined> {
    const stats = this.#stats;
    const current = () => this.#inflight.get(key) === fetch && fetch.epoch === this.#epoch;
    const release = (kind: 'absent' | 'failed') => {
      if (holder === undefined) return;
      this.#publish([key], 0, kind).catch(ignore);
      this.#versioned!.unlock(key, holder).catch(ignore);
    };
    let value: V | undefined;
    try {
      value = await this.#load(key);
    } catch (error) {
      stats.loadFailures++;
      release('failed');
      if (this.#inflight.get(key) === fetch) this.#inflight.delete(key);
      throw new CacheLoadError(key, error);
    }
    stats.loads++;
    if (value === undefined || !current()) {
      release(value === undefined ? 'absent' : 'failed');
      if (this.#inflight.get(key) === fetch) this.#inflight.delete(key);
      return value;
    }
    let version = 0;
    const l2 = this.#l2;
    if (l2 !== undefined) {
      try {
        if (this.#versioned !== undefined) {
          version = await this.#versioned.setEntry(key, value, {
            ttl: this.#l2Options?.ttl,
            grace: this.#grace,
            announce: this.#announcement([key], 'set'),
          });
          if (this.#inline) stats.bus.sent++; // the write script published it
        } else {
          await l2.set(key, value, this.#l2Options);
        }
        // An invalidation that ran its L2 delete while this write was in flight must win.
        if (!current()) {
          version = 0;
          if (this.#versioned !== undefined) await this.#versioned.deleteEntries([key]);
          else await l2.delete(key);
        }
      } catch (error) {
        if (isProgrammerError(error)) {
          release('failed');
          if (this.#inflight.get(key) === fetch) this.#inflight.delete(key);
          throw error;
        }
        stats.l2.errors++;
      }
    }
    if (version > 0 && !this.#inline) await this.#publish([key], version, 'set');
    if (holder !== undefined) this.#versioned!.unlock(key, holder).catch(ignore);
    if (current()) {
      this.#inflight.delete(key);
      this.#fill(key, { value, version, freshFor: this.#ttl, expiresIn: this.#ttl + this.#grace });
    }
    return value;
  }

  // ── L1 bookkeeping ───────────────────────────────────────────────────────────────────────

  #fillIfCurrent(key: K, fetch: Fetch<V>, entry: TierEntry<V>): void {
    if (this.#inflight.get(key) !== fetch || fetch.epoch !== this.#epoch) return;
    if (fetch.clears !== this.#clears || this.#clearing > 0) {
      this.#inflight.delete(key);
      return;
    }
    this.#inflight.delete(key);
    this.#fill(key, entry);
  }

  /**
   * Puts an entry into L1 for no longer than its remaining L2 lifetime (and `l1Ttl`), unless
   * another instance announced a newer version of it meanwhile.
   */
  #fill(key: K, entry: TierEntry<V>): void {
    const watch = this.#watch.get(key);
    if (watch !== undefined && watch.seen > entry.version) {
      this.#drop(key);
      return;
    }
    const ttl = Math.min(this.#l1Ttl ?? INFINITY, entry.expiresIn);
    if (!(ttl > 0)) return;
    this.#l1.set(key, entry.value, ttl === INFINITY ? undefined : { ttl });
    if (!this.#tracked) return;
    this.#meta.set(key, { version: entry.version, freshUntil: this.#clock() + entry.freshFor });
    // Meta of keys L1 evicted on its own: swept when it outgrows L1, amortised O(1) per fill.
    if (this.#meta.size > 2 * this.#l1.size + 64) {
      for (const k of this.#meta.keys()) if (!this.#l1.has(k)) this.#meta.delete(k);
    }
  }

  #drop(key: K): boolean {
    this.#meta.delete(key);
    return this.#l1.delete(key);
  }

  /** Makes a fetch of `key` in flight stale: its callers get the value, nothing stores it. */
  #cancel(key: K): void {
    this.#inflight.delete(key);
  }

  #cancelAll(): void {
    this.#inflight.clear();
  }

  #watchKey(key: K): void {
    const watch = this.#watch.get(key);
    if (watch === undefined) this.#watch.set(key, { count: 1, seen: 0, writes: 0 });
    else watch.count++;
  }

  /**
   * Starts a local write of `key` (watched): later writes of the key, and `invalidateAll`,
   * supersede it. One connection runs them in Redis in the order they started, so the last
   * one started is the one Redis keeps.
   */
  #startWrite(key: K): { writes: number; clears: number } {
    this.#watchKey(key);
    const watch = this.#watch.get(key)!;
    return { writes: ++watch.writes, clears: this.#clears };
  }

  #isLastWrite(key: K, write: { writes: number; clears: number }): boolean {
    return this.#watch.get(key)?.writes === write.writes && this.#clears === write.clears;
  }

  #unwatchKey(key: K): void {
    const watch = this.#watch.get(key);
    if (watch !== undefined && --watch.count === 0) this.#watch.delete(key);
  }

  // ── the bus ──────────────────────────────────────────────────────────────────────────────

  /** The bus message for the L2 write script to publish, when it can (one round trip). */
  #announcement(keys: K[], kind: 'set' | 'delete'): Announcement | undefined {
    if (!this.#inline) return undefined;
    return this.#bus!.announce!({
      keys: keys as unknown as Array<string | number>,
      origin: this.#origin,
      kind,
      sentAt: performance.timeOrigin + performance.now(),
    });
  }

  /** After a successful L2 write: its message went out with it, or is published now. */
  #published(keys: K[], version: number, kind: 'set' | 'delete'): Promise<void> {
    if (this.#inline) {
      this.#stats.bus.sent++;
      return Promise.resolve();
    }
    return this.#publish(keys, version, kind);
  }

  async #publish(
    keys: K[] | null,
    version: number,
    kind: InvalidationMessage['kind'],
  ): Promise<void> {
    const bus = this.#bus;
    if (bus === undefined) return;
    const message: InvalidationMessage = {
      keys: keys as Array<string | number> | null,
      version,
      origin: this.#origin,
      kind,
      sentAt: performance.timeOrigin + performance.now(),
    };
    try {
      await bus.publish(message);
      this.#stats.bus.sent++;
    } catch (error) {
      if (isProgrammerError(error)) throw error;
      this.#stats.bus.failed++;
      if (kind === 'absent' || kind === 'failed') return; // waiters time out and retry
      if (keys === null) this.#setOverflow();
      else for (const k of keys) this.#remember(k);
    }
  }

  #onMessage(m: InvalidationMessage): void {
    const stats = this.#stats.bus;
    if (m.origin === this.#origin) {
      stats.ignored++;
      return;
    }
    stats.received++;
    const invalidates = m.kind === 'set' || m.kind === 'delete' || m.kind === 'clear';
    if (m.keys === null) {
      if (m.kind === 'clear') {
        stats.invalidations += this.#l1.size;
        this.#cancelAll();
        this.#l1.invalidateAll();
        this.#meta.clear();
        for (const watch of this.#watch.values()) watch.seen = Math.max(watch.seen, m.version);
      }
      for (const waiters of this.#waiters.values()) for (const wake of [...waiters]) wake(m);
      return;
    }
    for (const key of m.keys as unknown as K[]) {
      const waiters = this.#waiters.get(key);
      if (waiters !== undefined) for (const wake of [...waiters]) wake(m);
      if (!invalidates) continue;
      const watch = this.#watch.get(key);
      if (watch !== undefined && m.version > watch.seen) watch.seen = m.version;
      const meta = this.#meta.get(key);
      if (meta !== undefined && m.version > 0 && meta.version >= m.version) {
        stats.ignored++; // we hold that write or a newer one
        continue;
      }
      if (this.#drop(key)) stats.invalidations++;
    }
  }

  #onDisconnect(): void {
    this.#stats.bus.disconnects++;
    this.#epoch++; // nothing fetched from now on is stored until the resync
    this.#cancelAll();
  }

  /**
   * The subscription is active again. Messages sent while it was down are gone, so every L1
   * entry written before now may be stale: drop them all (and every fetch spanning the gap),
   * then invalidate what this instance wrote while L2 or the bus was unreachable.
   */
  #onResync(): void {
    this.#stats.bus.resyncs++;
    this.#epoch++;
    this.#cancelAll();
    this.#l1.invalidateAll();
    this.#meta.clear();
    for (const waiters of this.#waiters.values()) for (const wake of [...waiters]) wake('resync');
    this.#maybeFlush();
  }

  /** Resolves when a bus message about `key` arrives, or with 'timeout' after `lock.wait`. */
  #waitFor(key: K): {
    promise: Promise<InvalidationMessage | 'timeout' | 'cancel' | 'resync'>;
    cancel(): void;
  } {
    let resolve!: Wake;
    const promise = new Promise<InvalidationMessage | 'timeout' | 'cancel' | 'resync'>(
      (r) => (resolve = r),
    );
    let set = this.#waiters.get(key);
    if (set === undefined) this.#waiters.set(key, (set = new Set()));
    const waiters = set;
    const wake: Wake = (why) => {
      clearTimeout(timer);
      waiters.delete(wake);
      if (waiters.size === 0 && this.#waiters.get(key) === waiters) this.#waiters.delete(key);
      resolve(why);
    };
    const timer = setTimeout(() => wake('timeout'), this.#lockWait);
    waiters.add(wake);
    return { promise, cancel: () => wake('cancel') };
  }

  // ── outages ──────────────────────────────────────────────────────────────────────────────

  #remember(key: K): void {
    if (this.#overflow) return;
    this.#pending.add(key);
    if (this.#pending.size > this.#maxPending) this.#setOverflow();
  }

  #setOverflow(): void {
    this.#overflow = true;
    this.#pending.clear();
  }

  /** Invalidates, in L2 and on the bus, what was written while they were unreachable. */
  #maybeFlush(): void {
    if (this.#flushing || (this.#pending.size === 0 && !this.#overflow)) return;
    if (this.#l2 === undefined) {
      this.#pending.clear();
      this.#overflow = false;
      return;
    }
    this.#flushing = true;
    this.#flush().then((done) => {
      this.#flushing = false;
      if (done) {
        this.#retryDelay = 50;
        return;
      }
      if (this.#retry !== undefined) return;
      this.#retry = setTimeout(() => {
        this.#retry = undefined;
        this.#maybeFlush();
      }, this.#retryDelay);
      this.#retry.unref?.();
      this.#retryDelay = Math.min(2000, this.#retryDelay * 2);
    });
  }

  /** Resolves false when L2 was still unreachable (what is left is retried later). */
  async #flush(): Promise<boolean> {
    const l2 = this.#l2!;
    if (this.#overflow) {
      this.#overflow = false;
      this.#clears++;
      this.#cancelAll();
      this.#l1.invalidateAll();
      this.#meta.clear();
      this.#clearing++;
      try {
        const store = l2 as AsyncStore<K, V> & { invalidateAll?: () => unknown };
        const version = await store.invalidateAll?.();
        if (typeof version === 'number' && version > 0) await this.#publish(null, version, 'clear');
      } catch {
        this.#stats.l2.errors++;
        this.#overflow = true;
        return false;
      } finally {
        this.#clearing--;
      }
      return !this.#overflow;
    }
    const keys = [...this.#pending];
    for (const k of keys) this.#pending.delete(k);
    try {
      let version = 0;
      if (this.#versioned !== undefined) {
        version = await this.#versioned.deleteEntries(keys, {
          announce: this.#announcement(keys, 'delete'),
        });
      } else for (const k of keys) await l2.delete(k);
      if (version > 0) await this.#published(keys, version, 'delete');
      return this.#pending.size === 0 && !this.#overflow; // a failed publish re-remembers
    } catch {
      this.#stats.l2.errors++;
      for (const k of keys) this.#remember(k);
      return false;
    }
  }
}

/** `promise`'s value, or SOFT_TIMEOUT when it takes longer than `ms` or fails. */
function raceTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof SOFT_TIMEOUT> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms, SOFT_TIMEOUT);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(SOFT_TIMEOUT);
      },
    );
  });
}
