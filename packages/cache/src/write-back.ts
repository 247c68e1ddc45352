import { CacheClosedError, CacheFlushError } from './errors.js';
import * as check from './internal/validate.js';
import type {
  SyncCache,
  WriteBackend,
  WriteBackOptions,
  WriteBackStats,
  WriteOp,
} from './types.js';

/** The latest unflushed write of one key; `version` tells a newer write from a flushed one. */
interface Dirty<V> {
  type: 'set' | 'delete';
  value: V | undefined;
  version: number;
}

const never = (): void => {};

/**
 * Write-back: writes go to the cache and to a dirty set at once; a flusher writes them to the
 * backend in batches, every `flushInterval` ms and whenever `maxDirty` keys are dirty.
 *
 * - Coalescing: repeated writes to one key before a flush become one backend op (the latest).
 * - Reads see dirty values even if the cache evicted them: a dirty entry lives in the dirty set
 *   until the backend has it, so eviction can never lose a write (a write-back that kept dirty
 *   entries only in the cache would lose them on eviction).
 * - One flush runs at a time and a key's op is removed from the dirty set only if no newer
 *   write arrived meanwhile: every acknowledged write reaches the backend, in order per key.
 * - A failing backend is retried with exponential back-off; its entries stay dirty.
 * - `close()` flushes everything; if the backend still fails it rejects with
 *   {@link CacheFlushError} listing the keys that were not written.
 */
export class WriteBack<K, V> {
  readonly #cache: SyncCache<K, V>;
  readonly #backend: WriteBackend<K, V>;
  readonly #maxDirty: number;
  readonly #batchSize: number;
  readonly #retries: number;
  readonly #minDelay: number;
  readonly #maxDelay: number;
  readonly #dirty = new Map<K, Dirty<V>>();
  readonly #timer: ReturnType<typeof setInterval>;
  #version = 0;
  /** The tail of the flush chain: flushes run one after another. */
  #chain: Promise<void> = Promise.resolve();
  #queued = false;
  #closed = false;
  readonly #stats: Omit<WriteBackStats, 'dirty'> = { written: 0, coalesced: 0, failedWrites: 0 };

  constructor(options: WriteBackOptions<K, V>) {
    const o = check.options<WriteBackOptions<K, V>>('options', options);
    const { cache, backend } = check.strategyParts<SyncCache<K, V>, WriteBackend<K, V>>(o);
    this.#cache = cache;
    this.#backend = backend;
    const interval = check.positiveNumber('flushInterval', o.flushInterval ?? 1000);
    this.#maxDirty = check.positiveInteger('maxDirty', o.maxDirty ?? 1000);
    this.#batchSize = check.positiveInteger('batchSize', o.batchSize ?? 1000);
    this.#retries =
      o.retries === undefined ? 5 : check.positiveInteger('retries', o.retries + 1) - 1;
    this.#minDelay = check.duration('minDelay', o.minDelay ?? 50);
    this.#maxDelay = check.duration('maxDelay', o.maxDelay ?? 5000);
    this.#timer = setInterval(() => this.#kick(), interval);
    this.#timer.unref();
  }

  /** The cache in front of the backend. */
  get cache(): SyncCache<K, V> {
    return this.#cache;
  }

  /** The value of `key`: a dirty write first, then the cache. */
  get(key: K): V | undefined {
    const dirty = this.#dirty.get(key);
    if (dirty !== undefined) return dirty.value;
    return this.#cache.get(key);
  }

