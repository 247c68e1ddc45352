/**
 * The vocabulary of @perf/pool: options and interfaces shared by the pools, slabs, structs and
 * byte views.
 */

import type { BufferPool } from './buffer-pool.js';

/** What a bounded pool does when nothing is left: throw `PoolExhaustedError`, or return a sentinel. */
export type OnExhausted = 'throw' | 'return';

/** Options of {@link ObjectPool}. */
export interface ObjectPoolOptions<T> {
  /** Makes a new object when the pool has no idle one. Called `prefill` times up front. */
  create: () => T;
  /**
   * Called on every object given back, before it is kept for reuse (or dropped), so a reused
   * object never carries the previous user's state. Keep it allocation-free: write integers,
   * `null` or references into the fields, not fresh objects.
   * @defaultValue no-op
   */
  reset?: (object: T) => void;
  /**
   * Most idle objects kept. A `release` beyond this drops the object for the GC and counts
   * it in `stats().dropped` (the seed's rule). Objects in use are not bounded. The idle stack
   * is allocated at full capacity up front (8 bytes per slot), so a release never grows it.
   * @defaultValue 1024
   */
  capacity?: number;
  /**
   * Objects created up front, so the first acquires do not allocate. At most `capacity`.
   * @defaultValue 0
   */
  prefill?: number;
  /**
   * Detects double release and release of a foreign object with `PoolDoubleReleaseError` /
   * `PoolForeignObjectError`, at the cost of two `WeakSet` operations per call (and some
   * allocation, so do not use it when counting GC events).
   * @defaultValue false
   */
  debug?: boolean;
}

/** Counters of an {@link ObjectPool}, all since construction. */
export interface ObjectPoolStats {
  /** Objects made by `create` (prefill included). */
  created: number;
  /** Acquires served by an idle object. */
  reused: number;
  /** Releases beyond `capacity`, left to the GC. */
  dropped: number;
  /** Objects acquired and not yet released. */
  inUse: number;
  /** Objects idle in the pool now. */
  idle: number;
}

/** Options of {@link Slab} and {@link SharedSlab}. */
export interface SlabOptions {
  /** Bytes per block; a multiple of 8 (so a `Float64Array` view is aligned), at least 8. */
  blockSize: number;
  /** Number of blocks; the slab never grows. From 1 up to what fits in 2 GiB. */
  blockCount: number;
  /**
   * When every block is allocated, `alloc()` throws `PoolExhaustedError` (`'throw'`) or
   * returns `-1` (`'return'`).
   * @defaultValue 'throw'
   */
  onExhausted?: OnExhausted;
}

/** Options of {@link SharedSlab.attach}: the layout is read from the buffer itself. */
export interface SlabAttachOptions {
  /**
   * What `alloc()` does in this thread when the slab is full; see {@link SlabOptions.onExhausted}.
   * @defaultValue 'throw'
   */
  onExhausted?: OnExhausted;
}

/**
 * A fixed-size block allocator: `alloc()` hands out a block index (the handle), `free(handle)`
 * gives it back. Implemented by {@link Slab} (one thread) and {@link SharedSlab} (many).
 */
export interface BlockAllocator {
  /** Bytes per block. */
  readonly blockSize: number;
  /** Number of blocks. */
  readonly capacity: number;
  /** Blocks allocated now. */
  readonly used: number;
  /** The memory: header, block states, then the blocks. */
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /** A free block's handle, or `-1` when full and `onExhausted` is `'return'`. */
  alloc(): number;
  /** Gives a block back; `PoolDoubleReleaseError` if it is not allocated. */
  free(handle: number): void;
  /** Whether `handle` is allocated now. */
  isAllocated(handle: number): boolean;
  /** Byte offset of the block in `buffer`. */
  offset(handle: number): number;
  /** Cached `Uint8Array` over the block. */
  u8(handle: number): Uint8Array;
  /** Cached `Int32Array` over the block. */
  i32(handle: number): Int32Array;
  /** Cached `Float64Array` over the block. */
  f64(handle: number): Float64Array;
  /** Frees every block at once. */
  clear(): void;
}

