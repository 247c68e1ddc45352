import { PoolDoubleReleaseError } from './errors.js';
import { BlockViews } from './internal/block-views.js';
import {
  badHandle,
  checkSlabOptions,
  dataStart,
  exhaustion,
  HEADER_BYTES,
  initHeader,
  slabBytes,
  W_BLOCK_COUNT,
  W_USED,
} from './internal/slab-layout.js';
import type { BlockAllocator, SlabOptions } from './types.js';

// Hot-path copies of the layout constants of internal/slab-layout.ts. Imported bindings are
// live ES module bindings that V8 does not constant-fold: reading them in alloc/free cost 3.5 ns
// per alloc + free pair (of 11) when run from source. Module-local consts are folded. The
// contract and model tests would fail on any mismatch (the header is also read through the
// imported names, by `used`, `clear` and `SharedSlab.attach`).
const FREE_HEAD = 3; // W_FREE_HEAD
const TOP = 4; // W_TOP
const USED = 5; // W_USED
const NIL = -1;
const ALLOCATED = 1;
const FREE = 0;

/**
 * A fixed-size block allocator over one `ArrayBuffer`, for one thread. `alloc()` returns a
 * block index (the handle) in O(1) from an Int32 free list kept inside the buffer (layout in
 * `internal/slab-layout.ts`); `free(handle)` pushes it back and catches double frees with a
 * state byte per block. Nothing is allocated on the JS heap per call, and block views
 * (`f64(handle)` …) are cached, so a steady alloc/free loop never wakes the GC.
 *
 * For several workers on one `SharedArrayBuffer` use {@link SharedSlab}, same layout.
 */
export class Slab implements BlockAllocator {
  readonly #buffer: ArrayBuffer;
  /** The whole buffer as Int32 words: the header and the free-list links. */
  readonly #i32: Int32Array;
  /** One byte per block: ALLOCATED or FREE. */
  readonly #state: Uint8Array;
  readonly #count: number;
  /** Int32 index of block 0's first word; block h's link is at `#base + h * #stride`. */
  readonly #base: number;
  readonly #stride: number;
  readonly #blockSize: number;
  readonly #exhausted: () => number;
  readonly #views: BlockViews;

  constructor(opts: SlabOptions) {
    const { blockSize, blockCount, onExhausted } = checkSlabOptions(opts);
    this.#buffer = new ArrayBuffer(slabBytes(blockSize, blockCount));
    this.#i32 = new Int32Array(this.#buffer);
    this.#state = new Uint8Array(this.#buffer, HEADER_BYTES, blockCount);
    this.#count = blockCount;
    this.#blockSize = blockSize;
    this.#base = dataStart(blockCount) >> 2;
    this.#stride = blockSize >> 2;
    this.#exhausted = exhaustion(onExhausted, blockCount);
    this.#views = new BlockViews(this.#buffer, dataStart(blockCount), blockSize, blockCount);
    initHeader(this.#i32, blockSize, blockCount);
  }

  alloc(): number {
    const i32 = this.#i32;
    let handle = i32[FREE_HEAD]!;
    if (handle !== NIL) {
      i32[FREE_HEAD] = i32[this.#base + handle * this.#stride]!;
    } else {
      handle = i32[TOP]!;
      if (handle === this.#count) return this.#exhausted();
      i32[TOP] = handle + 1;
    }
    this.#state[handle] = ALLOCATED;
    i32[USED] = i32[USED]! + 1;
    return handle;
  }

  free(handle: number): void {
    if (handle >>> 0 !== handle || handle >= this.#count) throw badHandle(handle, this.#count);
    if (this.#state[handle] !== ALLOCATED) throw new PoolDoubleReleaseError(handle);
    const i32 = this.#i32;
    this.#state[handle] = FREE;
    i32[this.#base + handle * this.#stride] = i32[FREE_HEAD]!;
    i32[FREE_HEAD] = handle;
    i32[USED] = i32[USED]! - 1;
  }

  isAllocated(handle: number): boolean {
    if (handle >>> 0 !== handle || handle >= this.#count) throw badHandle(handle, this.#count);
    return this.#state[handle] === ALLOCATED;
  }

  clear(): void {
    this.#state.fill(FREE);
    initHeader(this.#i32, this.#blockSize, this.#i32[W_BLOCK_COUNT]!);
  }

  offset(handle: number): number {
    return this.#views.offset(handle);
  }

  u8(handle: number): Uint8Array {
    return this.#views.u8(handle);
  }

  i32(handle: number): Int32Array {
    return this.#views.i32(handle);
  }

  f64(handle: number): Float64Array {
    return this.#views.f64(handle);
  }

  get blockSize(): number {
    return this.#blockSize;
  }

  get capacity(): number {
    return this.#count;
  }

  get used(): number {
    return this.#i32[W_USED]!;
  }

  get buffer(): ArrayBuffer {
    return this.#buffer;
  }
}
