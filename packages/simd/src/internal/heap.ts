import { SimdOutOfMemoryError } from '../errors.js';
import type { WasmMemory } from '../types.js';

/*
 * A size-class allocator whose whole state lives in the shared WasmMemory itself, so
 * every thread that attaches to the memory allocates from the same heap without collisions.
 *
 * Memory layout (byte offsets):
 *
 *   0            HEADER_BYTES                                   TOP              byteLength
 *   ┌──────────────┬──────────┬─────────┬──────────┬─────────┬───┬─────────────────────┐
 *   │ heap header  │ blk hdr  │ payload │ blk hdr  │ payload │ … │ never allocated     │
 *   └──────────────┴──────────┴─────────┴──────────┴─────────┴───┴─────────────────────┘
 *
 *   heap header (Int32 slots)          block header (BLOCK_HEADER_BYTES = 16)
 *   [0] MAGIC  'SIMD', set once        [0] size class c
 *   [1] LOCK   0 free / 1 held         [1] TAG_USED or TAG_FREE
 *   [2] TOP    first unused byte       [2] next free block of class c (0 = none)
 *   [3] spare                          [3] spare
 *   [4 + c] head of free list c
 *
 * Class c holds payloads of CLASS_BYTES(c) = 64 · 2^(c >> 2) · (4 + (c & 3)) / 4 bytes:
 * four steps per power of two, so rounding wastes at most 25% (a power-of-two payload such
 * as 16M floats wastes nothing). Freed blocks go to their class's free list and are reused
 * only by the same class; memory is never returned to the system (wasm memory cannot
 * shrink). Payloads start 16-byte aligned, the natural alignment of v128.
 *
 * Every mutation happens under LOCK (a compare-and-swap spin lock): critical sections are a
 * few loads and stores, or one memory.grow.
 */
const MAGIC = 0x444d4953; // 'SIMD'
const SLOT_MAGIC = 0;
const SLOT_LOCK = 1;
const SLOT_TOP = 2;
const SLOT_FREE = 4;
const CLASS_COUNT = 104; // CLASS_BYTES(103) > 2 GiB, the largest memory
export const HEADER_BYTES = 512; // ≥ (SLOT_FREE + CLASS_COUNT) · 4, a multiple of 64
export const BLOCK_HEADER_BYTES = 16;
const BLK_CLASS = 0;
const BLK_TAG = 1;
const BLK_NEXT = 2;
const TAG_USED = 0x55534544;
const TAG_FREE = 0x46524545;
const PAGE_BYTES = 65_536;

/** Payload bytes of size class `c`. */
export function classBytes(c: number): number {
  return 2 ** (c >> 2) * (16 * (4 + (c & 3)));
}

/** Smallest class whose payload holds `bytes`. */
export function classOf(bytes: number): number {
  if (bytes <= 64) return 0;
  const q = 31 - Math.clz32((bytes - 1) >>> 6); // 64·2^q < bytes ≤ 64·2^(q+1)
  const base = 64 * 2 ** q;
  return 4 * q + Math.ceil((bytes - base) / (base / 4));
}

export class SharedHeap {
  readonly #memory: WasmMemory;
  /** The header never moves, so a view over the first buffer stays valid after growth. */
  readonly #head: Int32Array;
  #words: Int32Array;

  constructor(memory: WasmMemory) {
    this.#memory = memory;
    this.#head = new Int32Array(memory.buffer, 0, HEADER_BYTES / 4);
    this.#words = new Int32Array(memory.buffer);
    const head = this.#head;
    if (Atomics.load(head, SLOT_MAGIC) === MAGIC) return;
    // A fresh memory is all zero; claim it once, even if several threads attach at once.
    for (let i = 1; i < HEADER_BYTES / 4; i++) {
      if (head[i] !== 0) {
        throw new TypeError(
          'Expected `memory` to be created by @perf/simd or to be all zero in its first 512 bytes',
        );
      }
    }
    if (Atomics.compareExchange(head, SLOT_TOP, 0, HEADER_BYTES) === 0) {
      Atomics.store(head, SLOT_MAGIC, MAGIC);
    } else {
      while (Atomics.load(head, SLOT_MAGIC) !== MAGIC) {
        // another thread is between its two stores above; it finishes in nanoseconds
      }
    }
  }

