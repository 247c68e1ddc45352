import { BatchError } from './errors.js';
import * as check from './internal/validate.js';
import type { BatchLoadFn, LoaderCacheMap, LoaderOptions } from './types.js';

type Resolve<V> = (value: V) => void;
type Reject = (reason: unknown) => void;

/** The keys of one tick, with their callbacks in parallel arrays (no object per load). */
interface Batch<K, V, C> {
  keys: K[];
  resolves: Resolve<V>[];
  rejects: Reject[];
  /** Without a cache, de-duplicates within this batch only; dropped at dispatch. */
  memo: Map<C, Promise<V>>;
  dispatched: boolean;
}

/**
 * Same batch schedule as DataLoader (facebook/dataloader `enqueuePostPromiseJob`): after the
 * current promise jobs, then `process.nextTick`, so loads issued from `.then` chains of the
 * same tick still join the batch.
 */
const resolved = Promise.resolve();
function schedule(fn: () => void): void {
  resolved.then(() => process.nextTick(fn));
}

/**
 * DataLoader semantics, leaner: every `load(key)` of one tick becomes one call of the batch
 * function with de-duplicated keys; results (or per-key `Error`s) go back to each caller;
 * promises are memoised per key until `clear()` unless `cache: false`. Unlike DataLoader, a
 * key whose load failed is dropped from the cache, so the next `load` retries it.
 *
 * ```ts
 * const users = new Loader((ids: string[]) => db.getUsers(ids));
 * const [a, b] = await Promise.all([users.load('1'), users.load('2')]); // one db call
 * ```
 */
export class Loader<K, V, C = K> {
  readonly #batchFn: BatchLoadFn<K, V>;
  readonly #maxBatchSize: number;
  readonly #cache: LoaderCacheMap<C, V> | null;
  readonly #keyOf: (key: K) => C;
  #batch: Batch<K, V, C> | null = null;
  /** The batch and cache key the shared promise executor files the callbacks under. */
  #target: Batch<K, V, C> | null = null;
  #incomingKey: K | undefined = undefined;
  readonly #executor = (resolve: Resolve<V>, reject: Reject): void => {
    const batch = this.#target!;
    batch.keys.push(this.#incomingKey as K);
    batch.resolves.push(resolve);
    batch.rejects.push(reject);
  };

  constructor(batchFn: BatchLoadFn<K, V>, options: LoaderOptions<K, V, C> = {}) {
    this.#batchFn = check.func('batchFn', batchFn);
    this.#maxBatchSize = check.integer(
      'maxBatchSize',
      options.maxBatchSize ?? Number.POSITIVE_INFINITY,
      1,
      true,
    );
    const cache = options.cache ?? true;
    if (typeof cache !== 'boolean') {
      throw new TypeError(`Expected \`cache\` to be a boolean, got ${check.show(cache)}`);
    }
    this.#cache = cache ? (options.cacheMap ?? new Map<C, Promise<V>>()) : null;
    this.#keyOf =
      options.cacheKeyFn === undefined
        ? (key) => key as unknown as C
        : check.func('cacheKeyFn', options.cacheKeyFn);
  }

  /** Loads one key; joins the current tick's batch unless the key is cached or already in it. */
  load(key: K): Promise<V> {
    if (key === null || key === undefined) {
      throw new TypeError(
        `Expected \`key\` to be a value other than null or undefined, got ${check.show(key)}`,
      );
    }
    const cacheKey = this.#keyOf(key);
    const cache = this.#cache;
    if (cache !== null) {
      const hit = cache.get(cacheKey);
      if (hit !== undefined) return hit;
    }
    const batch = this.#current();
    const memo = cache ?? batch.memo;
    if (cache === null) {
      const twin = memo.get(cacheKey);
      if (twin !== undefined) return twin;
    }
    this.#target = batch;
    this.#incomingKey = key;
    const promise = new Promise<V>(this.#executor);
    this.#incomingKey = undefined;
    memo.set(cacheKey, promise);
    return promise;
  }

  /** Loads many keys; a failed key yields its `Error` in place (never rejects as a whole). */
  loadMany(keys: readonly K[]): Promise<(V | Error)[]> {
    if (!Array.isArray(keys)) {
      throw new TypeError(`Expected \`keys\` to be an array, got ${check.show(keys)}`);
    }
    return Promise.all(
      keys.map((k) =>
        this.load(k).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))),
      ),
    );
  }

  /** Forgets one key, so its next `load` fetches again. */
  clear(key: K): this {
    this.#cache?.delete(this.#keyOf(key));
    return this;
  }

  /** Forgets every key. */
  clearAll(): this {
    this.#cache?.clear();
    return this;
  }

  /** Seeds the cache with a value (or an `Error`) unless the key is already there. */
  prime(key: K, value: V | Error): this {
    const cache = this.#cache;
    if (!cache) return this;
    const cacheKey = this.#keyOf(key);
    if (cache.get(cacheKey) === undefined) {
      const promise = value instanceof Error ? Promise.reject(value) : Promise.resolve(value);
      promise.catch(() => {}); // a primed error is observed when loaded, not reported unhandled
      cache.set(cacheKey, promise);
    }
    return this;
  }

  #current(): Batch<K, V, C> {
    const batch = this.#batch;
    if (batch !== null && !batch.dispatched && batch.keys.length < this.#maxBatchSize) return batch;
    const fresh: Batch<K, V, C> = {
      keys: [],
      resolves: [],
      rejects: [],
      memo: this.#cache === null ? new Map() : (EMPTY as Map<C, Promise<V>>),
      dispatched: false,
    };
    this.#batch = fresh;
    schedule(() => this.#dispatch(fresh));
    return fresh;
  }

  #dispatch(batch: Batch<K, V, C>): void {
    batch.dispatched = true;
    if (this.#batch === batch) this.#batch = null;
    let pending: PromiseLike<ArrayLike<V | Error>>;
    try {
      pending = this.#batchFn(batch.keys);
      if (pending === null || typeof pending?.then !== 'function') {
        throw new TypeError('The batch function must return a Promise');
      }
    } catch (err) {
      this.#fail(batch, err);
      return;
    }
    pending.then(
      (values) => this.#settle(batch, values),
      (err: unknown) => this.#fail(batch, err),
    );
  }

  #settle(batch: Batch<K, V, C>, values: ArrayLike<V | Error>): void {
    const n = batch.keys.length;
    if (values === null || typeof values !== 'object' || values.length !== n) {
      const got = values === null || typeof values !== 'object' ? typeof values : values.length;
      this.#fail(batch, new BatchError(n, `Batch function returned ${got} values for ${n} keys`));
      return;
    }
    const { resolves, rejects, keys } = batch;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v instanceof Error) {
        // Failures are rare: recompute the cache key rather than store one per load.
        this.#cache?.delete(this.#keyOf(keys[i]!));
        rejects[i]!(v);
      } else {
        resolves[i]!(v as V);
      }
    }
  }

  #fail(batch: Batch<K, V, C>, err: unknown): void {
    const failure =
      err instanceof BatchError
        ? err
        : new BatchError(batch.keys.length, 'Batch function failed', { cause: err });
    for (let i = 0; i < batch.keys.length; i++) {
      this.#cache?.delete(this.#keyOf(batch.keys[i]!));
      batch.rejects[i]!(failure);
    }
  }
}

/** Placeholder memo of cached loaders' batches (they de-duplicate through the cache). */
const EMPTY = new Map<never, never>();