/** Options of {@link BufferPool}. */
export interface BufferPoolOptions {
  /**
   * Smallest size class in bytes, a power of two. Smaller requests get a buffer of this size.
   * @defaultValue 256
   */
  minSize?: number;
  /**
   * Largest pooled size class in bytes, a power of two. Larger requests get a fresh, unpooled
   * buffer that `release` lets go (counted in `stats().unpooled`).
   * @defaultValue 1048576 (1 MiB)
   */
  maxSize?: number;
  /**
   * Byte budget: most bytes of pooled buffers the pool owns at once, in use plus idle. When a
   * new buffer would exceed it, idle buffers of other classes are dropped first; if that is not
   * enough the pool is exhausted: `acquire` throws `PoolExhaustedError`, `tryAcquire` returns `null`.
   * @defaultValue 67108864 (64 MiB)
   */
  budget?: number;
  /**
   * Zero every buffer when it is handed out, so no request sees another's bytes.
   * @defaultValue false
   */
  zeroFill?: boolean;
}

/** Counters and gauges of a {@link BufferPool}. */
export interface BufferPoolStats {
  /** Pooled buffers allocated since construction. */
  created: number;
  /** Acquires served by an idle buffer. */
  reused: number;
  /** Idle buffers dropped to make room under the budget, or by `trim`. */
  dropped: number;
  /** Requests above `maxSize`, served with an unpooled buffer. */
  unpooled: number;
  /** Acquires refused (thrown or `null`) because the budget was spent. */
  exhausted: number;
  /** Bytes of pooled buffers handed out and not yet released. */
  bytesInUse: number;
  /** Bytes of pooled buffers idle in the pool. */
  bytesIdle: number;
}

/** A field type of {@link defineStruct}: the typed array element it is stored in. */
export type FieldType = 'f64' | 'f32' | 'i32' | 'u32' | 'i16' | 'u16' | 'i8' | 'u8';

/** A struct definition: field name → field type, e.g. `{ value: 'f64', id: 'i32' }`. */
export type StructSchema = Readonly<Record<string, FieldType>>;

/** How a {@link StructArray} lays records out in memory. */
export type StructLayout = 'soa' | 'aos';

/** Where one field lives in a packed record. */
export interface StructField {
  /** The field name. */
  readonly name: string;
  /** The element type. */
  readonly type: FieldType;
  /** Bytes (and alignment) of the field. */
  readonly size: number;
  /** Byte offset inside a packed (array-of-structs) record, after reordering. */
  readonly offset: number;
}

/** Any typed array a struct field can live in. */
export type FieldArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array;

/**
 * Direct access to one field of every record, for scans: record `i`'s value is
 * `array[i * stride + offset]`. Valid until the store grows (re-read it after `push`).
 */
export interface StructColumn {
  /** The typed array holding the field. */
  readonly array: FieldArray;
  /** Elements between two records: 1 for struct-of-arrays, `sizeOf / size` packed. */
  readonly stride: number;
  /** Element index of record 0's field. */
  readonly offset: number;
}

/** One record as an object with a number property per field, moved with `index`. */
export type StructRecord<S extends StructSchema> = { -readonly [K in keyof S]: number } & {
  /** The record this view reads and writes; assign to move it (no allocation). */
  index: number;
};

/** Options of {@link readChunks}. */
export interface ReadChunksOptions {
  /**
   * Bytes per chunk (the last one may be shorter).
   * @defaultValue 65536
   */
  chunkSize?: number;
  /**
   * Pool the chunk buffers come from; a private one (budget 4 chunks) when absent.
   * @defaultValue a new BufferPool
   */
  pool?: BufferPool;
  /**
   * Byte position to start at.
   * @defaultValue 0
   */
  start?: number;
  /** Cancels the read between chunks; the generator throws the signal's reason. */
  signal?: AbortSignal;
}
