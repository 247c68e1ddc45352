import { notifyIfWaiting, retryAsync, retryBlocking } from './internal/park.js';
import { integer, oneOf, sharedBuffer, timeout as checkTimeout } from './internal/validate.js';
import type { MpmcQueueOptions, NumberType } from './types.js';

// Layout in Int32 words. HEAD and TAIL get a cache line each (consumers CAS one, producers the
// other); sleeper counts and the read-only shape share a third.
//
//   byte 0      64      128                                          192
//   +---------+-------+----------------------------------------------+------------------+-----------------+
//   | HEAD    | TAIL  | POP_WAITERS PUSH_WAITERS MAGIC CAPACITY LAP  | stamps[capacity] | values[capacity]|
//   +---------+-------+----------------------------------------------+------------------+-----------------+
//                                                                      Int32            Int32 / Float64 (8-aligned)
const HEAD = 0;
const TAIL = 16;
const POP_WAITERS = 32;
const PUSH_WAITERS = 33;
const MAGIC = 34;
const CAPACITY = 35;
const ONE_LAP = 36;
const HEADER_BYTES = 192;
const MAGIC_INT32 = 0x4d_51_33_32; // 'MQ32'
const MAGIC_FLOAT64 = 0x4d_51_36_34; // 'MQ64'
const MAX_CAPACITY = 2 ** 26;

const valuesOffset = (capacity: number): number => HEADER_BYTES + ((capacity * 4 + 7) & ~7);
const bytesFor = (capacity: number, valueBytes: number): number =>
  valuesOffset(capacity) + capacity * valueBytes;

/**
 * A bounded multi-producer/multi-consumer queue of numbers over a `SharedArrayBuffer`, a port of
 * crossbeam's `ArrayQueue` (Dmitry Vyukov's bounded MPMC queue): every slot carries a sequence
 * stamp, and HEAD/TAIL pack an index with a lap number, `lap * ONE_LAP + index`, where ONE_LAP is
 * the next power of two above `capacity`.
 *
 * - a slot is **writable** in lap L when its stamp equals TAIL (`L * ONE_LAP + index`);
 *   the producer CASes TAIL forward, writes the value, then stores stamp = TAIL + 1;
 * - it is **readable** when its stamp equals HEAD + 1; the consumer CASes HEAD forward, reads
 *   the value, then stores stamp = HEAD + ONE_LAP (writable in the next lap);
 * - full when HEAD + ONE_LAP === TAIL; empty when TAIL === HEAD.
 *
 * All counters are int32 and wrap at 2^32; ONE_LAP divides 2^32, so index bits survive the wrap.
 * Lock-free, not wait-free: a thread may retry its CAS while others make progress.
 */
export class MpmcQueue {
  /** The shared memory; pass it to other threads and call {@link MpmcQueue.from} there. */
  readonly buffer: SharedArrayBuffer;
  /** Maximum number of elements. */
  readonly capacity: number;
  /** Value type. */
  readonly type: NumberType;
  readonly #words: Int32Array;
  readonly #stamps: Int32Array;
  readonly #values: Int32Array | Float64Array;
  readonly #oneLap: number;
  readonly #indexMask: number;

  constructor(options: MpmcQueueOptions);
  /** @internal */
  constructor(options: MpmcQueueOptions, attach: SharedArrayBuffer);
  constructor(options: MpmcQueueOptions, attach?: SharedArrayBuffer) {
    let buffer: SharedArrayBuffer;
    if (attach === undefined) {
      const type = oneOf('type', options?.type ?? 'float64', ['int32', 'float64'] as const);
      const capacity = integer('capacity', options?.capacity, 1, MAX_CAPACITY);
      buffer = new SharedArrayBuffer(bytesFor(capacity, type === 'int32' ? 4 : 8));
      const words = new Int32Array(buffer, 0, HEADER_BYTES / 4);
      words[MAGIC] = type === 'int32' ? MAGIC_INT32 : MAGIC_FLOAT64;
      words[CAPACITY] = capacity;
      words[ONE_LAP] = 2 ** Math.ceil(Math.log2(capacity + 1));
      const stamps = new Int32Array(buffer, HEADER_BYTES, capacity);
      for (let i = 0; i < capacity; i++) stamps[i] = i;
    } else {
      buffer = sharedBuffer('buffer', attach, HEADER_BYTES);
    }
    const words = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    const magic = Atomics.load(words, MAGIC);
    if (magic !== MAGIC_INT32 && magic !== MAGIC_FLOAT64) {
      throw new TypeError(
        'Expected `buffer` to hold an MpmcQueue, got a buffer without its header',
      );
    }
    const capacity = Atomics.load(words, CAPACITY);
    const oneLap = Atomics.load(words, ONE_LAP);
    const valueBytes = magic === MAGIC_INT32 ? 4 : 8;
    if (capacity < 1 || oneLap <= capacity || buffer.byteLength < bytesFor(capacity, valueBytes)) {
      throw new RangeError(
        `Expected \`buffer\` to hold ${bytesFor(capacity, valueBytes)} bytes for capacity ${capacity}, got ${buffer.byteLength}`,
      );
    }
    this.buffer = buffer;
    this.capacity = capacity;
    this.type = magic === MAGIC_INT32 ? 'int32' : 'float64';
    this.#words = words;
    this.#stamps = new Int32Array(buffer, HEADER_BYTES, capacity);
    this.#values =
      magic === MAGIC_INT32
        ? new Int32Array(buffer, valuesOffset(capacity), capacity)
        : new Float64Array(buffer, valuesOffset(capacity), capacity);
    this.#oneLap = oneLap;
    this.#indexMask = oneLap - 1;
  }

