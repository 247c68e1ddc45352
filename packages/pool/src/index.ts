/**
 * @packageDocumentation
 * Allocation-free object pools, slab and buffer pools, packed struct layouts over typed arrays,
 * zero-copy byte slices.
 *
 * @module @perf/pool
 */

export { BufferPool } from './buffer-pool.js';
export { ByteView } from './byte-view.js';
export { Bytes } from './bytes.js';
export { BytesMut } from './bytes-mut.js';
export {
  isPerfError,
  PerfError,
  PoolDoubleReleaseError,
  PoolError,
  PoolExhaustedError,
  PoolForeignObjectError,
} from './errors.js';
export { ObjectPool } from './object-pool.js';
export { readChunks } from './read-chunks.js';
export { SharedSlab } from './shared-slab.js';
export { Slab } from './slab.js';
export { StructArray } from './struct-array.js';
export { defineStruct, StructType } from './struct-type.js';
export type {
  BlockAllocator,
  BufferPoolOptions,
  BufferPoolStats,
  FieldArray,
  FieldType,
  ObjectPoolOptions,
  ObjectPoolStats,
  OnExhausted,
  ReadChunksOptions,
  SlabAttachOptions,
  SlabOptions,
  StructColumn,
  StructField,
  StructLayout,
  StructRecord,
  StructSchema,
} from './types.js';
