/**
 * @packageDocumentation
 * Allocation-free object pools, slab and buffer pools, packed struct layouts over typed arrays, zero-copy byte slices.
 *
 * @module @perf/pool
 */

export { PoolError } from './errors.js';