  /**
   * Attaches to a queue created elsewhere from its `buffer`.
   * @throws TypeError when `buffer` is not a SharedArrayBuffer holding an MpmcQueue.
   * @throws RangeError when it is too small for the capacity in its header.
   */
  static from(buffer: SharedArrayBuffer): MpmcQueue {
    return new MpmcQueue({ capacity: 1 }, buffer);
  }

  /** Number of elements right now (a consistent snapshot of HEAD and TAIL, as crossbeam's `len`). */
  get size(): number {
    const words = this.#words;
    for (;;) {
      const tail = Atomics.load(words, TAIL);
      const head = Atomics.load(words, HEAD);
      if (Atomics.load(words, TAIL) !== tail) continue;
      const hix = head & this.#indexMask;
      const tix = tail & this.#indexMask;
      if (hix < tix) return tix - hix;
      if (hix > tix) return this.capacity - hix + tix;
      return tail === head ? 0 : this.capacity;
    }
  }

  /** Appends `value`; false when the queue is full. Any thread. */
  tryPush(value: number): boolean {
    return this.#pushOrElse(value, false) !== null;
  }

  /**
   * Appends `value`, overwriting the oldest element when the queue is full (crossbeam's
   * `force_push`); returns the overwritten element, or `undefined` when nothing was lost.
   */
  forcePush(value: number): number | undefined {
    return this.#pushOrElse(value, true) ?? undefined;
  }

  /**
   * crossbeam's `push_or_else`: claim the slot at TAIL when its stamp says it is writable; when
   * it still holds last lap's value the queue may be full — then either report it (`null`) or,
   * with `force`, take the oldest slot by moving HEAD past it, then TAIL, and swap the value.
   * Returns `undefined` (pushed, nothing lost), the overwritten value, or `null` (full).
   */
  #pushOrElse(value: number, force: boolean): number | undefined | null {
    const words = this.#words;
    const stamps = this.#stamps;
    const oneLap = this.#oneLap;
    let tail = Atomics.load(words, TAIL);
    for (;;) {
      const index = tail & this.#indexMask;
      const next = this.#next(tail, index);
      const stamp = Atomics.load(stamps, index);
      if (tail === stamp) {
        const seen = Atomics.compareExchange(words, TAIL, tail, next);
        if (seen === tail) {
          this.#values[index] = value;
          Atomics.store(stamps, index, (tail + 1) | 0);
          notifyIfWaiting(words, TAIL, POP_WAITERS);
          return undefined;
        }
        tail = seen;
      } else if (((stamp + oneLap) | 0) === ((tail + 1) | 0)) {
        const head = (tail - oneLap) | 0;
        if (!force) {
          if (Atomics.load(words, HEAD) === head) return null; // full: HEAD + ONE_LAP === TAIL
        } else if (Atomics.compareExchange(words, HEAD, head, (next - oneLap) | 0) === head) {
          Atomics.store(words, TAIL, next);
          const old = this.#values[index]!;
          this.#values[index] = value;
          Atomics.store(stamps, index, (tail + 1) | 0);
          notifyIfWaiting(words, TAIL, POP_WAITERS);
          return old;
        }
        tail = Atomics.load(words, TAIL);
      } else {
        tail = Atomics.load(words, TAIL);
      }
    }
  }

  /** Removes and returns the oldest element; `undefined` when empty. Any thread. */
  tryPop(): number | undefined {
    const words = this.#words;
    const stamps = this.#stamps;
    let head = Atomics.load(words, HEAD);
    for (;;) {
      const index = head & this.#indexMask;
      const stamp = Atomics.load(stamps, index);
      if (((head + 1) | 0) === stamp) {
        const seen = Atomics.compareExchange(words, HEAD, head, this.#next(head, index));
        if (seen === head) {
          const value = this.#values[index];
          Atomics.store(stamps, index, (head + this.#oneLap) | 0);
          notifyIfWaiting(words, HEAD, PUSH_WAITERS);
          return value;
        }
        head = seen;
      } else if (stamp === head) {
        if (Atomics.load(words, TAIL) === head) return undefined;
        head = Atomics.load(words, HEAD);
      } else {
        head = Atomics.load(words, HEAD);
      }
    }
  }

  /** Appends `value`, blocking while full (spin, then `Atomics.wait`); false after `timeout` ms. */
  push(value: number, timeout = Number.POSITIVE_INFINITY): boolean {
    checkTimeout('timeout', timeout);
    if (this.tryPush(value)) return true;
    const attempt = () => this.tryPush(value) || undefined;
    return retryBlocking(attempt, this.#words, HEAD, PUSH_WAITERS, timeout) === true;
  }

  /** Removes the oldest element, blocking while empty; `undefined` after `timeout` ms. */
  pop(timeout = Number.POSITIVE_INFINITY): number | undefined {
    checkTimeout('timeout', timeout);
    return this.tryPop() ?? retryBlocking(this.#pop, this.#words, TAIL, POP_WAITERS, timeout);
  }

  /** Removes the oldest element, waiting with `Atomics.waitAsync`; `undefined` after `timeout`. */
  popAsync(timeout = Number.POSITIVE_INFINITY): Promise<number | undefined> {
    checkTimeout('timeout', timeout);
    const first = this.tryPop();
    if (first !== undefined) return Promise.resolve(first);
    return retryAsync(this.#pop, this.#words, TAIL, POP_WAITERS, timeout);
  }

  readonly #pop = (): number | undefined => this.tryPop();

  /** The stamped position after `position` (whose slot is `index`): next slot, or next lap. */
  #next(position: number, index: number): number {
    return index + 1 < this.capacity
      ? (position + 1) | 0
      : ((position & ~this.#indexMask) + this.#oneLap) | 0;
  }
}
