import { CacheLoadError } from './errors.js';
import { grown } from './internal/grown.js';
import { LruPolicy } from './internal/lru-policy.js';
import { FIRST_SLOT, type Policy, type PolicyHost } from './internal/policy.js';
import { TimerWheel } from './internal/timer-wheel.js';
import * as check from './internal/validate.js';
import { WTinyLfuPolicy } from './internal/w-tinylfu-policy.js';
import type {
  CacheOptions,
  CacheStats,
  EntryOptions,
  EvictionListener,
  Loader,
  RemovalCause,
  SyncCache,
} from './types.js';

const INFINITY = Number.POSITIVE_INFINITY;
/** Slot arrays start this small and double: a 10M-entry bound costs nothing until it fills. */
const INITIAL_SLOTS = 1024;
/** The free-slot stack starts this small: while evictions free one slot per insert it stays so. */
const INITIAL_FREE = 16;
/** Removal causes as indices of `#removed` and of the pending-notification queue. */
const SIZE = 0;
const EXPIRED = 1;
const EXPLICIT = 2;
const REPLACED = 3;
const CAUSES: readonly RemovalCause[] = ['size', 'expired', 'explicit', 'replaced'];
const zeroClock = (): number => 0;
const noRead = (_slot: number, _now: number): void => {};
const unitWeight = (): number => 1;

/**
 * The default clock: `performance.now()`, re-read at most every millisecond or every
 * CLOCK_READS calls, whichever comes first (lru-cache's `ttlResolution` idea, plus the call
 * count so a long synchronous burst still sees time move). Reading the clock on every hit
 * cost ~40% of a TTL cache's hit; this makes it a field load.
 */
const CLOCK_READS = 1024;
let cachedNow = -1;
let clockReads = 0;
let clockTimer = false;
function coarseClock(): number {
  if (cachedNow >= 0 && ++clockReads < CLOCK_READS) return cachedNow;
  clockReads = 0;
  cachedNow = performance.now();
  if (!clockTimer) {
    clockTimer = true;
    setTimeout(staleClock, 1).unref();
  }
  return cachedNow;
}
function staleClock(): void {
  cachedNow = -1;
  clockTimer = false;
}

/** One in-flight load. The record in `#inflight` is the key's generation: replacing or
 * deleting it (on `set`, `delete`, `invalidateAll`) makes the running load's result stale. */
interface Inflight<V> {
  promise: Promise<V | undefined>;
}

/** A copy of a slot array with `capacity` elements, allocated exactly (`push` would overshoot). */
function grownArray<T>(array: (T | undefined)[], capacity: number): (T | undefined)[] {
  const next = new Array<T | undefined>(capacity).fill(undefined);
  for (let i = 0; i < array.length; i++) next[i] = array[i];
  return next;
}

/**
 * A bounded in-memory cache in the manner of Rust's moka and Java's Caffeine: W-TinyLFU
 * eviction (or plain LRU), entry-count or weight bound, TTL/TTI per cache and per entry,
 * stampede-free `getOrLoad`, refresh-ahead, an eviction listener with causes, and statistics.
 *
 * Keys are compared with SameValueZero (as `Map`): `1` and `'1'` are different keys, and
 * `'__proto__'` is an ordinary key. `undefined` is not a storable value (it means "absent").
 *
 * Layout: a `Map` from key to slot index; per-slot data in parallel arrays (keys, values, and
 * expiry in a Float64Array once any entry can expire); the policy keeps its lists and weights
 * in typed arrays indexed by the same slot. Freed slots go on a stack and are reused:
 *
 *   map: key ──▶ slot      keys[slot]  values[slot]  expiresAt[slot]?  (policy: links/meta/…)
 *   free: [ s7 s2 s9 … top )        slots ≥ nextSlot were never used
 *
 * A hit on a 100k-entry cache is bound by cache misses, one per per-slot array it reads, so a
 * cache without expiry reads no expiry array at all (`#expiresAt` is `null` until the first
 * TTL/TTI): profiled with `node --cpu-prof` on bench/throughput.bench.ts, the untimed hit
 * reads the Map, the policy's links and meta byte, and the value.
 */
export class Cache<K, V> implements SyncCache<K, V>, Iterable<[K, V]> {
  readonly #map = new Map<K, number>();
  #keys: (K | undefined)[];
  #values: (V | undefined)[];
  /**
   * Absolute expiry per slot on the cache clock; `Infinity` when the entry never expires.
   * `null` (and never read) until time is enabled: then it and `#wheel` are both set.
   */
  #expiresAt: Float64Array | null = null;
  /** Freed slots (a stack); grows only as far as removals outpace inserts. */
  #free = new Int32Array(INITIAL_FREE);
  #freeTop = 0;
  #nextSlot = FIRST_SLOT;
  #capacity: number;
  readonly #slotLimit: number;
  readonly #policy: Policy;
  readonly #weigh: (key: K, value: V) => number;

