/**
 * @packageDocumentation
 * HTTP/2 connection reuse, request batching and de-duplication, adaptive compression with a self-describing frame.
 *
 * @module @perf/net
 */

export { negotiateEncoding } from './accept-encoding.js';
export { BatchProcessor } from './batch-processor.js';
export { Compressor } from './compressor.js';
export {
  AbortError,
  BatchError,
  ClosedError,
  ConnectionError,
  CorruptPayloadError,
  isPerfError,
  NetError,
  PerfError,
  PayloadTooLargeError,
  QueueFullError,
  StreamResetError,
  TimeoutError,
  UnsupportedEncodingError,
} from './errors.js';
export { Http2Pool } from './http2-pool.js';
export { Loader } from './loader.js';
export type {
  BatchHandler,
  BatchLoadFn,
  BatchProcessorOptions,
  BatchProcessorStats,
  Clock,
  CompressorOptions,
  CompressorStats,
  ContentEncoding,
  EncodedBody,
  Http2PoolOptions,
  Http2PoolStats,
  Http2RequestEvent,
  Http2RequestOptions,
  Http2Response,
  Http2StreamResponse,
  LoaderCacheMap,
  LoaderOptions,
} from './types.js';
