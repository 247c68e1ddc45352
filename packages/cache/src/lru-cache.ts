import QuickLRU from 'quick-lru';
import * as check from './internal/validate.js';
import type { EntryOptions, EvictionListener, LruCacheOptions, SyncCache } from './types.js';

const INFINITY = Number.POSITIVE_INFINITY;

/**
 * A plain LRU with quick-lru's speed and method surface, and an exact resident bound.
 *
 * quick-lru keeps two generations of up to `maxSize` entries each and drops the older one
 * whole, so with `maxSize = m` it holds up to `2m − 1` distinct keys. To never exceed the
 * declared `maximumSize` (N), the generation size is `m = ⌊(N + 1) / 2⌋`: the cache holds
 * between `m` and N entries (N − 1 for even N). That is the price of quick-lru's speed: it
 * cannot choose a single victim. Use {@link Cache} when the hit rate matters more.
 *
 * Overwrites. quick-lru writes a key that lives only in the old generation into the new one
 * and leaves the old copy behind. Deleting first avoids that copy, but every delete leaves a
 * hole in the young generation's `Map`, and the holes force rehashes: the 90/10 get/set mix
 * ran at 0.25–0.40× quick-lru's speed. Instead the old copy is left (it costs room, never the
 * bound: copies only lower the distinct count) and is recognised when its generation is
 * dropped: each stored value sits in a one-field box, and a dropped box that is not the one
 * `peek` finds is a stale copy, so neither the count nor the listener hears of it.
 *
 *   young generation: { k1 → box(v2) }      old generation: { k1 → box(v1), k0 → box(v0) }
 *   dropping old: k1's box(v1) ≠ peek(k1) = box(v2) → stale, ignored; k0 → evicted ('size')
 */
export class LruCache<K, V> implements SyncCache<K, V>, Iterable<[K, V]> {
  #lru: QuickLRU<K, Box<V>>;
  #maximumSize: number;
  readonly #ttl: number;
  readonly #listener: EvictionListener<K, V> | undefined;
  #size = 0;
  /**
   * True until some entry has an expiry. Only then may overwrites leave stale copies: once
   * entries expire, quick-lru's expiry checks run inside `peek`, so the stale-copy test could
   * delete what it looks at. From then on, `set` deletes first (no copies are made), and the
   * copies made before have no expiry on their live boxes (re-setting them deletes first).
   */
  #fast: boolean;

  constructor(options: LruCacheOptions<K, V>) {
    const o = check.options<LruCacheOptions<K, V>>('options', options);
    this.#maximumSize = check.positiveInteger('maximumSize', o.maximumSize);
    this.#ttl = check.duration('ttl', o.ttl);
    if (this.#ttl === 0)
      throw new RangeError('Expected `ttl` to be greater than 0, got `0` (number)');
    this.#listener = check.optionalFunction<EvictionListener<K, V>>('onEvict', o.onEvict);
    this.#fast = this.#ttl === INFINITY;
    this.#lru = this.#create(generation(this.#maximumSize));
  }

  #create(maxSize: number): QuickLRU<K, Box<V>> {
    return new QuickLRU<K, Box<V>>({
      maxSize,
      maxAge: this.#ttl,
      // Called for each entry of a dropped generation, and for an expired entry found on
      // access (which quick-lru then deletes). Stale copies are filtered out here.
      onEviction: (key, box) => this.#dropped(key, box),
    });
  }

