/**
 * @packageDocumentation
 * SharedArrayBuffer + Atomics queues, atomic counters, semaphores, a worker pool and parallel map/reduce/sort.
 *
 * @module @perf/concurrency
 */

export { AtomicCounter } from './atomic-counter.js';
export { BigAtomicCounter } from './big-atomic-counter.js';
export {
  AbortError,
  ClosedError,
  ConcurrencyError,
  isPerfError,
  PerfError,
  PoolClosedError,
  QueueFullError,
  TaskError,
  TaskTerminatedError,
  WorkerCrashedError,
} from './errors.js';
export { joinAll, mapConcurrent } from './join.js';
export { limit, limitFunction } from './limit.js';
export { MpmcQueue } from './mpmc-queue.js';
export {
  parForEach,
  parMap,
  parRange,
  parReduce,
  parSort,
  sharedArray,
  toShared,
} from './parallel.js';
export { Semaphore } from './semaphore.js';
export { SharedSemaphore } from './shared-semaphore.js';
export { SpscByteRing } from './spsc-byte-ring.js';
export { SpscRing } from './spsc-ring.js';
export { WorkerPool } from './worker-pool.js';
export type {
  AcquireOptions,
  CompareExchangeResult,
  JoinAllOptions,
  JoinAllResult,
  Limit,
  LimitedFunction,
  LimitOptions,
  MapConcurrentOptions,
  MpmcQueueOptions,
  NumberType,
  NumericArray,
  ParallelOptions,
  ParMapOptions,
  ParReduceOptions,
  RunOptions,
  SpscByteRingOptions,
  SpscRingOptions,
  TaskContext,
  TaskModule,
  WorkerPoolOptions,
} from './types.js';
