import Denque from 'denque';
import { BatchError, ClosedError, QueueFullError, TimeoutError } from './errors.js';
import { realClock } from './internal/clock.js';
import * as check from './internal/validate.js';
import type { BatchHandler, BatchProcessorOptions, BatchProcessorStats, Clock } from './types.js';

type Resolve<R> = (value: R) => void;
type Reject = (reason: unknown) => void;

interface Waiter<I, R> {
  item: I;
  resolve: Resolve<R>;
  reject: Reject;
}

/** An accepted item waiting for its batch. */
interface Pending<I, R> extends Waiter<I, R> {
  /** `sizeOf(item)`, or 0 when there is no byte bound. */
  size: number;
  /** `clock.now()` when it was accepted: its batch leaves by `enqueuedAt + maxWaitMs`. */
  enqueuedAt: number;
}

function defaultSizeOf(item: unknown): number {
  if (typeof item === 'string') return Buffer.byteLength(item);
  if (item instanceof Uint8Array) return item.byteLength;
  return 1;
}

const zeroSize = (): number => 0;

/**
 * Groups items into batches for one handler: a batch leaves when it holds `maxItems` items,
 * when it weighs `maxBytes`, or when its **oldest** item has waited `maxWaitMs` — not on a
 * fixed tick, so a lone item waits `maxWaitMs` and no longer. Each `add()` gets its own
 * result or error back.
 *
 * ```ts
 * const writes = new BatchProcessor((rows: Row[]) => db.insertMany(rows), { maxWaitMs: 5 });
 * const id = await writes.add(row);
 * ```
 */