  /** Byte offset of a zeroed payload of at least `bytes` bytes. */
  alloc(bytes: number): number {
    const c = classOf(bytes);
    const head = this.#head;
    this.#lock();
    let block: number;
    try {
      block = head[SLOT_FREE + c]!;
      if (block !== 0) {
        this.#sync(block + BLOCK_HEADER_BYTES);
        head[SLOT_FREE + c] = this.#words[(block >> 2) + BLK_NEXT]!;
      } else {
        block = head[SLOT_TOP]!;
        const top = block + BLOCK_HEADER_BYTES + classBytes(c);
        this.#ensure(top, bytes);
        head[SLOT_TOP] = top;
      }
      const w = block >> 2;
      this.#words[w + BLK_CLASS] = c;
      this.#words[w + BLK_TAG] = TAG_USED;
      this.#words[w + BLK_NEXT] = 0;
    } finally {
      Atomics.store(head, SLOT_LOCK, 0);
    }
    const payload = block + BLOCK_HEADER_BYTES;
    new Uint8Array(this.#memory.buffer, payload, classBytes(c)).fill(0);
    return payload;
  }

  /** Returns a payload from {@link alloc}; `bytes` is the caller's view size, for checking. */
  free(payload: number, bytes: number): void {
    const block = payload - BLOCK_HEADER_BYTES;
    const head = this.#head;
    this.#lock();
    try {
      this.#sync(payload);
      const w = block >> 2;
      const words = this.#words;
      const c = words[w + BLK_CLASS]!;
      if (
        block < HEADER_BYTES ||
        (block & 15) !== 0 ||
        words[w + BLK_TAG] !== TAG_USED ||
        c < 0 ||
        c >= CLASS_COUNT ||
        classBytes(c) < bytes
      ) {
        throw new TypeError(
          'Expected an array returned by `alloc` and not freed yet (was it freed twice, or is it a subarray?)',
        );
      }
      words[w + BLK_TAG] = TAG_FREE;
      words[w + BLK_NEXT] = head[SLOT_FREE + c]!;
      head[SLOT_FREE + c] = block;
    } finally {
      Atomics.store(head, SLOT_LOCK, 0);
    }
  }

  /** Bytes handed out so far, allocated or on a free list (the high-water mark). */
  get usedBytes(): number {
    return Atomics.load(this.#head, SLOT_TOP) - HEADER_BYTES;
  }

  #lock(): void {
    const head = this.#head;
    while (Atomics.compareExchange(head, SLOT_LOCK, 0, 1) !== 0) {
      // Held for a handful of loads and stores by another thread: spinning beats parking,
      // and the main thread may not Atomics.wait anyway.
    }
  }

  /** Refreshes the word view when another thread grew the memory past it. */
  #sync(end: number): void {
    if (this.#words.byteLength < end) this.#words = new Int32Array(this.#memory.buffer);
  }

  /** Grows the memory so that byte `top` exists: at least doubling, to amortise growth. */
  #ensure(top: number, requested: number): void {
    let size = this.#memory.buffer.byteLength;
    if (top > size) {
      const need = Math.ceil((top - size) / PAGE_BYTES);
      const pages = size / PAGE_BYTES;
      try {
        this.#memory.grow(Math.max(need, pages));
      } catch {
        try {
          this.#memory.grow(need);
        } catch (cause) {
          throw new SimdOutOfMemoryError(requested, size, { cause });
        }
      }
      size = this.#memory.buffer.byteLength;
    }
    this.#sync(top);
  }
}