  /**
   * The value of `key`, loading it on a miss (through the cache's own stampede-free
   * `getOrLoad` when it has one). A dirty write or delete answers without loading.
   */
  async getOrLoad(
    key: K,
    loader: (key: K) => V | undefined | PromiseLike<V | undefined>,
  ): Promise<V | undefined> {
    const dirty = this.#dirty.get(key);
    if (dirty !== undefined) return dirty.value;
    const cache = this.#cache as SyncCache<K, V> & {
      getOrLoad?: (key: K, loader: (key: K) => unknown) => Promise<V | undefined>;
    };
    if (typeof cache.getOrLoad === 'function') return cache.getOrLoad(key, loader);
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const value = await loader(key);
    // A write that arrived during the load is newer than what was loaded.
    const raced = this.#dirty.get(key);
    if (raced !== undefined) return raced.value;
    if (value !== undefined) cache.set(key, value);
    return value;
  }

  /** Whether `key` has a value that is not yet in the backend (or a pending delete). */
  isDirty(key: K): boolean {
    return this.#dirty.has(key);
  }

  /** Writes `value` to the cache now and to the backend with the next flush. */
  set(key: K, value: V): this {
    if (value === undefined) {
      throw new TypeError('Expected `value` to be defined, got `undefined` (undefined)');
    }
    this.#mark(key, 'set', value);
    this.#cache.set(key, value);
    return this;
  }

  /** Deletes `key` from the cache now and from the backend with the next flush. */
  delete(key: K): boolean {
    this.#mark(key, 'delete', undefined);
    return this.#cache.delete(key);
  }

  /** Writes every entry dirty now to the backend (retrying); rejects with CacheFlushError. */
  flush(): Promise<void> {
    const run = this.#chain.then(() => this.#flushWithRetry());
    this.#chain = run.catch(never);
    return run;
  }

  /**
   * Stops the flusher, refuses new writes and flushes everything. Rejects with
   * {@link CacheFlushError} (listing the unwritten keys, still dirty and readable) if the
   * backend keeps failing.
   */
  close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    return this.flush();
  }

  stats(): WriteBackStats {
    return { dirty: this.#dirty.size, ...this.#stats };
  }

  #mark(key: K, type: 'set' | 'delete', value: V | undefined): void {
    if (this.#closed) throw new CacheClosedError();
    const previous = this.#dirty.get(key);
    if (previous !== undefined) {
      this.#stats.coalesced++;
      // Delete-then-insert moves the key to the end: batches go out in write order.
      this.#dirty.delete(key);
    }
    this.#dirty.set(key, { type, value, version: ++this.#version });
    if (this.#dirty.size >= this.#maxDirty) this.#kick();
  }

  /** Background flush: at most one queued; a failure leaves the entries dirty for the next. */
  #kick(): void {
    if (this.#queued || this.#dirty.size === 0) return;
    this.#queued = true;
    this.#chain = this.#chain
      .then(() => {
        this.#queued = false;
        return this.#flushWithRetry();
      })
      .catch(never);
  }

  async #flushWithRetry(): Promise<void> {
    let delay = this.#minDelay;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#flushAll();
        return;
      } catch (error) {
        this.#stats.failedWrites++;
        if (attempt > this.#retries) {
          throw new CacheFlushError([...this.#dirty.keys()], attempt, error);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, this.#maxDelay);
    }
  }

  /** Writes the dirty set in batches; keys written meanwhile stay dirty for the next flush. */
  async #flushAll(): Promise<void> {
    const snapshot = [...this.#dirty.keys()];
    for (let start = 0; start < snapshot.length; start += this.#batchSize) {
      const keys: K[] = [];
      const versions: number[] = [];
      const ops: WriteOp<K, V>[] = [];
      for (const key of snapshot.slice(start, start + this.#batchSize)) {
        // The latest write of the key, even if it arrived after the snapshot.
        const latest = this.#dirty.get(key);
        if (latest === undefined) continue;
        keys.push(key);
        versions.push(latest.version);
        ops.push(
          latest.type === 'set'
            ? { type: 'set', key, value: latest.value as V }
            : { type: 'delete', key },
        );
      }
      if (ops.length === 0) continue;
      await this.#backend.write(ops);
      this.#stats.written += ops.length;
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        if (this.#dirty.get(key)?.version === versions[i]) this.#dirty.delete(key);
      }
    }
  }
}
