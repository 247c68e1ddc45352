/**
 * @packageDocumentation
 * SharedArrayBuffer + Atomics queues, atomic counters, semaphores, a worker pool and parallel map/reduce/sort.
 *
 * @module @perf/concurrency
 */

export { ConcurrencyError } from './errors.js';
