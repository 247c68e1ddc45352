/**
 * @packageDocumentation
 * A moka-like cache: W-TinyLFU admission, size/weight bounds, TTL/TTI, stampede-free loaders, multi-level tiers, write-through/write-back, refresh-ahead.
 *
 * @module @perf/cache
 */

export { Cache } from './cache.js';
export {
  CacheClosedError,
  CacheError,
  CacheFlushError,
  CacheLoadError,
  CacheStoreError,
  CacheTimeoutError,
  CacheWriteError,
  isPerfError,
  PerfError,
} from './errors.js';
export { LruCache } from './lru-cache.js';
export { MultiLevelCache } from './multi-level-cache.js';
export { WriteBack } from './write-back.js';
export { WriteThrough } from './write-through.js';

export type {
  Announcement,
  AsyncStore,
  BusHandlers,
  CacheOptions,
  CacheStats,
  EntryOptions,
  EvictionListener,
  EvictionPolicy,
  InvalidationBus,
  InvalidationMessage,
  LatencyRecorder,
  Loader,
  LockResult,
  LruCacheOptions,
  MultiLevelCacheOptions,
  MultiLevelStats,
  RemovalCause,
  SyncCache,
  TierEntry,
  TierWriteOptions,
  VersionedStore,
  Weigher,
  WriteBackend,
  WriteBackOptions,
  WriteBackStats,
  WriteOp,
  WriteThroughOptions,
} from './types.js';
