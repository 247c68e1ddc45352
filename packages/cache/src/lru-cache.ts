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
 * Values are stored as they are (never `undefined`, so a `Map.get` result tells presence)
 * until the first entry with an expiry: from then on (`#timed`) every stored value is a
 * `Timed` box with its expiry, as quick-lru stores each item, so a read is still one
 * lookup. A side map of expiry times was tried first: its second lookup per hit made timed
 * hits on string keys 0.5× quick-lru's speed. Until a cache is timed, the hot paths test one
 * field and read no clock.
 */
export class LruCache<K, V> implements SyncCache<K, V>, Iterable<[K, V]> {
  /** Writes and promoted reads since the last drop; never more than `#generation − 1` keys. */
  #young = new Map<K, Stored<V>>();
  /** The previous young generation; only deleted from (promotions, deletes, expiry). */
  #old = new Map<K, Stored<V>>();
  /** Keys per generation, m = ⌊(maximumSize + 1) / 2⌋ (quick-lru's `maxSize`). */
  #generation: number;
  #maximumSize: number;
  readonly #ttl: number;
  readonly #listener: EvictionListener<K, V> | undefined;
  /**
   * False: both maps hold plain values. True: both hold `Timed` boxes, and only boxes.
   * Set by a cache `ttl` or the first entry with one; reset by `invalidateAll` on an empty
   * cache without a cache `ttl`.
   */
  #timed: boolean;

  constructor(options: LruCacheOptions<K, V>) {
    const o = check.options<LruCacheOptions<K, V>>('options', options);
    this.#maximumSize = check.positiveInteger('maximumSize', o.maximumSize);
    this.#ttl = check.duration('ttl', o.ttl);
    if (this.#ttl === 0)
      throw new RangeError('Expected `ttl` to be greater than 0, got `0` (number)');
    this.#listener = check.optionalFunction<EvictionListener<K, V>>('onEvict', o.onEvict);
    this.#generation = generation(this.#maximumSize);
    this.#timed = this.#ttl !== INFINITY;
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
    const stored = this.#young.get(key);
    if (stored === undefined) return this.#promote(key);
    return this.#timed ? this.#live(key, stored as Timed<V>) : (stored as V);
  }

  /** A read missed the young generation: look in the old one and move the key up. */
  #promote(key: K): V | undefined {
    const stored = this.#old.get(key);
    if (stored === undefined) return undefined;
    const value = this.#timed ? this.#live(key, stored as Timed<V>) : (stored as V);
    if (value === undefined) return undefined; // expired, now removed
    this.#old.delete(key);
    this.#admit(key, stored);
    return value;
  }

  /** The boxed value, or `undefined` after removing it (reported `'expired'`) if it expired. */
  #live(key: K, box: Timed<V>): V | undefined {
    if (box.expiry === INFINITY || box.expiry > Date.now()) return box.value;
    if (!this.#young.delete(key)) this.#old.delete(key);
    this.#listener?.(key, box.value, 'expired');
    return undefined;
  }

