/**
 * @packageDocumentation
 * A durable embedded LSM-tree key-value store: WAL with group commit, SSTables with bloom
 * filters, leveled compaction in a worker thread, snapshots, crash recovery.
 *
 * @module @perf/lsm
 */

export { BloomFilter } from './bloom-filter.js';
export {
  ClosedError,
  CorruptionError,
  ExistsError,
  IoError,
  isPerfError,
  LockedError,
  LsmError,
  NotFoundError,
  PerfError,
} from './errors.js';
export { LsmIterator } from './lsm-iterator.js';
export { LsmStore, MAX_KEY_SIZE, MAX_VALUE_SIZE } from './lsm-store.js';
export { nodeFileSystem } from './node-file-system.js';
export { PrefetchReader } from './prefetch-reader.js';
export { SequentialWriter } from './sequential-writer.js';
export { Snapshot } from './snapshot.js';
export type { Entry } from './lsm-iterator.js';
export type { PrefetchReaderOptions } from './prefetch-reader.js';
export type { SequentialWriterOptions } from './sequential-writer.js';
export type {
  BatchOperation,
  Bytes,
  ClearOptions,
  FileSystem,
  IteratorOptions,
  KeyRange,
  LevelStats,
  ReadOptions,
  SnapshotHandle,
  StoreOptions,
  StoreStats,
  WriteOptions,
} from './types.js';
