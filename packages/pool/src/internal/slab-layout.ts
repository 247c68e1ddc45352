import { integer, oneOf, options } from './assert.js';
import { PoolExhaustedError } from '../errors.js';
import type { OnExhausted, SlabOptions } from '../types.js';

/*
 * The memory of a slab — everything lives in the one buffer, so a SharedArrayBuffer carries
 * the whole allocator state to another worker:
 *
 *   byte 0                                                                   HEADER_BYTES (32)
 *   ┌───────┬───────────┬────────────┬───────────┬───────┬───────┬───────┬──────────┐
 *   │ MAGIC │ BLOCK_SIZE│ BLOCK_COUNT│ FREE_HEAD │  TOP  │ USED  │ LOCK  │ reserved │ Int32 words
 *   └───────┴───────────┴────────────┴───────────┴───────┴───────┴───────┴──────────┘
 *   ┌──────────────────────────────────────────┐
 *   │ STATE: one byte per block, 1 = allocated │  BLOCK_COUNT bytes, padded to a multiple of 8
 *   └──────────────────────────────────────────┘
 *   ┌─────────────┬─────────────┬─────┬──────────────────┐
 *   │   block 0   │   block 1   │ ... │ block COUNT - 1  │  BLOCK_SIZE bytes each, 8-aligned
 *   └─────────────┴─────────────┴─────┴──────────────────┘
 *
 * Free list: an intrusive LIFO stack threaded through the free blocks. FREE_HEAD is the index
 * of the top free block (NIL = -1 when none); the first Int32 of a free block is the index of
 * the next one. Blocks at and above TOP have never been handed out and are not on the list:
 * a fresh slab is "all free" with TOP = 0 and an empty list, so construction is O(1) instead
 * of threading every block (the bump-then-free-list scheme of thi.ng/malloc and jemalloc's
 * slab runs). Invariant: USED = TOP - (length of the free list), and STATE[i] = 1 exactly for
 * the USED blocks; the state byte is what makes double free detectable in O(1).
 *
 * LOCK is only used by SharedSlab: 0 = unlocked, 1 = locked, 2 = locked with waiters (the
 * three-state futex mutex of Ulrich Drepper, "Futexes Are Tricky", 2011, mutex #3), so
 * uncontended lock/unlock is one compareExchange and one sub, and a waiter sleeps in
 * Atomics.wait. Another library (e.g. @perf/concurrency) can coordinate on the same word as
 * long as it speaks the same 0/1/2 protocol through plain Atomics.
 */
export const MAGIC = 0x51ab_0001; // "slab", layout version 1
export const W_MAGIC = 0;
export const W_BLOCK_SIZE = 1;
export const W_BLOCK_COUNT = 2;
export const W_FREE_HEAD = 3;
export const W_TOP = 4;
export const W_USED = 5;
export const W_LOCK = 6;
export const HEADER_WORDS = 8;
export const HEADER_BYTES = HEADER_WORDS * 4;
export const NIL = -1;
export const ALLOCATED = 1;
export const FREE = 0;
/** Blocks are 8-aligned so a Float64Array view of any block is legal. */
export const BLOCK_ALIGN = 8;
/** Offsets stay below 2^31 so every index computation is a small integer. */
export const MAX_BYTES = 2 ** 31 - 8;

export function stateBytes(blockCount: number): number {
  return (blockCount + BLOCK_ALIGN - 1) & ~(BLOCK_ALIGN - 1);
}

export function dataStart(blockCount: number): number {
  return HEADER_BYTES + stateBytes(blockCount);
}

export interface CheckedSlabOptions {
  blockSize: number;
  blockCount: number;
  onExhausted: OnExhausted;
}

export function checkSlabOptions(opts: SlabOptions): CheckedSlabOptions {
  const o = options<SlabOptions>('options', opts);
  const blockSize = integer('blockSize', o.blockSize, BLOCK_ALIGN, MAX_BYTES);
  if (blockSize % BLOCK_ALIGN !== 0) {
    throw new RangeError(
      `Expected \`blockSize\` to be a multiple of ${BLOCK_ALIGN}, got \`${blockSize}\` (number)`,
    );
  }
  const maxCount = Math.floor((MAX_BYTES - HEADER_BYTES) / (blockSize + 1));
  const blockCount = integer('blockCount', o.blockCount, 1, maxCount);
  return {
    blockSize,
    blockCount,
    onExhausted: oneOf('onExhausted', o.onExhausted, ['throw', 'return'], 'throw'),
  };
}

/** Total bytes of a slab of this shape. */
export function slabBytes(blockSize: number, blockCount: number): number {
  return dataStart(blockCount) + blockSize * blockCount;
}

/** Writes a fresh header: nothing allocated, empty free list. STATE bytes must be zero. */
export function initHeader(i32: Int32Array, blockSize: number, blockCount: number): void {
  i32[W_BLOCK_SIZE] = blockSize;
  i32[W_BLOCK_COUNT] = blockCount;
  i32[W_FREE_HEAD] = NIL;
  i32[W_TOP] = 0;
  i32[W_USED] = 0;
  i32[W_LOCK] = 0;
  i32[W_MAGIC] = MAGIC;
}

/** The `onExhausted` behaviour, chosen once per slab so `alloc` has no option branch. */
export function exhaustion(mode: OnExhausted, blockCount: number): () => number {
  return mode === 'throw'
    ? () => {
        throw new PoolExhaustedError(blockCount, 1);
      }
    : () => NIL;
}

export function badHandle(handle: unknown, blockCount: number): RangeError {
  return new RangeError(
    `Expected \`handle\` to be a block index from 0 to ${blockCount - 1}, got \`${String(handle)}\` (${typeof handle})`,
  );
}
