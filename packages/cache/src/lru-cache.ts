import QuickLRU from 'quick-lru';
import * as check from './internal/validate.js';
import type { EntryOptions, EvictionListener, LruCacheOptions, SyncCache } from './types.js';

const INFINITY = Number.POSITIVE_INFINITY;

/**
 * The source design's plain LRU, on `quick-lru`, with an exact resident bound.
 *
 * quick-lru keeps two generations of up to `maxSize` entries each and drops the older one
 * whole, so with `maxSize = m` it holds up to `2m − 1` distinct keys. To never exceed the
 * declared `maximumSize` (N), the generation size is `m = ⌊(N + 1) / 2⌋`: the cache holds
 * between `m` and N entries (N − 1 for even N). That is the price of quick-lru's speed: it
 * cannot choose a single victim. Use {@link Cache} when the hit rate matters more.
 *
 * quick-lru writes an item that lives only in the old generation into the new one without
 * removing the old copy (which would later be reported evicted while still resident), so
 * `set` deletes the key first.
 */
export class LruCache<K, V> implements SyncCache<K, V>, Iterable<[K, V]> {
  readonly #lru: QuickLRU<K, V>;
  readonly #maximumSize: number;
  readonly #ttl: number;
  readonly #listener: EvictionListener<K, V> | undefined;
  #size = 0;

  constructor(options: LruCacheOptions<K, V>) {
    const o = check.options<LruCacheOptions<K, V>>('options', options);
    this.#maximumSize = check.positiveInteger('maximumSize', o.maximumSize);
    this.#ttl = check.duration('ttl', o.ttl);
    if (this.#ttl === 0)
      throw new RangeError('Expected `ttl` to be greater than 0, got `0` (number)');
    this.#listener = check.optionalFunction<EvictionListener<K, V>>('onEvict', o.onEvict);
    const listener = this.#listener;
    const ttl = this.#ttl;
    this.#lru = new QuickLRU<K, V>({
      maxSize: Math.floor((this.#maximumSize + 1) / 2),
      maxAge: ttl,
      // Called for a whole-generation drop and for an expired item found on access; an item
      // whose time is up is reported 'expired' either way.
      onEviction: (key, value) => {
        this.#size--;
        if (listener !== undefined) {
          const left = ttl === INFINITY ? INFINITY : this.#lru.expiresIn(key);
          listener(key, value, left !== undefined && left <= 0 ? 'expired' : 'size');
        }
      },
    });
  }

  /** The declared bound, never exceeded. */
  get maximumSize(): number {
    return this.#maximumSize;
  }

  /** Resident entries (expired ones not yet found included). */
  get size(): number {
    return this.#size;
  }

  get(key: K): V | undefined {
    return this.#lru.get(key);
  }

  /** The value without refreshing its recency. */
  peek(key: K): V | undefined {
    return this.#lru.peek(key);
  }

  has(key: K): boolean {
    return this.#lru.has(key);
  }

  /** Stores `value`; `options.ttl` overrides the cache's `ttl` for this entry. */
  set(key: K, value: V, options?: EntryOptions): this {
    if (value === undefined) {
      throw new TypeError('Expected `value` to be defined, got `undefined` (undefined)');
    }
    // Delete first: quick-lru's set of a key living only in the old generation would leave a
    // stale copy there (later reported evicted while still resident), and a get-then-set can
    // itself flip the generations and recreate that copy (found by the contract's property
    // test at maximumSize 1). Deleting from the young generation and re-adding nets its size
    // to zero, so this costs no extra generation flips.
    const ttl = options?.ttl === undefined ? undefined : check.duration('ttl', options.ttl);
    // quick-lru's peek measured ~6× the cost of its delete here: read the old value only for a
    // listener. (An expired entry is deleted like a live one and reported as replaced.)
    const old = this.#listener === undefined ? undefined : this.#lru.peek(key);
    const existed = this.#lru.delete(key);
    if (ttl === undefined) this.#lru.set(key, value);
    else this.#lru.set(key, value, { maxAge: ttl === 0 ? Number.MIN_VALUE : ttl });
    if (!existed) this.#size++;
    else if (old !== undefined) this.#listener!(key, old, 'replaced');
    return this;
  }

  delete(key: K): boolean {
    const old = this.#listener === undefined ? undefined : this.#lru.peek(key);
    if (!this.#lru.delete(key)) return false;
    this.#size--;
    if (old !== undefined) this.#listener!(key, old, 'explicit');
    return true;
  }

  invalidateAll(): void {
    const listener = this.#listener;
    const entries = listener === undefined ? [] : [...this.#lru.entriesAscending()];
    this.#lru.clear();
    this.#size = 0;
    for (const [key, value] of entries) listener!(key, value, 'explicit');
  }

  /** Live entries, least recently used first. */
  *entries(): IterableIterator<[K, V]> {
    yield* this.#lru.entriesAscending();
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'LruCache';
  }
}
