/**
 * @packageDocumentation
 * A moka-like cache: W-TinyLFU admission, size/weight bounds, TTL/TTI, stampede-free loaders, multi-level tiers, write-through/write-back, refresh-ahead.
 *
 * @module @perf/cache
 */

export { CacheError } from './errors.js';
