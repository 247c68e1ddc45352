/**
 * @packageDocumentation
 * HTTP/2 connection reuse, request batching and de-duplication, adaptive compression with a self-describing frame.
 *
 * @module @perf/net
 */

export { NetError } from './errors.js';