  // Time. Until an entry with an expiry exists, `#now` is a constant 0 and every expiry is
  // Infinity: a cache without TTL never reads the clock on its hot path.
  readonly #clock: () => number;
  #now: () => number = zeroClock;
  #onRead: (slot: number, now: number) => void = noRead;
  readonly #ttl: number;
  readonly #tti: number;
  readonly #refreshAfter: number;
  #deadline: Float64Array | null = null;
  #idle: Float64Array | null = null;
  #writtenAt: Float64Array | null = null;
  #wheel: TimerWheel | null = null;
  /** Whether any entry may have a time to idle (the cache's `tti` or a per-entry one). */
  #usesIdle: boolean;

  readonly #loader: Loader<K, V> | undefined;
  readonly #inflight = new Map<K, Inflight<V>>();

  // Removal notifications are queued and delivered once the cache is consistent again, so a
  // listener may safely call back into the cache. Three parallel arrays, reused: no allocation.
  readonly #listener: EvictionListener<K, V> | undefined;
  readonly #pendingKeys: K[] = [];
  readonly #pendingValues: V[] = [];
  readonly #pendingCauses: number[] = [];
  #pending = 0;
  #delivering = false;

  #hits = 0;
  #misses = 0;
  #loads = 0;
  #loadFailures = 0;
  /** Removals by cause (SIZE, EXPIRED, EXPLICIT, REPLACED): an indexed store, not a keyed one. */
  readonly #removed = new Float64Array(CAUSES.length);