  #dropped(key: K, box: Box<V>): void {
    // Until an entry has an expiry, peek has no side effects: the live box decides.
    if (!this.#fast) {
      // expiresIn reads the young copy first, as get and peek do, without side effects.
      const left = this.#lru.expiresIn(key);
      if (left !== undefined && left <= 0) {
        this.#size--;
        this.#listener?.(key, box.value, 'expired');
        return;
      }
    }
    const live = this.#lru.peek(key); // not expired (checked above): no side effects
    if (live !== undefined && live !== box) return; // a stale copy: the key lives on
    this.#size--;
    this.#listener?.(key, box.value, 'size');
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
    return this.#size;
  }

  get(key: K): V | undefined {
    return this.#lru.get(key)?.value;
  }

  /** The value without refreshing its recency. */
  peek(key: K): V | undefined {
    return this.#lru.peek(key)?.value;
  }

  has(key: K): boolean {
    return this.#lru.has(key);
  }

  /** Stores `value`; `options.ttl` overrides the cache's `ttl` for this entry. */
  set(key: K, value: V, options?: EntryOptions): this {
    if (value === undefined) {
      throw new TypeError('Expected `value` to be defined, got `undefined` (undefined)');
    }
    const ttl = options?.ttl === undefined ? undefined : check.duration('ttl', options.ttl);
    if (ttl !== undefined) this.#fast = false;
    if (this.#fast) {
      const old = this.#lru.peek(key);
      this.#lru.set(key, { value });
      if (old === undefined) this.#size++;
      else this.#listener?.(key, old.value, 'replaced');
      return this;
    }
    // With expiry: delete first (no stale copy). An expired entry counts as absent.
    const old = this.#listener === undefined ? undefined : this.#lru.peek(key);
    const existed = this.#lru.delete(key);
    const box: Box<V> = { value };
    if (ttl === undefined) this.#lru.set(key, box);
    else this.#lru.set(key, box, { maxAge: ttl === 0 ? Number.MIN_VALUE : ttl });
    if (!existed) this.#size++;
    else if (old !== undefined) this.#listener!(key, old.value, 'replaced');
    return this;
  }

  delete(key: K): boolean {
    const old = this.#listener === undefined ? undefined : this.#lru.peek(key);
    if (!this.#lru.delete(key)) return false;
    this.#size--;
    if (old !== undefined) this.#listener!(key, old.value, 'explicit');
    return true;
  }

  invalidateAll(): void {
    const listener = this.#listener;
    const entries = listener === undefined ? [] : [...this.entries()];
    this.#lru.clear();
    this.#size = 0;
    for (const [key, value] of entries) listener!(key, value, 'explicit');
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
    return this.#lru.expiresIn(key);
  }

  /**
   * Changes the bound to `maximumSize`. As quick-lru's `resize`, the ⌊(maximumSize + 1) / 2⌋
   * most recently used entries stay and the others are evicted (cause `'size'`).
   */
  resize(maximumSize: number): void {
    check.positiveInteger('maximumSize', maximumSize);
    const old = this.#lru;
    const entries = [...old.entriesAscending()];
    // As quick-lru's resize: the m most recent entries (m the new generation size) survive,
    // and the cache grows back towards its bound from there.
    const evict = Math.max(0, entries.length - generation(maximumSize));
    const next = this.#create(generation(maximumSize));
    for (let i = evict; i < entries.length; i++) {
      const [key, box] = entries[i]!;
      const left = old.expiresIn(key) ?? INFINITY;
      if (left === INFINITY) next.set(key, box);
      else next.set(key, box, { maxAge: Math.max(left, Number.MIN_VALUE) });
    }
    this.#lru = next;
    this.#maximumSize = maximumSize;
    for (let i = 0; i < evict; i++) {
      const [key, box] = entries[i]!;
      this.#size--;
      this.#listener?.(key, box.value, 'size');
    }
  }

  /**
   * Evicts the `count` least recently used live entries (cause `'size'`), always keeping the
   * most recent one; `count` is coerced with `Number` and truncated, as quick-lru does.
   */
  evict(count: unknown = 1): void {
    const requested = Number(count);
    if (!requested || requested <= 0) return;
    const entries = [...this.#lru.entriesAscending()];
    const evict = Math.trunc(Math.min(requested, Math.max(entries.length - 1, 0)));
    // As quick-lru: the listener hears of each entry while it is still resident.
    for (let i = 0; i < evict; i++) this.#listener?.(entries[i]![0], entries[i]![1].value, 'size');
    for (let i = 0; i < evict; i++) {
      if (this.#lru.delete(entries[i]![0])) this.#size--;
    }
  }

  /** Live entries, least recently used first. */
  *entriesAscending(): IterableIterator<[K, V]> {
    for (const [key, box] of this.#lru.entriesAscending()) yield [key, box.value];
  }

  /** Live entries, most recently used first. */
  *entriesDescending(): IterableIterator<[K, V]> {
    for (const [key, box] of this.#lru.entriesDescending()) yield [key, box.value];
  }

  /** Live entries, least recently used first (as quick-lru's `entries`). */
  entries(): IterableIterator<[K, V]> {
    return this.entriesAscending();
  }

  *keys(): IterableIterator<K> {
    for (const [key] of this.#lru.entriesAscending()) yield key;
  }

  *values(): IterableIterator<V> {
    for (const [, box] of this.#lru.entriesAscending()) yield box.value;
  }

  forEach(callback: (value: V, key: K, cache: this) => void, thisArgument: unknown = this): void {
    for (const [key, value] of this.entriesAscending()) {
      callback.call(thisArgument, value, key, this);
    }
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'LruCache';
  }

  /** `LruCache(size/maximumSize)`, the shape of quick-lru's `QuickLRU(size/maxSize)`. */
  toString(): string {
    return `${this[Symbol.toStringTag]}(${this.#size}/${this.#maximumSize})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** A stored value; its identity tells a live entry from a stale copy (see the class notes). */
interface Box<V> {
  readonly value: V;
}

/** quick-lru's generation size for an exact bound of `maximumSize` distinct keys. */
function generation(maximumSize: number): number {
  return Math.floor((maximumSize + 1) / 2);
}