  /** The value without refreshing its recency. */
  peek(key: K): V | undefined {
    const stored = this.#young.get(key) ?? this.#old.get(key);
    if (stored === undefined || !this.#timed) return stored as V | undefined;
    return this.#live(key, stored as Timed<V>);
  }

  has(key: K): boolean {
    return this.peek(key) !== undefined;
  }

  /** Stores `value`; `options.ttl` overrides the cache's `ttl` for this entry. */
  set(key: K, value: V, options?: EntryOptions): this {
    if (value === undefined) {
      throw new TypeError('Expected `value` to be defined, got `undefined` (undefined)');
    }
    if (options === undefined && !this.#timed) return this.#store(key, value);
    const ttl = options?.ttl === undefined ? this.#ttl : check.duration('ttl', options.ttl);
    if (ttl !== INFINITY && !this.#timed) this.#startTiming();
    if (!this.#timed) return this.#store(key, value);
    return this.#store(key, new Timed(value, ttl === INFINITY ? INFINITY : Date.now() + ttl));
  }

  #store(key: K, stored: Stored<V>): this {
    const young = this.#young;
    const previous = young.get(key);
    if (previous !== undefined) {
      young.set(key, stored); // an overwrite in place: no new slot, no drop
      if (this.#listener !== undefined) this.#replaced(key, previous);
      return this;
    }
    const old = this.#old.get(key);
    if (old !== undefined) this.#old.delete(key); // one generation per key (see class notes)
    this.#admit(key, stored);
    if (old !== undefined && this.#listener !== undefined) this.#replaced(key, old);
    return this;
  }

  /** An overwritten entry: `'replaced'`, or `'expired'` if it had expired (it counted as absent). */
  #replaced(key: K, previous: Stored<V>): void {
    if (!this.#timed) this.#listener!(key, previous as V, 'replaced');
    else {
      const box = previous as Timed<V>;
      const cause = box.expiry === INFINITY || box.expiry > Date.now() ? 'replaced' : 'expired';
      this.#listener!(key, box.value, cause);
    }
  }

  /** The first entry with an expiry: box every stored value (once), so reads stay one lookup. */
  #startTiming(): void {
    for (const generation of [this.#young, this.#old]) {
      for (const [key, value] of generation) generation.set(key, new Timed(value as V, INFINITY));
    }
    this.#timed = true;
  }

  /** Puts a key that is in neither generation into the young one; drops old when young is full. */
  #admit(key: K, stored: Stored<V>): void {
    const young = this.#young;
    young.set(key, stored);
    if (young.size < this.#generation) return;
    const dropped = this.#old;
    this.#old = young;
    this.#young = new Map();
    if (this.#listener !== undefined && dropped.size > 0) this.#notifyDropped(dropped);
  }

  /** The old generation was dropped whole: each entry was evicted (`'size'`) or had expired. */
  #notifyDropped(dropped: Map<K, Stored<V>>): void {
    const listener = this.#listener!;
    if (!this.#timed) {
      for (const [key, value] of dropped) listener(key, value as V, 'size');
      return;
    }
    const now = Date.now();
    for (const [key, stored] of dropped) {
      const box = stored as Timed<V>;
      listener(key, box.value, box.expiry <= now ? 'expired' : 'size');
    }
  }

  delete(key: K): boolean {
    let generation = this.#young;
    let stored = generation.get(key);
    if (stored === undefined) {
      generation = this.#old;
      stored = generation.get(key);
      if (stored === undefined) return false;
    }
    const value = this.#timed ? this.#live(key, stored as Timed<V>) : (stored as V);
    if (value === undefined) return false; // it had expired: reported as such, and absent
    generation.delete(key);
    this.#listener?.(key, value, 'explicit');
    return true;
  }

  invalidateAll(): void {
    const entries = this.#listener === undefined ? [] : [...this.entriesAscending()];
    this.#young = new Map();
    this.#old = new Map();
    this.#timed = this.#ttl !== INFINITY;
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
    const stored = this.#young.get(key) ?? this.#old.get(key);
    if (stored === undefined) return undefined;
    const expiry = this.#timed ? (stored as Timed<V>).expiry : INFINITY;
    return expiry === INFINITY ? INFINITY : expiry - Date.now();
  }

  /**
   * Changes the bound to `maximumSize`. As quick-lru's `resize`, the ⌊(maximumSize + 1) / 2⌋
   * most recently used entries stay and the others are evicted (cause `'size'`).
   */
  resize(maximumSize: number): void {
    check.positiveInteger('maximumSize', maximumSize);
    const entries = this.#liveStored(); // expired ones are removed and reported
    const m = generation(maximumSize);
    const evict = Math.max(0, entries.length - m);
    this.#maximumSize = maximumSize;
    this.#generation = m;
    // As quick-lru: with room to spare the survivors form the young generation; otherwise the
    // m most recent become the old one and the young one starts empty.
    if (entries.length < m) {
      this.#young = new Map(entries);
      this.#old = new Map();
    } else {
      this.#old = new Map(entries.slice(evict));
      this.#young = new Map();
    }
    for (let i = 0; i < evict; i++) {
      const [key, stored] = entries[i]!;
      this.#listener?.(key, this.#unbox(stored), 'size');
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
    const entries = this.#liveStored();
    const evict = Math.trunc(Math.min(requested, Math.max(entries.length - 1, 0)));
    if (evict <= 0) return;
    for (let i = 0; i < evict; i++) {
      const [key, stored] = entries[i]!;
      this.#listener?.(key, this.#unbox(stored), 'size');
    }
    this.#old = new Map(entries.slice(evict));
    this.#young = new Map();
  }

  /** Live stored entries, least recent first; expired ones are removed and reported. */
  #liveStored(): [K, Stored<V>][] {
    const entries: [K, Stored<V>][] = [];
    for (const generation of [this.#old, this.#young]) {
      for (const [key, stored] of generation) {
        if (!this.#timed || this.#live(key, stored as Timed<V>) !== undefined) {
          entries.push([key, stored]);
        }
      }
    }
    return entries;
  }

  #unbox(stored: Stored<V>): V {
    return this.#timed ? (stored as Timed<V>).value : (stored as V);
  }

  /** Live entries, least recently used first (expired ones found are removed and reported). */
  *entriesAscending(): IterableIterator<[K, V]> {
    yield* this.#liveEntries(this.#old);
    yield* this.#liveEntries(this.#young);
  }

  /** Live entries, most recently used first. */
  *entriesDescending(): IterableIterator<[K, V]> {
    // A snapshot per generation (taken as its turn comes): reversed, and safe from the deletes
    // of expired entries.
    const young = this.#young;
    const old = this.#old;
    yield* this.#liveEntries([...young].reverse());
    yield* this.#liveEntries([...old].reverse());
  }

  /** The live values of `entries` (a generation, or a snapshot of one); expired ones are removed. */
  *#liveEntries(entries: Iterable<[K, Stored<V>]>): IterableIterator<[K, V]> {
    for (const [key, stored] of entries) {
      const value = this.#timed ? this.#live(key, stored as Timed<V>) : (stored as V);
      if (value !== undefined) yield [key, value];
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

/** A stored value once the cache is timed, with its absolute expiry (`Date.now()` ms). */
class Timed<V> {
  constructor(
    readonly value: V,
    /** `Infinity` for an entry without a time to live. */
    readonly expiry: number,
  ) {}
}

/** What the generation maps hold: plain values, or only `Timed` boxes once timed. */
type Stored<V> = V | Timed<V>;

/** Keys per generation for an exact bound of `maximumSize` distinct keys (2m − 1 ≤ N). */
function generation(maximumSize: number): number {
  return Math.floor((maximumSize + 1) / 2);
}
