import { PoolDoubleReleaseError } from './errors.js';
import { oneOf, options, show } from './internal/assert.js';
import { BlockViews } from './internal/block-views.js';
import {
  badHandle,
  BLOCK_ALIGN,
  checkSlabOptions,
  dataStart,
  exhaustion,
  HEADER_BYTES,
  initHeader,
  MAGIC,
  slabBytes,
  W_BLOCK_COUNT,
  W_BLOCK_SIZE,
  W_MAGIC,
  W_USED,
} from './internal/slab-layout.js';
import type { BlockAllocator, OnExhausted, SlabAttachOptions, SlabOptions } from './types.js';

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
const LOCK = 6; // W_LOCK

// Lock word states (Drepper's mutex #3).
const UNLOCKED = 0;
const LOCKED = 1;
const CONTENDED = 2;
/**
 * Failed compareExchange rounds before sleeping in Atomics.wait. The critical section is a
 * dozen loads and stores, so a holder almost always finishes within a few spins, while a sleep
 * costs a thread wake-up, measured at 30–70 µs on an idle 2-core machine with Node 20. 64 is of the order glibc's adaptive mutex spins
 * (100); it is not tuned further.
 */
const SPINS = 64;

/**
 * {@link Slab}'s layout over a `SharedArrayBuffer`, usable from several workers at once: create
 * it in one thread, post `slab.buffer` to the others and `SharedSlab.attach(buffer)` there. A
 * handle allocated in one worker may be freed in another.
 *
 * Every free-list update runs under a lock word inside the buffer (a futex-style mutex with
 * `Atomics.compareExchange`/`wait`/`notify`), so alloc/free are linearizable; the lock is held
 * for a handful of memory operations. A lock-free Treiber stack would need an ABA tag the
 * 32-bit `Atomics` cannot carry next to a block index, and 64-bit `Atomics` on `BigInt64Array`
 * allocate a BigInt per call — the allocation this package exists to avoid.
 */
export class SharedSlab implements BlockAllocator {
  readonly #buffer: SharedArrayBuffer;
  readonly #i32: Int32Array;
  readonly #state: Uint8Array;
  readonly #count: number;
  readonly #base: number;
  readonly #stride: number;
  readonly #blockSize: number;
  readonly #exhausted: () => number;
  readonly #views: BlockViews;

