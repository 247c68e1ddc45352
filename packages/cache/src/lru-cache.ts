import * as check from './internal/validate.js';
import type { EntryOptions, EvictionListener, LruCacheOptions, SyncCache } from './types.js';

const INFINITY = Number.POSITIVE_INFINITY;

/**
 * A plain LRU with quick-lru's design, speed and method surface, and an exact resident bound.
 *
 * Two generations, as in quick-lru (hashlru's algorithm): writes and promoted reads go into
 * the young `Map`; when it holds `m` keys it becomes the old one and the old one is dropped
 * whole, so no entry needs a list node or a per-access reorder.
 *
 *   young: { k3 → v3, k4 → v4 }   (every write, and every read found in old)
 *   old:   { k1 → v1, k2 → v2 }   (read-only: reads move their key to young)
 *   young reaches m keys → old is dropped (k1, k2 evicted, cause 'size'), young becomes old
 *
 * Invariant: a key lives in at most one generation. quick-lru writes a key found only in the
 * old generation into the young one and leaves the old copy behind, so it holds up to 2m − 1
 * entries of fewer distinct keys; here the write deletes the old copy first (a delete in the
 * old `Map`, which never grows again, so it never rehashes), exactly as a read does. Hence the
 * resident count is `young.size + old.size`, exact and cheap, and with
 * `m = ⌊(N + 1) / 2⌋` it never exceeds the declared `maximumSize` N (at most 2m − 1 ≤ N), and
 * once full never falls below m. That is the price of this speed: the cache cannot choose a
 * single victim. Use {@link Cache} when the hit rate matters more.
 *
 * The earlier wrapper around quick-lru itself had to delete from both generations before
 * each write (or box every value to recognise stale copies); a delete in the young `Map`
 * leaves a hole and the holes made it rehash, so the 90/10 mix ran at 0.25–0.8× quick-lru.
 * Holding the two maps here, each write touches the young map once and the old map only when
 * the key lives there.
 *
 * Values are stored as they are (never `undefined`, so a `Map.get` result tells presence).
 * Expiry times live in a side map created by the first entry that has one: until then the
 * hot paths test one field and read no clock.
 */
export class LruCache<K, V> implements SyncCache<K, V>, Iterable<[K, V]> {
  /** Writes and promoted reads since the last drop; never more than `#generation − 1` keys. */
  #young = new Map<K, V>();
  /** The previous young generation; only deleted from (promotions, deletes, expiry). */
  #old = new Map<K, V>();
  /** Keys per generation, m = ⌊(maximumSize + 1) / 2⌋ (quick-lru's `maxSize`). */
  #generation: number;
  #maximumSize: number;
  readonly #ttl: number;
  readonly #listener: EvictionListener<K, V> | undefined;
  /**
   * Absolute expiry (`Date.now()` milliseconds, as quick-lru's `maxAge`) of each resident key
   * that has one; `undefined` until some entry has an expiry. Keys without one are absent.
   */
  #expiry: Map<K, number> | undefined;

