import { CacheWriteError } from './errors.js';
import * as check from './internal/validate.js';
import type { SyncCache, WriteBackend, WriteOp, WriteThroughOptions } from './types.js';

/**
 * Write-through: a write reaches the backend first and shows in the cache only once the backend
 * accepted it; a failed write rejects with {@link CacheWriteError} and leaves the cache as it
 * was. Writes to one key are applied in call order (each waits for the previous one), so the
 * cache never ends up showing an older value than the backend holds.
 */
export class WriteThrough<K, V> {
  readonly #cache: SyncCache<K, V>;
  readonly #backend: WriteBackend<K, V>;
  /** The last pending write per key: the next write to that key chains after it. */
  readonly #tails = new Map<K, Promise<void>>();

  constructor(options: WriteThroughOptions<K, V>) {
    const o = check.options<WriteThroughOptions<K, V>>('options', options);
    const { cache, backend } = check.strategyParts<SyncCache<K, V>, WriteBackend<K, V>>(o);
    this.#cache = cache;
    this.#backend = backend;
  }

  /** The cache in front of the backend. */
  get cache(): SyncCache<K, V> {
    return this.#cache;
  }

  get(key: K): V | undefined {
    return this.#cache.get(key);
  }

  /** Writes `value` to the backend, then to the cache. */
  set(key: K, value: V): Promise<void> {
    if (value === undefined) {
      throw new TypeError('Expected `value` to be defined, got `undefined` (undefined)');
    }
    return this.#enqueue(key, { type: 'set', key, value }, () => this.#cache.set(key, value));
  }

  /** Deletes `key` from the backend, then from the cache. */
  delete(key: K): Promise<void> {
    return this.#enqueue(key, { type: 'delete', key }, () => this.#cache.delete(key));
  }

  #enqueue(key: K, op: WriteOp<K, V>, apply: () => unknown): Promise<void> {
    const previous = this.#tails.get(key);
    const run = async (): Promise<void> => {
      try {
        await this.#backend.write([op]);
      } catch (error) {
        throw new CacheWriteError([key], error);
      }
      apply();
    };
    const result = previous === undefined ? run() : previous.then(run, run);
    const tail = result.then(
      () => {},
      () => {},
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