  constructor(opts: SlabOptions);
  /** @internal */
  constructor(opts: SlabOptions, attachTo: SharedArrayBuffer);
  constructor(opts: SlabOptions, attachTo?: SharedArrayBuffer) {
    const { blockSize, blockCount, onExhausted } = checkSlabOptions(opts);
    this.#buffer = attachTo ?? new SharedArrayBuffer(slabBytes(blockSize, blockCount));
    this.#i32 = new Int32Array(this.#buffer);
    this.#state = new Uint8Array(this.#buffer, HEADER_BYTES, blockCount);
    this.#count = blockCount;
    this.#blockSize = blockSize;
    this.#base = dataStart(blockCount) >> 2;
    this.#stride = blockSize >> 2;
    this.#exhausted = exhaustion(onExhausted, blockCount);
    this.#views = new BlockViews(this.#buffer, dataStart(blockCount), blockSize, blockCount);
    if (!attachTo) initHeader(this.#i32, blockSize, blockCount);
  }

  /**
   * Opens a slab another thread created, from its `buffer`. The shape is read from the header;
   * a buffer that is not a slab (wrong magic, size or shape) is a `TypeError`.
   */
  static attach(buffer: SharedArrayBuffer, opts?: SlabAttachOptions): SharedSlab {
    if (!(buffer instanceof SharedArrayBuffer)) {
      throw new TypeError(`Expected \`buffer\` to be a SharedArrayBuffer, got ${show(buffer)}`);
    }
    const o = options<SlabAttachOptions>('options', opts);
    const onExhausted: OnExhausted = oneOf(
      'onExhausted',
      o.onExhausted,
      ['throw', 'return'],
      'throw',
    );
    const head =
      buffer.byteLength >= HEADER_BYTES ? new Int32Array(buffer, 0, HEADER_BYTES >> 2) : null;
    const blockSize = head ? Atomics.load(head, W_BLOCK_SIZE) : 0;
    const blockCount = head ? Atomics.load(head, W_BLOCK_COUNT) : 0;
    if (
      !head ||
      Atomics.load(head, W_MAGIC) !== MAGIC ||
      blockSize < BLOCK_ALIGN ||
      blockCount < 1 ||
      buffer.byteLength !== slabBytes(blockSize, blockCount)
    ) {
      throw new TypeError('Expected `buffer` to hold a SharedSlab (header magic or size mismatch)');
    }
    return new SharedSlab({ blockSize, blockCount, onExhausted }, buffer);
  }

  alloc(): number {
    const i32 = this.#i32;
    this.#lock();
    let handle = i32[FREE_HEAD]!;
    if (handle !== NIL) {
      i32[FREE_HEAD] = i32[this.#base + handle * this.#stride]!;
    } else {
      handle = i32[TOP]!;
      if (handle === this.#count) {
        this.#unlock();
        return this.#exhausted();
      }
      i32[TOP] = handle + 1;
    }
    this.#state[handle] = ALLOCATED;
    i32[USED] = i32[USED]! + 1;
    this.#unlock();
    return handle;
  }

  free(handle: number): void {
    if (handle >>> 0 !== handle || handle >= this.#count) throw badHandle(handle, this.#count);
    const i32 = this.#i32;
    this.#lock();
    if (this.#state[handle] !== ALLOCATED) {
      this.#unlock();
      throw new PoolDoubleReleaseError(handle);
    }
    this.#state[handle] = FREE;
    i32[this.#base + handle * this.#stride] = i32[FREE_HEAD]!;
    i32[FREE_HEAD] = handle;
    i32[USED] = i32[USED]! - 1;
    this.#unlock();
  }

  isAllocated(handle: number): boolean {
    if (handle >>> 0 !== handle || handle >= this.#count) throw badHandle(handle, this.#count);
    return Atomics.load(this.#state, handle) === ALLOCATED;
  }

  /** Frees every block. Only safe when no other thread uses a handle it allocated before. */
  clear(): void {
    this.#lock();
    this.#state.fill(FREE);
    const lock = this.#i32[LOCK]!;
    initHeader(this.#i32, this.#blockSize, this.#count);
    this.#i32[LOCK] = lock; // initHeader zeroes the lock word we hold
    this.#unlock();
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
    return Atomics.load(this.#i32, W_USED);
  }

  get buffer(): SharedArrayBuffer {
    return this.#buffer;
  }

  #lock(): void {
    const i32 = this.#i32;
    let c = Atomics.compareExchange(i32, LOCK, UNLOCKED, LOCKED);
    if (c === UNLOCKED) return;
    for (let i = 0; i < SPINS && c !== UNLOCKED; i++) {
      c = Atomics.compareExchange(i32, LOCK, UNLOCKED, LOCKED);
    }
    if (c === UNLOCKED) return;
    // Announce a waiter (state 2) and sleep until the holder's unlock notifies us. Taking the
    // lock by exchange to 2 (not 1) keeps the "maybe waiters" mark for whoever queues behind.
    if (c !== CONTENDED) c = Atomics.exchange(i32, LOCK, CONTENDED);
    while (c !== UNLOCKED) {
      Atomics.wait(i32, LOCK, CONTENDED);
      c = Atomics.exchange(i32, LOCK, CONTENDED);
    }
  }

  #unlock(): void {
    const i32 = this.#i32;
    if (Atomics.sub(i32, LOCK, 1) !== LOCKED) {
      Atomics.store(i32, LOCK, UNLOCKED);
      Atomics.notify(i32, LOCK, 1);
    }
  }
}