  constructor(options: LruCacheOptions<K, V>) {
    const o = check.options<LruCacheOptions<K, V>>('options', options);
    this.#maximumSize = check.positiveInteger('maximumSize', o.maximumSize);
    this.#ttl = check.duration('ttl', o.ttl);
    if (this.#ttl === 0)
      throw new RangeError('Expected `ttl` to be greater than 0, got `0` (number)');
    this.#listener = check.optionalFunction<EvictionListener<K, V>>('onEvict', o.onEvict);
    this.#generation = generation(this.#maximumSize);
    this.#expiry = this.#ttl === INFINITY ? undefined : new Map();
  }

  /** The declared bound, never exceeded. */
  get maximumSize(): number {
    return this.#maximumSize;
  }

  /** The cache's time to live in milliseconds (`Infinity`: none). */
  get ttl(): number {
    return this.#ttl;
  }

  /** Resident entries (expired ones not yet found included): the true count, never capped. */
  get size(): number {
    return this.#young.size + this.#old.size;
  }

  get(key: K): V | undefined {
    const value = this.#young.get(key);
    if (value !== undefined) {
      if (this.#expiry !== undefined && this.#expireIfDue(key, value)) return undefined;
      return value;
    }
    return this.#promote(key);
  }

  /** A read missed the young generation: look in the old one and move the key up. */
  #promote(key: K): V | undefined {
    const value = this.#old.get(key);
    if (value === undefined) return undefined;
    if (this.#expiry !== undefined && this.#expireIfDue(key, value)) return undefined;
    this.#old.delete(key);
    this.#admit(key, value);
    return value;
  }

  /** The value without refreshing its recency. */
  peek(key: K): V | undefined {
    const value = this.#young.get(key) ?? this.#old.get(key);
    if (value === undefined) return undefined;
    if (this.#expiry !== undefined && this.#expireIfDue(key, value)) return undefined;
    return value;
  }

  has(key: K): boolean {
    return this.peek(key) !== undefined;
  }

  /** Stores `value`; `options.ttl` overrides the cache's `ttl` for this entry. */
  set(key: K, value: V, options?: EntryOptions): this {
    if (value === undefined) {
      throw new TypeError('Expected `value` to be defined, got `undefined` (undefined)');
    }
    if (options !== undefined || this.#expiry !== undefined)
      return this.#setTimed(key, value, options);
    const young = this.#young;
    const previous = young.get(key);
    if (previous !== undefined) {
      young.set(key, value); // an overwrite in place: no new slot, no flip
      this.#listener?.(key, previous, 'replaced');
      return this;
    }
    const old = this.#old.get(key);
    if (old !== undefined) this.#old.delete(key); // one generation per key (see class notes)
    this.#admit(key, value);
    if (old !== undefined) this.#listener?.(key, old, 'replaced');
    return this;
  }

  /** `set` once some entry has an expiry (or this one gets one): the same steps plus the clock. */
  #setTimed(key: K, value: V, options: EntryOptions | undefined): this {
    const ttl = options?.ttl === undefined ? this.#ttl : check.duration('ttl', options.ttl);
    // An expired entry counts as absent: it is reported as expired, not replaced.
    const current = this.#young.get(key) ?? this.#old.get(key);
    const previous =
      current !== undefined && this.#expiry !== undefined && this.#expireIfDue(key, current)
        ? undefined
        : current;
    if (previous !== undefined && this.#young.has(key)) this.#young.set(key, value);
    else {
      if (previous !== undefined) this.#old.delete(key);
      this.#admit(key, value);
    }
    if (ttl === INFINITY) this.#expiry?.delete(key);
    else (this.#expiry ??= new Map()).set(key, Date.now() + ttl);
    if (previous !== undefined) this.#listener?.(key, previous, 'replaced');
    return this;
  }

  /** Puts a key that is in neither generation into the young one; drops old when young is full. */
  #admit(key: K, value: V): void {
    const young = this.#young;
    young.set(key, value);
    if (young.size < this.#generation) return;
    const dropped = this.#old;
    this.#old = young;
    this.#young = new Map();
    if (dropped.size > 0 && (this.#listener !== undefined || this.#expiry !== undefined)) {
      this.#notifyDropped(dropped);
    }
  }

  /** The old generation was dropped whole: forget its expiry times and tell the listener. */
  #notifyDropped(dropped: Map<K, V>): void {
    const expiry = this.#expiry;
    const listener = this.#listener;
    const now = expiry === undefined || expiry.size === 0 ? 0 : Date.now();
    for (const [key, value] of dropped) {
      const at = expiry?.get(key);
      if (at !== undefined) expiry!.delete(key);
      listener?.(key, value, at !== undefined && at <= now ? 'expired' : 'size');
    }
  }

  /** Removes `key` if its expiry has passed (reporting it as `'expired'`); true if it did. */
  #expireIfDue(key: K, value: V): boolean {
    const at = this.#expiry!.get(key);
    if (at === undefined || at > Date.now()) return false;
    if (!this.#young.delete(key)) this.#old.delete(key);
    this.#expiry!.delete(key);
    this.#listener?.(key, value, 'expired');
    return true;
  }

  delete(key: K): boolean {
    let value = this.#young.get(key);
    if (value !== undefined) {
      if (this.#expiry !== undefined && this.#expireIfDue(key, value)) return false;
      this.#young.delete(key);
    } else {
      value = this.#old.get(key);
      if (value === undefined) return false;
      if (this.#expiry !== undefined && this.#expireIfDue(key, value)) return false;
      this.#old.delete(key);
    }
    this.#expiry?.delete(key);
    this.#listener?.(key, value, 'explicit');
    return true;
  }

  invalidateAll(): void {
    const entries = this.#listener === undefined ? [] : [...this.entriesAscending()];
    this.#young = new Map();
    this.#old = new Map();
    this.#expiry?.clear();
    for (const [key, value] of entries) this.#listener!(key, value, 'explicit');
  }

  /** quick-lru's name for {@link LruCache.invalidateAll}. */
  clear(): void {
    this.invalidateAll();
  }

  /**
   * Milliseconds until `key` expires: `Infinity` without a time to live, ≤ 0 once expired
   * (the entry is not removed), `undefined` when the key is absent.
   */
  expiresIn(key: K): number | undefined {
    if (!this.#young.has(key) && !this.#old.has(key)) return undefined;
    const at = this.#expiry?.get(key);
    return at === undefined ? INFINITY : at - Date.now();
  }

  /**
   * Changes the bound to `maximumSize`. As quick-lru's `resize`, the ⌊(maximumSize + 1) / 2⌋
   * most recently used entries stay and the others are evicted (cause `'size'`).
   */
  resize(maximumSize: number): void {
    check.positiveInteger('maximumSize', maximumSize);
    const entries = [...this.entriesAscending()]; // live only: expired ones are reported
    const m = generation(maximumSize);
    const evict = Math.max(0, entries.length - m);
    this.#maximumSize = maximumSize;
    this.#generation = m;
    // As quick-lru: with room to spare the survivors form the young generation; otherwise the
    // m most recent become the old one and the young one starts empty.
    if (evict === 0 && entries.length < m) {
      this.#young = new Map(entries);
      this.#old = new Map();
    } else {
      this.#old = new Map(entries.slice(evict));
      this.#young = new Map();
    }
    for (let i = 0; i < evict; i++) {
      const [key, value] = entries[i]!;
      this.#expiry?.delete(key);
      this.#listener?.(key, value, 'size');
    }
  }

  /**
   * Evicts the `count` least recently used live entries (cause `'size'`), always keeping the
   * most recent one; `count` is coerced with `Number` and truncated, as quick-lru does. As
   * there, the listener hears of each entry while it is still resident, and the survivors
   * form the old generation.
   */
  evict(count: unknown = 1): void {
    const requested = Number(count);
    if (!requested || requested <= 0) return;
    const entries = [...this.entriesAscending()];
    const evict = Math.trunc(Math.min(requested, Math.max(entries.length - 1, 0)));
    if (evict <= 0) return;
    for (let i = 0; i < evict; i++) this.#listener?.(entries[i]![0], entries[i]![1], 'size');
    for (let i = 0; i < evict; i++) this.#expiry?.delete(entries[i]![0]);
    this.#old = new Map(entries.slice(evict));
    this.#young = new Map();
  }

  /** Live entries, least recently used first (expired ones found are removed and reported). */
  *entriesAscending(): IterableIterator<[K, V]> {
    yield* this.#live(this.#old);
    yield* this.#live(this.#young);
  }

  /** Live entries, most recently used first. */
  *entriesDescending(): IterableIterator<[K, V]> {
    for (const generation of [this.#young, this.#old]) {
      const entries = [...generation];
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, value] = entries[i]!;
        if (this.#expiry === undefined || !this.#expireIfDue(key, value)) yield [key, value];
      }
    }
  }

  *#live(generation: Map<K, V>): IterableIterator<[K, V]> {
    for (const [key, value] of generation) {
      if (this.#expiry === undefined || !this.#expireIfDue(key, value)) yield [key, value];
    }
  }

  /** Live entries, least recently used first (as quick-lru's `entries`). */
  entries(): IterableIterator<[K, V]> {
    return this.entriesAscending();
  }

  *keys(): IterableIterator<K> {
    for (const [key] of this.entriesAscending()) yield key;
  }

  *values(): IterableIterator<V> {
    for (const [, value] of this.entriesAscending()) yield value;
  }

  forEach(callback: (value: V, key: K, cache: this) => void, thisArgument: unknown = this): void {
    for (const [key, value] of this.entriesAscending()) {
      callback.call(thisArgument, value, key, this);
    }
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  /** The class name, as quick-lru's tag is its own: a subclass reports its own name. */
  get [Symbol.toStringTag](): string {
    return this.constructor.name;
  }

  /** `LruCache(size/maximumSize)`, the shape of quick-lru's `QuickLRU(size/maxSize)`. */
  toString(): string {
    return `${this[Symbol.toStringTag]}(${this.size}/${this.#maximumSize})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** Keys per generation for an exact bound of `maximumSize` distinct keys (2m − 1 ≤ N). */
function generation(maximumSize: number): number {
  return Math.floor((maximumSize + 1) / 2);
}
