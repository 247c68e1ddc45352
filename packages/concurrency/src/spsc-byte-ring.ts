import { notifyIfWaiting, retryAsync, retryBlocking } from './internal/park.js';
import {
  attachRing,
  createRing,
  HEAD,
  HEAD_WAITERS,
  HEADER_BYTES,
  MAGIC_BYTES,
  TAIL,
  TAIL_WAITERS,
} from './internal/ring-layout.js';
import { timeout as checkTimeout } from './internal/validate.js';
import type { SpscByteRingOptions } from './types.js';

/** Bytes of the length prefix of every record. */
const LENGTH_BYTES = 4;
/** Below this many bytes a plain loop is used instead of `subarray()` + `set()` (not measured). */
const COPY_LOOP_MAX = 64;

const slotBytesOf = (magic: number): number => (magic === MAGIC_BYTES ? 1 : 0);
/** Record size: the length word plus the payload rounded up to 4 so length words stay aligned. */
const recordBytes = (length: number): number => LENGTH_BYTES + ((length + 3) & ~3);

/**
 * A wait-free single-producer/single-consumer ring of byte messages over a `SharedArrayBuffer`:
 * the same header as {@link SpscRing}, with `capacity` counted in bytes and each message stored
 * as a length-prefixed record that may wrap around the end of the data area.
 *
 * ```text
 *  data area (capacity bytes, HEAD/TAIL are byte counters)
 *  +--------+-----------------+---+--------+-------------+--------------------------+
 *  | len=5  | h e l l o       |pad| len=11 | payload …   |        free              |
 *  +--------+-----------------+---+--------+-------------+--------------------------+
 *  ^ HEAD (consumer)                                      ^ TAIL (producer)
 * ```
 *
 * Records start on 4-byte boundaries so a length word never straddles the end; a payload that
 * reaches the end continues at byte 0 (copied in two pieces). The largest message is
 * `capacity - 4` bytes.
 */
export class SpscByteRing {
  /** The shared memory; pass it to another thread and call {@link SpscByteRing.from} there. */
  readonly buffer: SharedArrayBuffer;
  /** Size of the data area in bytes (a power of two). */
  readonly capacity: number;
  /** Largest message that fits: `capacity - 4`. */
  readonly maxMessageBytes: number;
  readonly #words: Int32Array;
  readonly #bytes: Uint8Array;
  readonly #lengths: Int32Array;
  readonly #mask: number;
  #tail: number;
  #headCache: number;
  #head: number;
  #tailCache: number;

  constructor(options: SpscByteRingOptions);
  /** @internal */
  constructor(options: SpscByteRingOptions, attach: SharedArrayBuffer);
  constructor(options: SpscByteRingOptions, attach?: SharedArrayBuffer) {
    const ring = attachRing(
      attach ?? createRing(options?.capacity, 1, MAGIC_BYTES, 16),
      slotBytesOf,
      'a byte ring',
    );
    this.buffer = ring.buffer;
    this.capacity = ring.capacity;
    this.maxMessageBytes = ring.capacity - LENGTH_BYTES;
    this.#words = ring.words;
    this.#bytes = new Uint8Array(ring.buffer, HEADER_BYTES, ring.capacity);
    this.#lengths = new Int32Array(ring.buffer, HEADER_BYTES, ring.capacity >> 2);
    this.#mask = ring.capacity - 1;
    this.#tail = this.#tailCache = Atomics.load(ring.words, TAIL);
    this.#head = this.#headCache = Atomics.load(ring.words, HEAD);
  }

  /**
   * Attaches to a byte ring created elsewhere from its `buffer`.
   * @throws TypeError when `buffer` is not a SharedArrayBuffer holding a byte ring.
   * @throws RangeError when it is too small for the capacity in its header.
   */
  static from(buffer: SharedArrayBuffer): SpscByteRing {
    return new SpscByteRing({ capacity: 16 }, buffer);
  }

