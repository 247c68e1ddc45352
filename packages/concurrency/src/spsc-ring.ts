import { notifyIfWaiting, retryAsync, retryBlocking } from './internal/park.js';
import {
  attachRing,
  createRing,
  HEAD,
  HEAD_WAITERS,
  HEADER_BYTES,
  MAGIC_FLOAT64,
  MAGIC_INT32,
  TAIL,
  TAIL_WAITERS,
} from './internal/ring-layout.js';
import { oneOf, timeout as checkTimeout } from './internal/validate.js';
import type { NumberType, SpscRingOptions } from './types.js';

/**
 * Below this many elements a plain loop is used instead of `subarray()` + `set()` (two view
 * allocations per call). A reasoned threshold: the same-thread bench shows bulk 256 at 1.5×
 * ringbuf.js, but the crossover itself was not measured.
 */
const BULK_LOOP_MAX = 32;

const slotBytesOf = (magic: number): number =>
  magic === MAGIC_FLOAT64 ? 8 : magic === MAGIC_INT32 ? 4 : 0;

/**
 * A wait-free single-producer/single-consumer ring of numbers over a `SharedArrayBuffer`.
 *
 * Create it on one thread, send {@link SpscRing.buffer} to another (`postMessage`,
 * `workerData`) and {@link SpscRing.from | attach} it there. Exactly one thread may push and
 * exactly one may pop. The header layout (see `src/internal/ring-layout.ts`):
 *
 * ```text
 * byte 0           64              128                                   192
 * +--------------+---------------+------------------------------------+-------------------+
 * | HEAD         | TAIL          | HEAD_WAITERS TAIL_WAITERS MAGIC CAP | slots[capacity]   |
 * | (consumer)   | (producer)    | (sleepers)          (read-only)     | Int32 or Float64  |
 * +--------------+---------------+------------------------------------+-------------------+
 * empty when HEAD === TAIL · full when TAIL - HEAD === capacity (free-running uint32 counters)
 * ```
 *
 * The design follows Erik Rigtorp's SPSCQueue: each side keeps its own index locally and a
 * cached copy of the other side's, re-reading the shared one only when the ring looks full
 * (producer) or empty (consumer), so the common case touches no contended cache line.
 */
export class SpscRing {
  /** The shared memory; pass it to another thread and call {@link SpscRing.from} there. */
  readonly buffer: SharedArrayBuffer;
  /** Number of slots (a power of two). */
  readonly capacity: number;
  /** Slot type. */
  readonly type: NumberType;
  readonly #words: Int32Array;
  readonly #data: Int32Array | Float64Array;
  readonly #mask: number;
  // Producer side: its own index and a possibly stale copy of HEAD (only ever behind).
  #tail: number;
  #headCache: number;
  // Consumer side: its own index and a possibly stale copy of TAIL.
  #head: number;
  #tailCache: number;

  constructor(options: SpscRingOptions);
  /** @internal */
  constructor(options: SpscRingOptions, attach: SharedArrayBuffer);
  constructor(options: SpscRingOptions, attach?: SharedArrayBuffer) {
    const type = oneOf('type', options?.type ?? 'float64', ['int32', 'float64'] as const);
    const ring =
      attach === undefined
        ? attachRing(
            createRing(
              options?.capacity,
              type === 'int32' ? 4 : 8,
              type === 'int32' ? MAGIC_INT32 : MAGIC_FLOAT64,
              2,
            ),
            slotBytesOf,
            'a number ring',
          )
        : attachRing(attach, slotBytesOf, 'a number ring');
    this.buffer = ring.buffer;
    this.capacity = ring.capacity;
    this.type = ring.magic === MAGIC_INT32 ? 'int32' : 'float64';
    this.#words = ring.words;
    this.#data =
      ring.magic === MAGIC_INT32
        ? new Int32Array(ring.buffer, HEADER_BYTES, ring.capacity)
        : new Float64Array(ring.buffer, HEADER_BYTES, ring.capacity);
    this.#mask = ring.capacity - 1;
    this.#tail = this.#tailCache = Atomics.load(ring.words, TAIL);
    this.#head = this.#headCache = Atomics.load(ring.words, HEAD);
  }

  /**
   * Attaches to a ring created elsewhere (usually on another thread) from its `buffer`.
   * @throws TypeError when `buffer` is not a SharedArrayBuffer holding a number ring.
   * @throws RangeError when it is too small for the capacity in its header.
   */
  static from(buffer: SharedArrayBuffer): SpscRing {
    return new SpscRing({ capacity: 2 }, buffer);
  }

