import { describe } from '@perf/internal';
import { enqueuePostPromiseJob } from './internal/schedule.js';
import * as check from './internal/validate.js';
import type { BatchLoadFn, LoaderCacheMap, LoaderOptions } from './types.js';

type Resolve<V> = (value: V | PromiseLike<V>) => void;
type Reject = (reason: unknown) => void;

/**
 * The loads of one tick. Fetched keys and their callbacks sit in parallel arrays (no object
 * per load); cache hits wait beside them (`hitResolves[i]` settles with `hitValues[i]`) and
 * settle in the same microtask as the fetched values, as DataLoader's `cacheHits` do.
 */
interface Batch<K, V, C> {
  keys: K[];
  resolves: Resolve<V>[];
  rejects: Reject[];
  /** Cache hits of this tick: `hitResolves[i]` settles with `hitValues[i]`; null until one. */
  hitResolves: Resolve<V>[] | null;
  hitRejects: Reject[] | null;
  hitValues: Promise<V>[] | null;
  /** `dedupe` without a cache: each key's promise within this batch only. */
  memo: Map<C, Promise<V>> | null;
  dispatched: boolean;
}

/** DataLoader's opening of every message about a bad batch function, kept word for word. */
const CONTRACT =
  'DataLoader must be constructed with a function which accepts ' +
  'Array<key> and returns Promise<Array<value>>';

/** DataLoader's test for an array of results: a `length` and, unless empty, its last index. */
function isArrayLike(x: unknown): x is ArrayLike<unknown> {
  if (typeof x !== 'object' || x === null) return false;
  const length = (x as { length?: unknown }).length;
  return (
    typeof length === 'number' && (length === 0 || (length > 0 && Object.hasOwn(x, length - 1)))
  );
}

const CACHE_METHODS = ['get', 'set', 'delete', 'clear'] as const;

/**
 * A drop-in for DataLoader 2.2.3 (its own test suite passes against this class): every
 * `load(key)` of one tick becomes one call of the batch function; results (or per-key
 * `Error`s) go back to each caller; promises are memoised per key until `clear()` unless
 * `cache: false`. Same defaults, same error messages; options `cacheErrors`, `cacheHits` and
 * `dedupe` switch on behaviours DataLoader lacks.
 *
 * ```ts
 * const users = new Loader((ids: string[]) => db.getUsers(ids));
 * const [a, b] = await Promise.all([users.load('1'), users.load('2')]); // one db call
 * ```
 */
export class Loader<K, V, C = K> {
  /** The `name` option, for tools (APM, logs); `null` when none was given. */
  readonly name: string | null;
  readonly #batchFn: BatchLoadFn<K, V>;
  readonly #maxBatchSize: number;
  readonly #cache: LoaderCacheMap<C, V> | null;
  /** The `cacheKeyFn` option; null: a key is its own cache key. */
  readonly #keyFn: ((key: K) => C) | null;
  /** The `batchScheduleFn` option; null: DataLoader's default schedule. */
  readonly #scheduleFn: ((callback: () => void) => void) | null;
  readonly #cacheErrors: boolean;
  readonly #hitsWait: boolean;
  readonly #dedupe: boolean;
  #batch: Batch<K, V, C> | null = null;
  constructor(batchFn: BatchLoadFn<K, V>, options?: LoaderOptions<K, V, C> | null) {
    if (typeof batchFn !== 'function') {
      throw new TypeError(`${CONTRACT}, but got: ${String(batchFn)}.`);
    }
    const o = options ?? {};
    this.#batchFn = batchFn;
    this.#maxBatchSize = validMaxBatchSize(o);
    const schedule = o.batchScheduleFn;
    if (schedule !== undefined && typeof schedule !== 'function') {
      throw new TypeError(`batchScheduleFn must be a function: ${String(schedule)}`);
    }
    this.#scheduleFn = schedule ?? null;
    const keyFn = o.cacheKeyFn;
    if (keyFn !== undefined && typeof keyFn !== 'function') {
      throw new TypeError(`cacheKeyFn must be a function: ${String(keyFn)}`);
    }
    this.#keyFn = keyFn ?? null;
    this.#cache = validCacheMap(o);
    this.name = o.name ? o.name : null;
    this.#cacheErrors = flag('cacheErrors', o.cacheErrors, true);
    this.#hitsWait =
      check.oneOf('cacheHits', o.cacheHits ?? 'batch', ['batch', 'immediately']) === 'batch';
    this.#dedupe = flag('dedupe', o.dedupe, false);
  }