  /** Bytes in use right now, length prefixes and padding included. */
  get usedBytes(): number {
    return (Atomics.load(this.#words, TAIL) - Atomics.load(this.#words, HEAD)) | 0;
  }

  /**
   * Appends a copy of `message`; false when there is not enough free space. Producer only.
   * @throws RangeError when `message` is longer than {@link SpscByteRing.maxMessageBytes}.
   */
  tryPush(message: Uint8Array): boolean {
    const length = message.length;
    if (length > this.maxMessageBytes) {
      throw new RangeError(
        `Expected \`message\` to be at most ${this.maxMessageBytes} bytes, got ${length}`,
      );
    }
    const need = recordBytes(length);
    const tail = this.#tail;
    if (this.capacity - ((tail - this.#headCache) | 0) < need) {
      this.#headCache = Atomics.load(this.#words, HEAD);
      if (this.capacity - ((tail - this.#headCache) | 0) < need) return false;
    }
    const at = tail & this.#mask;
    this.#lengths[at >> 2] = length;
    this.#copyIn(message, (at + LENGTH_BYTES) & this.#mask);
    this.#tail = (tail + need) | 0;
    Atomics.store(this.#words, TAIL, this.#tail);
    notifyIfWaiting(this.#words, TAIL, TAIL_WAITERS);
    return true;
  }

  /** Removes the oldest message and returns it as a new Uint8Array; `undefined` when empty. */
  tryPop(): Uint8Array | undefined {
    const head = this.#head;
    if (head === this.#tailCache) {
      this.#tailCache = Atomics.load(this.#words, TAIL);
      if (head === this.#tailCache) return undefined;
    }
    const at = head & this.#mask;
    const length = this.#lengths[at >> 2]!;
    const out = new Uint8Array(length);
    this.#copyOut(out, (at + LENGTH_BYTES) & this.#mask, length);
    this.#advanceHead(head, length);
    return out;
  }

  /**
   * Moves the oldest message into `target` (from index 0) without allocating; returns its
   * length, or -1 when the ring is empty. Consumer only.
   * @throws RangeError when `target` is shorter than the message (the message stays queued).
   */
  tryPopInto(target: Uint8Array): number {
    const head = this.#head;
    if (head === this.#tailCache) {
      this.#tailCache = Atomics.load(this.#words, TAIL);
      if (head === this.#tailCache) return -1;
    }
    const at = head & this.#mask;
    const length = this.#lengths[at >> 2]!;
    if (length > target.length) {
      throw new RangeError(
        `Expected \`target\` to hold the ${length}-byte message, got ${target.length} bytes`,
      );
    }
    this.#copyOut(target, (at + LENGTH_BYTES) & this.#mask, length);
    this.#advanceHead(head, length);
    return length;
  }

  /**
   * Appends `message`, blocking the thread while the ring is full: spins briefly, then parks in
   * `Atomics.wait`. Returns false if `timeout` ms pass first. Producer only.
   */
  push(message: Uint8Array, timeout = Number.POSITIVE_INFINITY): boolean {
    checkTimeout('timeout', timeout);
    if (this.tryPush(message)) return true;
    const attempt = () => this.tryPush(message) || undefined;
    return retryBlocking(attempt, this.#words, HEAD, HEAD_WAITERS, timeout) === true;
  }

  /**
   * Removes the oldest element, blocking while the ring is empty (spin, then `Atomics.wait`).
   * Returns `undefined` if `timeout` ms pass first. Consumer only.
   */
  pop(timeout = Number.POSITIVE_INFINITY): Uint8Array | undefined {
    checkTimeout('timeout', timeout);
    return this.tryPop() ?? retryBlocking(this.#pop, this.#words, TAIL, TAIL_WAITERS, timeout);
  }

  /**
   * Removes the oldest element, waiting with `Atomics.waitAsync` (the event loop keeps running)
   * while the ring is empty. Resolves `undefined` if `timeout` ms pass first. Consumer only.
   */
  popAsync(timeout = Number.POSITIVE_INFINITY): Promise<Uint8Array | undefined> {
    checkTimeout('timeout', timeout);
    const first = this.tryPop();
    if (first !== undefined) return Promise.resolve(first);
    return retryAsync(this.#pop, this.#words, TAIL, TAIL_WAITERS, timeout);
  }

  readonly #pop = (): Uint8Array | undefined => this.tryPop();

  #copyIn(src: Uint8Array, at: number): void {
    const bytes = this.#bytes;
    const n = src.length;
    if (n <= COPY_LOOP_MAX) {
      for (let i = 0; i < n; i++) bytes[(at + i) & this.#mask] = src[i]!;
      return;
    }
    const first = this.capacity - at;
    if (n <= first) bytes.set(src, at);
    else {
      bytes.set(src.subarray(0, first), at);
      bytes.set(src.subarray(first), 0);
    }
  }

  #advanceHead(head: number, length: number): void {
    this.#head = (head + recordBytes(length)) | 0;
    Atomics.store(this.#words, HEAD, this.#head);
    notifyIfWaiting(this.#words, HEAD, HEAD_WAITERS);
  }

  #copyOut(dst: Uint8Array, at: number, n: number): void {
    const bytes = this.#bytes;
    if (n <= COPY_LOOP_MAX) {
      for (let i = 0; i < n; i++) dst[i] = bytes[(at + i) & this.#mask]!;
      return;
    }
    const first = this.capacity - at;
    if (n <= first) dst.set(bytes.subarray(at, at + n));
    else {
      dst.set(bytes.subarray(at, this.capacity));
      dst.set(bytes.subarray(0, n - first), first);
    }
  }
}