export class BatchProcessor<I, R = void> {
  // Accepted items wait, oldest first, in a denque (`#pending`). `#head` counts the items that
  // have left for a batch and `#tail` the items ever accepted, so `#tail - #head` is the
  // pending count and item n (its sequence number) is due when n < `#forceUntil`: a
  // comparison, not a scan. Both are safe integers for 2^53 items.
  //
  //   #head ─► ┌─────┬─────┬─────┬─────┐ ◄─ #tail        #waiting: callers parked while
  //            │  a  │  b  │  c  │  d  │                  `maxPending` items are pending
  //            └─────┴─────┴─────┴─────┘                  (whenFull: 'wait'), admitted in order
  //             oldest: the timer aims at its deadline
  readonly #handler: BatchHandler<I, R>;
  readonly #maxItems: number;
  readonly #maxBytes: number;
  readonly #maxWaitMs: number;
  readonly #maxPending: number;
  readonly #reject: boolean;
  readonly #concurrency: number;
  readonly #handlerTimeoutMs: number;
  readonly #clock: Clock;
  readonly #sizeOf: (item: I) => number;
  readonly #pending = new Denque<Pending<I, R>>();
  #head = 0;
  #tail = 0;
  #bytes = 0;
  /** Items with a sequence number below this leave as soon as a slot is free. */
  #forceUntil = 0;
  #timer: unknown = undefined;
  /** Sequence number of the item the timer is aimed at. */
  #timerFor = -1;
  #running = 0;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #waiting = new Denque<Waiter<I, R>>();
  #closed = false;
  #batches = 0;
  #handed = 0;
  /** The item add() is enqueueing, read by the shared promise executor (no closure per call). */
  #incoming: I | undefined = undefined;
  readonly #executor = (resolve: Resolve<R>, reject: Reject): void => {
    this.#put(this.#incoming as I, resolve, reject);
  };

  constructor(handler: BatchHandler<I, R>, options: BatchProcessorOptions<I> = {}) {
    this.#handler = check.func('handler', handler);
    this.#maxItems = check.integer('maxItems', options.maxItems ?? 100, 1);
    this.#maxBytes = check.number(
      'maxBytes',
      options.maxBytes ?? Number.POSITIVE_INFINITY,
      1,
      true,
    );
    this.#maxWaitMs = check.number('maxWaitMs', options.maxWaitMs ?? 10, 0);
    this.#maxPending = check.integer('maxPending', options.maxPending ?? 10_000, 1);
    this.#reject =
      check.oneOf('whenFull', options.whenFull ?? 'wait', ['wait', 'reject']) === 'reject';
    this.#concurrency = check.integer('concurrency', options.concurrency ?? 1, 1);
    this.#handlerTimeoutMs = check.number(
      'handlerTimeoutMs',
      options.handlerTimeoutMs ?? Number.POSITIVE_INFINITY,
      1,
      true,
    );
    this.#clock = options.clock ?? realClock;
    // Sizes are computed only when a byte bound exists: the unbounded hot path calls a no-op.
    this.#sizeOf = Number.isFinite(this.#maxBytes)
      ? check.func('sizeOf', options.sizeOf ?? defaultSizeOf)
      : zeroSize;
  }

  /** Queues `item`; settles with its result or error once its batch has been handled. */
  add(item: I): Promise<R> {
    if (this.#closed) return Promise.reject(new ClosedError('BatchProcessor'));
    if (this.#tail - this.#head >= this.#maxPending) return this.#whenFull(item);
    this.#incoming = item;
    const promise = new Promise<R>(this.#executor);
    this.#incoming = undefined;
    this.#afterEnqueue();
    return promise;
  }

  /**
   * Hands every item queued so far to the handler now (without waiting for `maxWaitMs`) and
   * resolves when their batches have settled. Never rejects: failures go to each `add()`.
   */
  async flush(): Promise<void> {
    const target = this.#tail + this.#waiting.length;
    this.#forceUntil = Math.max(this.#forceUntil, target);
    this.#drain();
    while (this.#head < target) {
      if (this.#inFlight.size === 0) break; // cannot happen while items wait; defensive
      await Promise.race(this.#inFlight);
    }
    await Promise.all([...this.#inFlight]);
  }

  /** Refuses new items (`PERF_NET_CLOSED`), flushes everything accepted, then resolves. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
    if (this.#timer !== undefined) {
      this.#clock.clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }

  /** A snapshot of the counters. */
  stats(): BatchProcessorStats {
    return {
      pending: this.#tail - this.#head,
      waiting: this.#waiting.length,
      running: this.#running,
      batches: this.#batches,
      items: this.#handed,
    };
  }

  #whenFull(item: I): Promise<R> {
    if (this.#reject) return Promise.reject(new QueueFullError(this.#maxPending));
    return new Promise<R>((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject });
    });
  }

  #afterEnqueue(): void {
    const count = this.#tail - this.#head;
    if (count >= this.#maxItems || this.#bytes >= this.#maxBytes) {
      this.#forceUntil = Math.max(this.#forceUntil, this.#head + 1);
      this.#drain();
    } else if (count === 1 && this.#timer === undefined) {
      this.#arm(this.#maxWaitMs);
    }
  }

  #arm(ms: number): void {
    this.#timerFor = this.#head;
    this.#timer = this.#clock.setTimeout(this.#onTimer, ms);
  }

  /** The oldest item's deadline came: it leaves with up to maxItems companions. */
  readonly #onTimer = (): void => {
    this.#timer = undefined;
    this.#forceUntil = Math.max(this.#forceUntil, this.#head + 1);
    this.#drain();
  };

  #drain(): void {
    while (this.#running < this.#concurrency && this.#head < this.#tail) {
      const count = this.#tail - this.#head;
      if (
        !(this.#head < this.#forceUntil || count >= this.#maxItems || this.#bytes >= this.#maxBytes)
      ) {
        break;
      }
      this.#startBatch();
      this.#admitWaiting();
    }
    this.#rearm();
  }

  /**
   * Keeps exactly one timer, aimed at the oldest pending item's deadline. When a batch leaves
   * by count or size, the item the timer was aimed at is gone, so it is re-aimed at the new
   * oldest (a timer left on the old deadline would flush the next item early).
   */
  #rearm(): void {
    if (this.#timer !== undefined) {
      if (this.#timerFor === this.#head && this.#head < this.#tail) return;
      this.#clock.clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#head === this.#tail || this.#head < this.#forceUntil) return;
    const oldest = this.#pending.peekFront()!.enqueuedAt;
    this.#arm(Math.max(0, oldest + this.#maxWaitMs - this.#clock.now()));
  }

  #admitWaiting(): void {
    const waiting = this.#waiting;
    while (waiting.length > 0 && this.#tail - this.#head < this.#maxPending) {
      const w = waiting.shift()!;
      this.#put(w.item, w.resolve, w.reject);
    }
  }

  /** Accepts one item at the tail (the caller checked there is room). */
  #put(item: I, resolve: Resolve<R>, reject: Reject): void {
    const size = this.#sizeOf(item);
    this.#pending.push({ item, resolve, reject, size, enqueuedAt: this.#clock.now() });
    this.#bytes += size;
    this.#tail++;
  }

  #startBatch(): void {
    const items: I[] = [];
    const resolves: Resolve<R>[] = [];
    const rejects: Reject[] = [];
    let bytes = 0;
    const pending = this.#pending;
    while (this.#head < this.#tail && items.length < this.#maxItems) {
      const next = pending.peekFront()!;
      if (items.length > 0 && bytes + next.size > this.#maxBytes) break;
      pending.shift();
      bytes += next.size;
      items.push(next.item);
      resolves.push(next.resolve);
      rejects.push(next.reject);
      this.#head++;
    }
    this.#bytes -= bytes;
    if (this.#head === this.#tail) this.#bytes = 0; // no float drift across many batches
    this.#running++;
    this.#batches++;
    this.#handed += items.length;
    let out: ReturnType<BatchHandler<I, R>>;
    try {
      out = this.#handler(items);
    } catch (err) {
      this.#running--;
      this.#fail(rejects, new BatchError(items.length, 'Batch handler failed', { cause: err }));
      return;
    }
    if (typeof (out as PromiseLike<unknown> | null)?.then !== 'function') {
      // A synchronous handler settles its batch right here: no microtask hops, and the slot is
      // free again before the next add(), so a fast handler never lets items pile up.
      this.#running--;
      this.#deliver(out as ArrayLike<R | Error>, resolves, rejects);
      return;
    }
    const done = this.#settleLater(out as Promise<ArrayLike<R | Error>>, resolves, rejects).then(
      () => {
        this.#running--;
        this.#inFlight.delete(done);
        this.#drain();
      },
    );
    this.#inFlight.add(done);
  }

  async #settleLater(
    pending: Promise<ArrayLike<R | Error>>,
    resolves: Resolve<R>[],
    rejects: Reject[],
  ): Promise<void> {
    let results: ArrayLike<R | Error>;
    try {
      results = await this.#withTimeout(pending);
    } catch (err) {
      this.#fail(
        rejects,
        err instanceof TimeoutError
          ? err
          : new BatchError(rejects.length, 'Batch handler failed', { cause: err }),
      );
      return;
    }
    this.#deliver(results, resolves, rejects);
  }

  #deliver(results: ArrayLike<R | Error>, resolves: Resolve<R>[], rejects: Reject[]): void {
    const n = resolves.length;
    if (results === null || typeof results !== 'object' || results.length !== n) {
      const got = results === null || typeof results !== 'object' ? typeof results : results.length;
      this.#fail(
        rejects,
        new BatchError(n, `Batch handler returned ${got} results for ${n} items`),
      );
      return;
    }
    for (let i = 0; i < n; i++) {
      const r = results[i];
      if (r instanceof Error) rejects[i]!(r);
      else resolves[i]!(r as R);
    }
  }

  #fail(rejects: Reject[], failure: Error): void {
    for (const reject of rejects) reject(failure);
  }

  /** The handler's promise, raced against handlerTimeoutMs when one is set. */
  #withTimeout(call: Promise<ArrayLike<R | Error>>): Promise<ArrayLike<R | Error>> {
    if (!Number.isFinite(this.#handlerTimeoutMs)) return call;
    return new Promise((resolve, reject) => {
      const timer = this.#clock.setTimeout(
        () => reject(new TimeoutError(this.#handlerTimeoutMs, 'Batch handler')),
        this.#handlerTimeoutMs,
      );
      call.then(
        (v) => {
          this.#clock.clearTimeout(timer);
          resolve(v);
        },
        (e) => {
          this.#clock.clearTimeout(timer);
          reject(e);
        },
      );
    });
  }
}