  /**
   * Loads one key: joins the current tick's batch, or (cached) settles with that batch. Throws
   * a `TypeError` for `null`/`undefined`.
   */
  load(key: K): Promise<V> {
    if (key === null || key === undefined) {
      throw new TypeError(
        `The loader.load() function must be called with a value, but got: ${String(key)}.`,
      );
    }
    const cache = this.#cache;
    if (cache === null) {
      const batch = this.#current();
      const memo = batch.memo;
      if (memo === null) return this.#enqueue(batch, key);
      const cacheKey = this.#keyOf(key);
      let promise = memo.get(cacheKey);
      if (promise === undefined) {
        promise = this.#enqueue(batch, key);
        memo.set(cacheKey, promise);
      }
      return promise;
    }
    const hitsWait = this.#hitsWait;
    // DataLoader takes the batch before looking in the cache, so a hit alone schedules one.
    const batch = hitsWait ? this.#current() : null;
    const cacheKey = this.#keyOf(key);
    const hit = cache.get(cacheKey);
    if (hit) {
      if (!hitsWait) return hit;
      target = batch;
      incoming = hit;
      const promise = new Promise<V>(hitExecutor as never);
      incoming = undefined;
      return promise;
    }
    const promise = this.#enqueue(batch ?? this.#current(), key);
    cache.set(cacheKey, promise);
    return promise;
  }

  /**
   * Loads many keys; a failed key yields its error in place (never rejects as a whole).
   * Throws a `TypeError` unless `keys` is array-like.
   */
  loadMany(keys: ArrayLike<K>): Promise<(V | Error)[]> {
    if (!isArrayLike(keys)) {
      throw new TypeError(
        `The loader.loadMany() function must be called with Array<key> but got: ${String(keys)}.`,
      );
    }
    const loads = new Array<Promise<V | Error>>(keys.length);
    for (let i = 0; i < keys.length; i++) loads[i] = this.load(keys[i]!).catch(asResult);
    return Promise.all(loads);
  }

  /** Forgets one key, so its next `load` fetches again. */
  clear(key: K): this {
    const cache = this.#cache;
    if (cache !== null) cache.delete(this.#keyOf(key));
    return this;
  }

  /** Forgets every key. */
  clearAll(): this {
    this.#cache?.clear();
    return this;
  }

  /**
   * Seeds the cache with a value, a promise or an `Error` unless the key is already there.
   * A primed `Error` that is loaded and never caught is an unhandled rejection, as in
   * DataLoader.
   */
  prime(key: K, value: V | PromiseLike<V> | Error): this {
    const cache = this.#cache;
    if (cache === null) return this;
    const cacheKey = this.#keyOf(key);
    if (cache.get(cacheKey) === undefined) {
      let promise: Promise<V>;
      if (value instanceof Error) {
        promise = Promise.reject(value);
        promise.catch(noop); // primed on purpose: unhandled only once a load leaves it so
      } else {
        promise = Promise.resolve(value);
      }
      cache.set(cacheKey, promise);
    }
    return this;
  }

  #enqueue(batch: Batch<K, V, C>, key: K): Promise<V> {
    batch.keys.push(key);
    target = batch;
    return new Promise<V>(executor as never);
  }

