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
  CacheWriteError,
} from './errors.js';
export { LruCache } from './lru-cache.js';
export { MultiLevelCache } from './multi-level-cache.js';
export { WriteBack } from './write-back.js';
export { WriteThrough } from './write-through.js';

export type {
  AsyncStore,
  CacheOptions,
  CacheStats,
  EntryOptions,
  EvictionListener,
  EvictionPolicy,
  Loader,
  LruCacheOptions,
  MultiLevelCacheOptions,
  MultiLevelStats,
  RemovalCause,
  SyncCache,
  Weigher,
  WriteBackend,
  WriteBackOptions,
  WriteBackStats,
  WriteOp,
  WriteThroughOptions,
} from './types.js';
