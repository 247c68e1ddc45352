import Denque from 'denque';
import { AbortError } from './errors.js';
import { integer } from './internal/validate.js';
import type { AcquireOptions } from './types.js';

interface Waiter {
  readonly permits: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
  /** Set when the waiter's signal aborted: the queue skips it instead of searching for it. */
  cancelled: boolean;
}

const RESOLVED: Promise<void> = Promise.resolve();

/** Rejects with an AbortError when `signal` is already aborted; the error, or undefined. */
export const abortErrorOf = (signal: AbortSignal | undefined): AbortError | undefined =>
  signal?.aborted ? new AbortError(signal.reason) : undefined;

/**
 * An async counting semaphore for one thread (tokio's `Semaphore`): `acquire` resolves when
 * permits are free, in FIFO order — a waiter for many permits holds back later small ones, so
 * nobody starves. For limits that span worker threads use {@link SharedSemaphore}.
 */
export class Semaphore {
  /** Permits the semaphore was created with; `release` never lets `available` exceed it. */
  readonly permits: number;
  #available: number;
  #cancelled = 0;
  readonly #queue = new Denque<Waiter>();

  /** @param permits - how many holders may be inside at once (integer ≥ 1). */
  constructor(permits: number) {
    this.permits = integer('permits', permits, 1);
    this.#available = permits;
  }

  /** Permits free right now. */
  get available(): number {
    return this.#available;
  }

  /** Callers waiting in `acquire`. */
  get waiting(): number {
    return this.#queue.length - this.#cancelled;
  }

  /** Takes `permits` permits if they are free and nobody is queued before us. */
  tryAcquire(permits = 1): boolean {
    if (this.#queue.length === 0 && this.#available >= permits) {
      this.#available -= this.#checkPermits(permits);
      return true;
    }
    return false;
  }

  /**
   * Resolves once the permits are ours (FIFO). Rejects with an `AbortError`
   * (`PERF_CONCURRENCY_ABORTED`) if `options.signal` aborts first; nothing is taken then.
   */
  acquire(options?: AcquireOptions): Promise<void> {
    if (options === undefined) {
      if (this.#available > 0 && this.#queue.length === 0) {
        this.#available--;
        return RESOLVED;
      }
      return this.#enqueue(1, undefined);
    }
    const permits = this.#checkPermits(options.permits ?? 1);
    const aborted = abortErrorOf(options.signal);
    if (aborted) return Promise.reject(aborted);
    if (this.tryAcquire(permits)) return RESOLVED;
    return this.#enqueue(permits, options.signal);
  }

  /**
   * Returns `permits` permits and wakes waiters in order.
   * @throws RangeError when that would leave more permits than the semaphore was created with.
   */
  release(permits = 1): void {
    if (this.#available + this.#checkPermits(permits) > this.permits) {
      throw new RangeError(
        `Expected \`release\` to return at most the ${this.permits - this.#available} permits held, got \`${permits}\``,
      );
    }
    this.#available += permits;
    this.#grant();
  }

  /** Runs `fn` holding the permits, releasing them however `fn` ends. */
  async using<T>(fn: () => T | PromiseLike<T>, options?: AcquireOptions): Promise<T> {
    await this.acquire(options);
    try {
      return await fn();
    } finally {
      this.release(options?.permits ?? 1);
    }
  }

  #enqueue(permits: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { permits, resolve, reject, cancelled: false };
      if (signal !== undefined) {
        const onAbort = () => {
          if (waiter.cancelled) return;
          waiter.cancelled = true;
          this.#cancelled++;
          reject(new AbortError(signal.reason));
          this.#grant(); // a large waiter leaving may unblock smaller ones behind it
        };
        signal.addEventListener('abort', onAbort, { once: true });
        (waiter as { resolve: () => void }).resolve = () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
      }
      this.#queue.push(waiter);
    });
  }

  #grant(): void {
    const queue = this.#queue;
    for (let head = queue.peekFront(); head !== undefined; head = queue.peekFront()) {
      if (head.cancelled) {
        queue.shift();
        this.#cancelled--;
        continue;
      }
      if (head.permits > this.#available) return;
      queue.shift();
      this.#available -= head.permits;
      head.cancelled = true; // settled: a later abort must not reject it
      head.resolve();
    }
  }

  #checkPermits(permits: number): number {
    return integer('permits', permits, 1, this.permits);
  }
}