  #keyOf(key: K): C {
    const fn = this.#keyFn;
    return fn === null ? (key as unknown as C) : fn.call(this, key);
  }

  #current(): Batch<K, V, C> {
    const batch = this.#batch;
    if (batch !== null && !batch.dispatched && batch.keys.length < this.#maxBatchSize) return batch;
    const fresh: Batch<K, V, C> = {
      keys: [],
      resolves: [],
      rejects: [],
      hitResolves: null,
      hitRejects: null,
      hitValues: null,
      memo: this.#cache === null && this.#dedupe ? new Map() : null,
      dispatched: false,
    };
    this.#batch = fresh;
    // The dispatch closures are written inline on purpose: the build keeps function names, so a
    // closure bound to a `const` is renamed with Object.defineProperty, once per batch (a
    // profile of the fresh-cache bench showed ~8 ns per load of it at 100 loads per batch).
    const scheduleFn = this.#scheduleFn;
    if (scheduleFn === null) enqueuePostPromiseJob(() => this.#dispatch(fresh));
    else scheduleFn.call(this, () => this.#dispatch(fresh));
    return fresh;
  }

  #dispatch(batch: Batch<K, V, C>): void {
    batch.dispatched = true;
    if (this.#batch === batch) this.#batch = null;
    if (batch.keys.length === 0) {
      settleHits(batch);
      return;
    }
    let pending: PromiseLike<ArrayLike<V | Error>>;
    try {
      pending = this.#batchFn.call(this, batch.keys);
    } catch (err) {
      this.#fail(
        batch,
        new TypeError(`${CONTRACT}, but the function errored synchronously: ${String(err)}.`, {
          cause: err,
        }),
      );
      return;
    }
    if (!pending || typeof pending.then !== 'function') {
      this.#fail(
        batch,
        new TypeError(
          `${CONTRACT}, but the function did not return a Promise: ${String(pending)}.`,
        ),
      );
      return;
    }
    pending.then(
      (values) => this.#settle(batch, values),
      (err: unknown) => this.#fail(batch, err),
    );
  }

  #settle(batch: Batch<K, V, C>, values: ArrayLike<V | Error>): void {
    const { keys, resolves, rejects } = batch;
    if (!isArrayLike(values)) {
      this.#fail(
        batch,
        new TypeError(
          `${CONTRACT}, but the function did not return a Promise of an Array: ${String(values)}.`,
        ),
      );
      return;
    }
    if (values.length !== keys.length) {
      this.#fail(
        batch,
        new TypeError(
          `${CONTRACT}, but the function did not return a Promise of an Array of the same ` +
            `length as the Array of keys.\n\nKeys:\n${String(keys)}\n\nValues:\n${String(values)}`,
        ),
      );
      return;
    }
    settleHits(batch);
    for (let i = 0; i < keys.length; i++) {
      const v = values[i];
      if (v instanceof Error) {
        // Failures are rare: recompute the cache key rather than store one per load.
        if (!this.#cacheErrors) this.clear(keys[i]!);
        rejects[i]!(v);
      } else {
        resolves[i]!(v as V);
      }
    }
  }

  /** The whole batch failed: nothing of it stays cached, every load rejects with `err`. */
  #fail(batch: Batch<K, V, C>, err: unknown): void {
    settleHits(batch);
    const { keys, rejects } = batch;
    for (let i = 0; i < keys.length; i++) {
      this.clear(keys[i]!);
      rejects[i]!(err);
    }
  }
}

// What the shared promise executors file their callbacks under, set just before each
// `new Promise` (the executor runs synchronously inside it): no closure per load or loader.
// biome-ignore lint/suspicious/noExplicitAny: one slot serves every Loader's batch type
let target: Batch<any, any, any> | null = null;
let incoming: unknown;

function executor(resolve: Resolve<unknown>, reject: Reject): void {
  const batch = target!;
  batch.resolves.push(resolve);
  batch.rejects.push(reject);
}

function hitExecutor(resolve: Resolve<unknown>, reject: Reject): void {
  const batch = target!;
  if (batch.hitResolves === null) {
    batch.hitResolves = [resolve];
    batch.hitRejects = [reject];
    batch.hitValues = [incoming as Promise<unknown>];
  } else {
    batch.hitResolves.push(resolve);
    batch.hitRejects!.push(reject);
    batch.hitValues!.push(incoming as Promise<unknown>);
  }
}

/** Settles the tick's cache hits with their cached promises (one reaction each, no adoption). */
function settleHits<K, V, C>(batch: Batch<K, V, C>): void {
  const { hitResolves, hitRejects, hitValues } = batch;
  if (hitResolves === null) return;
  for (let i = 0; i < hitResolves.length; i++)
    hitValues![i]!.then(hitResolves[i]!, hitRejects![i]!);
}

function validMaxBatchSize(o: { batch?: unknown; maxBatchSize?: unknown }): number {
  if (flag('batch', o.batch, true) === false) return 1;
  const size = o.maxBatchSize;
  if (size === undefined) return Number.POSITIVE_INFINITY;
  if (typeof size !== 'number' || !(size >= 1)) {
    throw new TypeError(`maxBatchSize must be a positive number: ${String(size)}`);
  }
  return size;
}

function validCacheMap<K, V, C>(o: LoaderOptions<K, V, C>): LoaderCacheMap<C, V> | null {
  if (flag('cache', o.cache, true) === false) return null;
  const map = o.cacheMap;
  if (map === undefined) return new Map<C, Promise<V>>();
  if (map === null) return null;
  const missing = CACHE_METHODS.filter(
    (name) => typeof (map as unknown as Record<string, unknown>)[name] !== 'function',
  );
  if (missing.length > 0) {
    throw new TypeError(`Custom cacheMap missing methods: ${missing.join(', ')}`);
  }
  return map;
}

function flag(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new TypeError(`Expected \`${name}\` to be a boolean, got ${describe(value)}`);
  }
  return value;
}

function asResult(err: unknown): Error {
  return err as Error;
}

function noop(): void {}