  constructor(options: CacheOptions<K, V>) {
    const o = check.options<CacheOptions<K, V>>('options', options);
    const weigher = check.optionalFunction<(key: K, value: V) => number>('weigher', o.weigher);
    let maximum: number;
    let sketchCapacity: number;
    if (o.maximumWeight !== undefined) {
      if (o.maximumSize !== undefined) {
        throw new TypeError('Expected only one of `maximumSize` and `maximumWeight`, got both');
      }
      if (weigher === undefined) {
        throw new TypeError('Expected a `weigher` with `maximumWeight`, got `undefined`');
      }
      maximum = check.positiveNumber('maximumWeight', o.maximumWeight);
      this.#slotLimit = INFINITY;
      sketchCapacity = Math.min(Math.ceil(maximum), 1 << 20);
    } else {
      maximum = check.positiveInteger('maximumSize', o.maximumSize);
      // One more than the bound: an insert lands before the policy evicts.
      this.#slotLimit = FIRST_SLOT + maximum + 1;
      sketchCapacity = maximum;
    }
    this.#weigh =
      weigher === undefined ? unitWeight : (key, value) => check.weight(weigher(key, value));
    this.#ttl = check.duration('ttl', o.ttl);
    this.#tti = check.duration('tti', o.tti);
    this.#refreshAfter = check.duration('refreshAfter', o.refreshAfter);
    this.#usesIdle = this.#tti !== INFINITY;
    this.#loader = check.optionalFunction<Loader<K, V>>('loader', o.loader);
    if (this.#refreshAfter !== INFINITY && this.#loader === undefined) {
      throw new TypeError('Expected a `loader` with `refreshAfter`, got `undefined`');
    }
    this.#listener = check.optionalFunction<EvictionListener<K, V>>('onEvict', o.onEvict);
    this.#clock = check.optionalFunction<() => number>('clock', o.clock) ?? coarseClock;
    const policy = o.policy ?? 'tinylfu';
    if (policy !== 'tinylfu' && policy !== 'lru') {
      throw new TypeError(
        `Expected \`policy\` to be 'tinylfu' or 'lru', got \`${String(policy)}\` (${typeof policy})`,
      );
    }

    this.#capacity = Math.min(FIRST_SLOT + INITIAL_SLOTS, this.#slotLimit);
    this.#keys = new Array<K | undefined>(this.#capacity).fill(undefined);
    this.#values = new Array<V | undefined>(this.#capacity).fill(undefined);
    const host: PolicyHost = { evicted: (slot) => this.#release(slot, SIZE) };
    const weighted = weigher !== undefined;
    this.#policy =
      policy === 'lru'
        ? new LruPolicy(this.#capacity, maximum, host, weighted)
        : new WTinyLfuPolicy(this.#capacity, maximum, sketchCapacity, host, { weighted });
    if (this.#ttl !== INFINITY || this.#tti !== INFINITY || this.#refreshAfter !== INFINITY) {
      this.#enableTime();
    }
  }

  /** Resident entries (expired ones not yet cleaned up included; see {@link Cache.cleanUp}). */
  get size(): number {
    return this.#map.size;
  }

  /** Total weight of the resident entries. */
  get weightedSize(): number {
    return this.#policy.weightedSize;
  }

  /** The live value of `key`, or `undefined`. Counts as an access (policy, TTI, stats). */
  get(key: K): V | undefined {
    const slot = this.#map.get(key);
    if (slot === undefined) {
      this.#misses++;
      return undefined;
    }
    // One well-predicted branch instead of a read of expiresAt[slot] (a cache miss).
    if (this.#expiresAt !== null) return this.#timedRead(slot);
    this.#hits++;
    this.#policy.onHit(slot);
    return this.#values[slot];
  }

  /** The live value of `key` without counting an access. */
  peek(key: K): V | undefined {
    const slot = this.#map.get(key);
    if (slot === undefined || this.#expired(slot)) return undefined;
    return this.#values[slot];
  }

  /** Whether `key` has a live entry. Does not count as an access. */
  has(key: K): boolean {
    const slot = this.#map.get(key);
    return slot !== undefined && !this.#expired(slot);
  }

  /**
   * Stores `value` under `key` (replacing any entry, and making any load of `key` in flight
   * stale). `options` overrides the cache's `ttl`/`tti` for this entry.
   */
  set(key: K, value: V, options?: EntryOptions): this {
    if (value === undefined) {
      throw new TypeError('Expected `value` to be defined, got `undefined` (undefined)');
    }
    let ttl = this.#ttl;
    let tti = this.#tti;
    if (options !== undefined) {
      const o = check.options<EntryOptions>('options', options);
      if (o.ttl !== undefined) ttl = check.duration('ttl', o.ttl);
      if (o.tti !== undefined) tti = check.duration('tti', o.tti);
      if ((ttl !== INFINITY || tti !== INFINITY) && this.#wheel === null) this.#enableTime();
      if (tti !== INFINITY && !this.#usesIdle) {
        this.#usesIdle = true;
        this.#wireReads();
      }
    }
    if (this.#inflight.size !== 0) this.#inflight.delete(key);
    const weight = this.#weigh(key, value);
    const now = this.#now();
    // Expire what is due first, so expired entries never cost a live one its place.
    this.#wheel?.advance(now);
    let slot = this.#map.get(key);
    if (slot !== undefined && this.#expiresAt !== null && this.#expiresAt[slot]! <= now) {
      this.#policy.onRemove(slot);
      this.#release(slot, EXPIRED);
      slot = undefined;
    }
    if (slot === undefined) {
      slot = this.#allocate();
      this.#keys[slot] = key;
      this.#values[slot] = value;
      this.#map.set(key, slot);
      this.#stamp(slot, now, ttl, tti);
      this.#policy.onInsert(slot, key, weight);
    } else {
      const old = this.#values[slot]!;
      this.#values[slot] = value;
      this.#stamp(slot, now, ttl, tti);
      this.#policy.onUpdate(slot, weight);
      this.#removed[REPLACED]!++;
      this.#notify(key, old, REPLACED);
    }
    this.#policy.evict();
    if (this.#pending !== 0) this.#deliver();
    return this;
  }

  /** Removes `key` (cause `'explicit'`); a load of `key` in flight will not be stored. */
  delete(key: K): boolean {
    if (this.#inflight.size !== 0) this.#inflight.delete(key);
    const slot = this.#map.get(key);
    if (slot === undefined) return false;
    const live = !this.#expired(slot);
    this.#policy.onRemove(slot);
    this.#release(slot, live ? EXPLICIT : EXPIRED);
    this.#deliver();
    return live;
  }

  /** Removes every entry (cause `'explicit'`); loads in flight will not be stored. */
  invalidateAll(): void {
    this.#inflight.clear();
    for (const slot of this.#map.values()) {
      this.#policy.onRemove(slot);
      this.#release(slot, EXPLICIT);
    }
    this.#deliver();
  }

  /** Removes every live entry for which `predicate` returns true; returns how many. */
  invalidateIf(predicate: (key: K, value: V) => boolean): number {
    check.requiredFunction('predicate', predicate);
    let removed = 0;
    try {
      for (const slot of this.#map.values()) {
        if (this.#expired(slot)) continue;
        if (predicate(this.#keys[slot]!, this.#values[slot]!)) {
          this.#inflight.delete(this.#keys[slot]!);
          this.#policy.onRemove(slot);
          this.#release(slot, EXPLICIT);
          removed++;
        }
      }
    } finally {
      this.#deliver();
    }
    return removed;
  }

  /**
   * The value of `key`, loading it on a miss. Concurrent callers for one key share ONE load;
   * a failed load rejects every waiter with {@link CacheLoadError} and caches nothing; a load
   * raced by `set`/`delete`/`invalidateAll` of its key resolves its callers but is not stored.
   * A loader result of `undefined` means "absent": it resolves `undefined` and is not cached.
   */
  getOrLoad(key: K, loader: Loader<K, V> | undefined = this.#loader): Promise<V | undefined> {
    const load = check.requiredFunction<Loader<K, V>>('loader', loader);
    const value = this.get(key);
    if (value !== undefined) return Promise.resolve(value);
    return this.#inflight.get(key)?.promise ?? this.#load(key, load);
  }

  /** Removes expired entries now (writes do this as they go) and notifies the listener. */
  cleanUp(): void {
    this.#wheel?.advance(this.#now());
    this.#deliver();
  }

  /** A snapshot of the counters. */
  stats(): CacheStats {
    const requests = this.#hits + this.#misses;
    return {
      hits: this.#hits,
      misses: this.#misses,
      hitRate: requests === 0 ? 0 : this.#hits / requests,
      loads: this.#loads,
      loadFailures: this.#loadFailures,
      evictions: {
        size: this.#removed[SIZE]!,
        expired: this.#removed[EXPIRED]!,
        explicit: this.#removed[EXPLICIT]!,
        replaced: this.#removed[REPLACED]!,
      },
      size: this.#map.size,
      weightedSize: this.#policy.weightedSize,
    };
  }

  /** Live entries, in insertion order of their slots' keys. Not an access. */
  *entries(): IterableIterator<[K, V]> {
    for (const [key, slot] of this.#map) {
      if (!this.#expired(slot)) yield [key, this.#values[slot]!];
    }
  }

  *keys(): IterableIterator<K> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): IterableIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'Cache';
  }

  #load(key: K, loader: Loader<K, V>): Promise<V | undefined> {
    const record = { promise: undefined } as unknown as Inflight<V>;
    // Registered before the loader runs, so a loader that re-enters getOrLoad joins this load.
    this.#inflight.set(key, record);
    record.promise = this.#run(key, loader, record);
    return record.promise;
  }

  async #run(key: K, loader: Loader<K, V>, record: Inflight<V>): Promise<V | undefined> {
    let value: V | undefined;
    try {
      value = await loader(key);
    } catch (error) {
      this.#loadFailures++;
      if (this.#inflight.get(key) === record) this.#inflight.delete(key);
      throw new CacheLoadError(key, error);
    }
    this.#loads++;
    if (this.#inflight.get(key) === record) {
      this.#inflight.delete(key);
      if (value !== undefined) this.set(key, value);
    }
    return value;
  }

  /** A hit once time is enabled: the expiry check and the wired read hooks (TTI, refresh). */
  #timedRead(slot: number): V | undefined {
    const now = this.#now();
    if (this.#expiresAt![slot]! <= now) return this.#expiredRead(slot);
    this.#hits++;
    this.#policy.onHit(slot);
    this.#onRead(slot, now);
    return this.#values[slot];
  }

  /** Whether a resident slot has expired (never, until time is enabled). */
  #expired(slot: number): boolean {
    const expiresAt = this.#expiresAt;
    return expiresAt !== null && expiresAt[slot]! <= this.#now();
  }

  #expiredRead(slot: number): undefined {
    this.#policy.onRemove(slot);
    this.#release(slot, EXPIRED);
    this.#misses++;
    this.#deliver();
    return undefined;
  }

  /** Frees a slot the policy has already unlinked. */
  #release(slot: number, cause: number): void {
    const key = this.#keys[slot]!;
    const value = this.#values[slot]!;
    this.#map.delete(key);
    this.#keys[slot] = undefined;
    this.#values[slot] = undefined;
    if (this.#expiresAt !== null) {
      this.#expiresAt[slot] = INFINITY;
      this.#wheel!.unschedule(slot);
    }
    if (this.#freeTop === this.#free.length) {
      this.#free = grown(this.#free, 2 * this.#free.length);
    }
    this.#free[this.#freeTop++] = slot;
    this.#removed[cause]!++;
    this.#notify(key, value, cause);
  }

  #notify(key: K, value: V, cause: number): void {
    if (this.#listener === undefined) return;
    const i = this.#pending++;
    this.#pendingKeys[i] = key;
    this.#pendingValues[i] = value;
    this.#pendingCauses[i] = cause;
  }

  /** Delivers queued notifications; the first listener error is rethrown after all ran. */
  #deliver(): void {
    if (this.#delivering || this.#pending === 0) return;
    const listener = this.#listener!;
    this.#delivering = true;
    let failure: { error: unknown } | undefined;
    try {
      for (let i = 0; i < this.#pending; i++) {
        const key = this.#pendingKeys[i]!;
        const value = this.#pendingValues[i]!;
        this.#pendingKeys[i] = undefined as K;
        this.#pendingValues[i] = undefined as V;
        try {
          listener(key, value, CAUSES[this.#pendingCauses[i]!]!);
        } catch (error) {
          failure ??= { error };
        }
      }
    } finally {
      this.#pending = 0;
      this.#delivering = false;
    }
    if (failure !== undefined) throw failure.error;
  }

  #allocate(): number {
    if (this.#freeTop > 0) return this.#free[--this.#freeTop]!;
    if (this.#nextSlot === this.#capacity) this.#grow();
    return this.#nextSlot++;
  }

  #grow(): void {
    const capacity = Math.min(this.#capacity * 2, this.#slotLimit);
    this.#keys = grownArray(this.#keys, capacity);
    this.#values = grownArray(this.#values, capacity);
    this.#policy.resize(capacity);
    if (this.#wheel !== null) {
      this.#expiresAt = grown(this.#expiresAt!, capacity, INFINITY);
      this.#deadline = grown(this.#deadline!, capacity, INFINITY);
      this.#idle = grown(this.#idle!, capacity, INFINITY);
      this.#writtenAt = grown(this.#writtenAt!, capacity, 0);
      this.#wheel.resize(capacity, this.#expiresAt);
    }
    this.#capacity = capacity;
  }

  /** Sets the expiry of a (re)written slot. */
  #stamp(slot: number, now: number, ttl: number, tti: number): void {
    if (this.#wheel === null) return; // untimed: expiresAt[slot] is already Infinity
    const deadline = now + ttl;
    // Only what a read will look at: until the first TTI every idle[] stays Infinity, so a
    // hit never consults deadline[] (and writtenAt[] matters only with refreshAfter).
    if (this.#usesIdle) {
      this.#deadline![slot] = deadline;
      this.#idle![slot] = tti;
    }
    if (this.#refreshAfter !== INFINITY) this.#writtenAt![slot] = now;
    this.#expiresAt![slot] = Math.min(deadline, now + tti);
    this.#wheel.schedule(slot);
  }

  /** Switches on the clock, the per-slot time arrays and the timer wheel (once). */
  #enableTime(): void {
    const capacity = this.#capacity;
    const expiresAt = new Float64Array(capacity).fill(INFINITY);
    this.#expiresAt = expiresAt;
    this.#deadline = new Float64Array(capacity).fill(INFINITY);
    this.#idle = new Float64Array(capacity).fill(INFINITY);
    this.#writtenAt = new Float64Array(capacity);
    this.#now = this.#clock;
    const now = this.#clock();
    this.#wheel = new TimerWheel(capacity, expiresAt, now, (slot) => {
      this.#policy.onRemove(slot);
      this.#release(slot, EXPIRED);
    });
    this.#wireReads();
  }

  /**
   * Chooses what a hit does besides the policy update, once, so the hit path carries no
   * feature branches: nothing (TTL only), slide the idle deadline, check refresh age, or both.
   * Each reads another per-slot array, i.e. another likely cache miss, so only when needed.
   */
  #wireReads(): void {
    const refreshAfter = this.#refreshAfter;
    const idle = (slot: number, now: number): void => {
      const tti = this.#idle![slot]!;
      if (tti !== INFINITY) {
        this.#expiresAt![slot] = Math.min(this.#deadline![slot]!, now + tti);
        this.#wheel!.schedule(slot);
      }
    };
    const refresh = (slot: number, now: number): void => {
      if (now - this.#writtenAt![slot]! >= refreshAfter) this.#refresh(this.#keys[slot]!);
    };
    if (refreshAfter === INFINITY) this.#onRead = this.#usesIdle ? idle : noRead;
    else if (!this.#usesIdle) this.#onRead = refresh;
    else {
      this.#onRead = (slot, now) => {
        idle(slot, now);
        refresh(slot, now);
      };
    }
  }

  /** Refresh-ahead: reload `key` once in the background; the current value stays meanwhile. */
  #refresh(key: K): void {
    if (this.#inflight.has(key)) return;
    // A failed refresh keeps the old value; the failure is counted in stats().loadFailures.
    this.#load(key, this.#loader!).catch(() => {});
  }
}
