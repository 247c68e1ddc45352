import { AbortError } from './errors.js';
import { deadlineOf, notifyIfWaiting, waitForChange, waitForChangeAsync } from './internal/park.js';
import { integer, sharedBuffer, timeout as checkTimeout } from './internal/validate.js';
import { abortErrorOf } from './semaphore.js';

// Layout, Int32 words (one cache line; the semaphore is one contended word anyway):
//   [PERMITS] free permits, CAS-decremented by acquirers; waiters sleep while it is 0
//   [WAITERS] threads/promises sleeping on PERMITS, so `release` notifies only when needed
//   [MAX]     permits at creation (read-only), bounds `release`
//   [MAGIC]   'SEM1', checked when attaching
const PERMITS = 0;
const WAITERS = 1;
const MAX = 2;
const MAGIC = 3;
const BYTES = 16;
const MAGIC_SEMAPHORE = 0x53_45_4d_31; // 'SEM1'

/**
 * A counting semaphore in shared memory: every thread that attaches the same buffer shares one
 * set of permits. `acquireSync` blocks the thread (spin, then `Atomics.wait`) — for workers;
 * `acquire` waits with `Atomics.waitAsync` — for the main thread. Not FIFO: after a release the
 * woken waiters race for the permit.
 */
export class SharedSemaphore {
  /** The shared memory; pass it to other threads and call {@link SharedSemaphore.from} there. */
  readonly buffer: SharedArrayBuffer;
  /** Permits the semaphore was created with. */
  readonly permits: number;
  readonly #words: Int32Array;

  /** @param permits - how many holders may be inside at once, across all threads (≥ 1). */
  constructor(permits: number);
  /** @internal */
  constructor(permits: number, attach: SharedArrayBuffer);
  constructor(permits: number, attach?: SharedArrayBuffer) {
    if (attach === undefined) {
      this.buffer = new SharedArrayBuffer(BYTES);
      this.#words = new Int32Array(this.buffer);
      this.#words[PERMITS] = this.#words[MAX] = integer('permits', permits, 1, 2 ** 31 - 1);
      this.#words[MAGIC] = MAGIC_SEMAPHORE;
    } else {
      this.buffer = sharedBuffer('buffer', attach, BYTES);
      this.#words = new Int32Array(this.buffer, 0, BYTES / 4);
      if (Atomics.load(this.#words, MAGIC) !== MAGIC_SEMAPHORE) {
        throw new TypeError('Expected `buffer` to hold a SharedSemaphore, got another buffer');
      }
    }
    this.permits = Atomics.load(this.#words, MAX);
  }

  /** Attaches to a semaphore created on another thread from its `buffer`. */
  static from(buffer: SharedArrayBuffer): SharedSemaphore {
    return new SharedSemaphore(1, buffer);
  }

  /** Permits free right now (a snapshot). */
  get available(): number {
    return Atomics.load(this.#words, PERMITS);
  }

  /** Takes one permit if one is free. */
  tryAcquire(): boolean {
    const words = this.#words;
    for (let free = Atomics.load(words, PERMITS); free > 0; ) {
      const seen = Atomics.compareExchange(words, PERMITS, free, free - 1);
      if (seen === free) return true;
      free = seen;
    }
    return false;
  }

  /** Takes one permit, blocking the thread while none is free; false after `timeout` ms. */
  acquireSync(timeout = Number.POSITIVE_INFINITY): boolean {
    const deadline = deadlineOf(checkTimeout('timeout', timeout));
    while (!this.tryAcquire()) {
      if (!waitForChange(this.#words, PERMITS, 0, WAITERS, deadline)) return this.tryAcquire();
    }
    return true;
  }

  /**
   * Takes one permit, waiting with `Atomics.waitAsync` while none is free. Rejects with an
   * `AbortError` if `signal` aborts first (no permit is taken then).
   */
  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const aborted = abortErrorOf(signal);
      if (aborted) throw aborted;
      if (this.tryAcquire()) return;
      const woken = waitForChangeAsync(this.#words, PERMITS, 0, WAITERS, Number.POSITIVE_INFINITY);
      if (signal === undefined) await woken;
      else await raceAbort(woken, signal);
    }
  }

  /**
   * Returns one permit and wakes a sleeper.
   * @throws RangeError when every permit is already free (a release without an acquire).
   */
  release(): void {
    if (Atomics.add(this.#words, PERMITS, 1) >= this.permits) {
      Atomics.sub(this.#words, PERMITS, 1);
      throw new RangeError(
        `Expected a permit to be held before \`release\`, all ${this.permits} are free`,
      );
    }
    notifyIfWaiting(this.#words, PERMITS, WAITERS);
  }

  /** Runs `fn` holding a permit (taken with `acquire`), releasing it however `fn` ends. */
  async using<T>(fn: () => T | PromiseLike<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}

/** Resolves with `promise`, or rejects with an AbortError as soon as `signal` aborts. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortError(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