  /** Number of elements in the ring right now (exact only when both sides are idle). */
  get size(): number {
    return (Atomics.load(this.#words, TAIL) - Atomics.load(this.#words, HEAD)) | 0;
  }

  /** Appends `value`; false when the ring is full. Int32 rings store `value | 0`. Producer only. */
  tryPush(value: number): boolean {
    const tail = this.#tail;
    if (((tail - this.#headCache) | 0) === this.capacity) {
      this.#headCache = Atomics.load(this.#words, HEAD);
      if (((tail - this.#headCache) | 0) === this.capacity) return false;
    }
    this.#data[tail & this.#mask] = value;
    this.#publishTail((tail + 1) | 0);
    return true;
  }

  /**
   * Appends as many elements of `values` as fit, in order; returns how many. Producer only.
   */
  tryPushMany(values: ArrayLike<number>): number {
    const tail = this.#tail;
    let free = this.capacity - ((tail - this.#headCache) | 0);
    if (free < values.length) {
      this.#headCache = Atomics.load(this.#words, HEAD);
      free = this.capacity - ((tail - this.#headCache) | 0);
    }
    const n = Math.min(values.length, free);
    if (n === 0) return 0;
    const data = this.#data;
    const at = tail & this.#mask;
    if (n <= BULK_LOOP_MAX || !ArrayBuffer.isView(values)) {
      for (let i = 0; i < n; i++) data[(at + i) & this.#mask] = values[i]!;
    } else {
      const src = values as unknown as Float64Array;
      const first = this.capacity - at;
      if (n <= first) data.set(src.subarray(0, n), at);
      else {
        data.set(src.subarray(0, first), at);
        data.set(src.subarray(first, n), 0);
      }
    }
    this.#publishTail((tail + n) | 0);
    return n;
  }

  /** Removes and returns the oldest element; `undefined` when empty. Consumer only. */
  tryPop(): number | undefined {
    const head = this.#head;
    if (head === this.#tailCache) {
      this.#tailCache = Atomics.load(this.#words, TAIL);
      if (head === this.#tailCache) return undefined;
    }
    const value = this.#data[head & this.#mask];
    this.#publishHead((head + 1) | 0);
    return value;
  }

  /**
   * Moves up to `out.length` of the oldest elements into `out` (from index 0); returns how many.
   * Consumer only.
   */
  tryPopMany(out: Int32Array | Float64Array | number[]): number {
    const head = this.#head;
    let used = (this.#tailCache - head) | 0;
    if (used < out.length) {
      this.#tailCache = Atomics.load(this.#words, TAIL);
      used = (this.#tailCache - head) | 0;
    }
    const n = Math.min(out.length, used);
    if (n === 0) return 0;
    const data = this.#data;
    const at = head & this.#mask;
    if (n <= BULK_LOOP_MAX || Array.isArray(out)) {
      for (let i = 0; i < n; i++) out[i] = data[(at + i) & this.#mask]!;
    } else {
      const first = this.capacity - at;
      if (n <= first) out.set(data.subarray(at, at + n));
      else {
        out.set(data.subarray(at, this.capacity));
        out.set(data.subarray(0, n - first), first);
      }
    }
    this.#publishHead((head + n) | 0);
    return n;
  }

  /**
   * Appends `value`, blocking the thread while the ring is full: spins briefly, then parks in
   * `Atomics.wait`. Returns false if `timeout` ms pass first. Producer only.
   */
  push(value: number, timeout = Number.POSITIVE_INFINITY): boolean {
    checkTimeout('timeout', timeout);
    if (this.tryPush(value)) return true;
    const attempt = () => this.tryPush(value) || undefined;
    return retryBlocking(attempt, this.#words, HEAD, HEAD_WAITERS, timeout) === true;
  }

  /**
   * Removes the oldest element, blocking while the ring is empty (spin, then `Atomics.wait`).
   * Returns `undefined` if `timeout` ms pass first. Consumer only.
   */
  pop(timeout = Number.POSITIVE_INFINITY): number | undefined {
    checkTimeout('timeout', timeout);
    return this.tryPop() ?? retryBlocking(this.#pop, this.#words, TAIL, TAIL_WAITERS, timeout);
  }

  /**
   * Removes the oldest element, waiting with `Atomics.waitAsync` (the event loop keeps running)
   * while the ring is empty. Resolves `undefined` if `timeout` ms pass first. Consumer only.
   */
  popAsync(timeout = Number.POSITIVE_INFINITY): Promise<number | undefined> {
    checkTimeout('timeout', timeout);
    const first = this.tryPop();
    if (first !== undefined) return Promise.resolve(first);
    return retryAsync(this.#pop, this.#words, TAIL, TAIL_WAITERS, timeout);
  }

  readonly #pop = (): number | undefined => this.tryPop();

  #publishTail(tail: number): void {
    this.#tail = tail;
    Atomics.store(this.#words, TAIL, tail);
    notifyIfWaiting(this.#words, TAIL, TAIL_WAITERS);
  }

  #publishHead(head: number): void {
    this.#head = head;
    Atomics.store(this.#words, HEAD, head);
    notifyIfWaiting(this.#words, HEAD, HEAD_WAITERS);
  }
}
