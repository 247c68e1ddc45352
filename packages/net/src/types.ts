// The vocabulary of @perf/net: options and results of every public class.

import type {
  IncomingHttpHeaders,
  OutgoingHttpHeaders,
  SecureClientSessionOptions,
} from 'node:http2';
import type { Readable } from 'node:stream';

/** A source of time and timers, so tests can drive time by hand instead of sleeping. */
export interface Clock {
  /** Milliseconds on a monotonic scale (the default is `performance.now()`). */
  now(): number;
  /** Schedules `fn` after `ms` milliseconds; the handle goes back to `clearTimeout`. */
  setTimeout(fn: () => void, ms: number): unknown;
  /** Cancels a handle returned by `setTimeout`. */
  clearTimeout(handle: unknown): void;
}

// ---------------------------------------------------------------------------------------------
// Http2Pool

/** Options of {@link Http2Pool}. */
export interface Http2PoolOptions {
  /**
   * Most sessions (TCP/TLS connections) the pool opens to the origin. A session is opened only
   * when every open one is at its stream limit, so a burst of C requests against a server that
   * allows S concurrent streams opens ⌈C / S⌉ sessions, never more than this.
   * @defaultValue `4`
   */
  maxSessions?: number;
  /**
   * Our own cap on concurrent streams per session, applied on top of the server's
   * `SETTINGS_MAX_CONCURRENT_STREAMS`. Lower it to spread load over more sessions.
   * @defaultValue `Infinity` (the server's limit alone)
   */
  maxStreamsPerSession?: number;
  /**
   * Most requests waiting for a free stream (or for a session to connect); beyond it
   * `request()` rejects with `PERF_NET_QUEUE_FULL`. Requests that find a free stream never
   * count. At least 1.
   * @defaultValue `Infinity`
   */
  maxQueue?: number;
  /**
   * Time limit of one request, from `request()` to the complete response (to the response
   * headers when `responseType` is `'stream'`), queueing and retries included; in milliseconds.
   * @defaultValue `30_000`
   */
  timeoutMs?: number;
  /**
   * Time to open a session and receive the server's SETTINGS, in milliseconds.
   * @defaultValue `10_000`
   */
  connectTimeoutMs?: number;
  /**
   * A session with no stream for this long is closed, in milliseconds.
   * @defaultValue `30_000`
   */
  idleTimeoutMs?: number;
  /**
   * How many times one request may be re-sent after the server refused it unprocessed (GOAWAY
   * above its last stream id, RST_STREAM REFUSED_STREAM) or, for retryable requests, after the
   * connection was lost mid-flight.
   * @defaultValue `2`
   */
  maxRetries?: number;
  /**
   * Largest response body buffered by `responseType: 'buffer'`, in bytes; beyond it the request
   * fails with `PERF_NET_PAYLOAD_TOO_LARGE`.
   * @defaultValue `64 MiB`
   */
  maxResponseBytes?: number;
  /** TLS and session options passed to `http2.connect` (`ca`, `rejectUnauthorized`, …). */
  connectOptions?: SecureClientSessionOptions;
  /**
   * Called once per request when it settles, success or failure: the place to feed latency
   * histograms (e.g. `@perf/monitor`). What it throws is ignored.
   * @defaultValue none
   */
  onComplete?: (event: Http2RequestEvent) => void;
}

/** What {@link Http2PoolOptions.onComplete} learns about each settled request. */
export interface Http2RequestEvent {
  method: string;
  path: string;
  /** HTTP status, or `0` when the request failed. */
  status: number;
  /** From `request()` to settlement (queueing and retries included), in milliseconds. */
  durationMs: number;
  /** Streams used: `1` unless the request was re-sent. */
  attempts: number;
  /** The error the caller got, when it failed. */
  error: unknown;
}

/** One request through {@link Http2Pool.request}. */
export interface Http2RequestOptions {
  /** @defaultValue `'GET'` */
  method?: string;
  /** Path and query. @defaultValue `'/'` */
  path?: string;
  /** Extra request headers (lower-case names). */
  headers?: OutgoingHttpHeaders;
  /**
   * Request body: bytes or a string, sent in full, or a stream (any async iterable of chunks,
   * such as a `Readable`), sent as it is read. A streamed body is read once, so that request
   * is never re-sent (it fails with `PERF_NET_CONNECTION` where another would be retried), and
   * a failure of the stream itself fails the request with that error.
   */
  body?: Uint8Array | string | AsyncIterable<Uint8Array | string>;
  /** Aborts the request (rejects with `AbortError`, code `PERF_NET_ABORTED`). */
  signal?: AbortSignal;
  /** Overrides the pool's `timeoutMs` for this request. */
  timeoutMs?: number;
  /**
   * Whether the request may be re-sent after the connection was lost while it was in flight.
   * Requests the server provably never processed are always re-sent.
   * @defaultValue `true` for GET, HEAD, OPTIONS, PUT, DELETE and TRACE; `false` otherwise
   */
  retry?: boolean;
}

/** A response with its whole body in memory. */
export interface Http2Response {
  /** HTTP status code. */
  status: number;
  /** Response headers as node:http2 delivers them (`:status` included). */
  headers: IncomingHttpHeaders;
  /** The whole body. */
  body: Buffer;
}

/** A response whose body is read as a stream (destroy it to cancel). */
export interface Http2StreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Readable;
}

/** Counters of an {@link Http2Pool}; cheap to read, monotonically increasing except gauges. */
export interface Http2PoolStats {
  /** Gauge: open or opening sessions. */
  sessions: number;
  /** Gauge: streams in flight. */
  active: number;
  /** Gauge: requests waiting for a stream. */
  queued: number;
  /** Sessions opened so far. */
  sessionsOpened: number;
  /** Requests completed with a response. */
  completed: number;
  /** Requests that failed (error delivered to the caller). */
  failed: number;
  /** Re-sends after GOAWAY, REFUSED_STREAM or a lost connection. */
  retried: number;
  /** GOAWAY frames received. */
  goaways: number;
}

// ---------------------------------------------------------------------------------------------
// BatchProcessor

/**
 * Processes one batch. Returns one result per item, in order; an `Error` in a slot fails that
 * item alone. Throwing (or rejecting) fails every item of the batch.
 */
export type BatchHandler<I, R> = (
  items: I[],
) => Promise<ArrayLike<R | Error>> | ArrayLike<R | Error>;

/** Options of {@link BatchProcessor}. */
export interface BatchProcessorOptions<I> {
  /**
   * Flush as soon as this many items are pending.
   * @defaultValue `100`
   */
  maxItems?: number;
  /**
   * Flush as soon as the pending items weigh this many bytes (by `sizeOf`).
   * @defaultValue `Infinity`
   */
  maxBytes?: number;
  /**
   * Weight of one item in bytes, used only when `maxBytes` is finite.
   * @defaultValue `byteLength` of strings and `Uint8Array`s, else `1`
   */
  sizeOf?: (item: I) => number;
  /**
   * Flush when the **oldest** pending item has waited this long, in milliseconds.
   * `0` flushes on the next macrotask.
   * @defaultValue `10`
   */
  maxWaitMs?: number;
  /**
   * Most items accepted but not yet handed to the handler.
   * @defaultValue `10_000`
   */
  maxPending?: number;
  /**
   * What `add()` does when `maxPending` items are pending: `'wait'` parks the item until
   * there is room (its promise simply settles later), `'reject'` rejects at once with
   * `PERF_NET_QUEUE_FULL`.
   * @defaultValue `'wait'`
   */
  whenFull?: 'wait' | 'reject';
  /**
   * Most batches in the handler at once.
   * @defaultValue `1`
   */
  concurrency?: number;
  /**
   * A batch whose handler has not settled after this many milliseconds fails with
   * `PERF_NET_TIMEOUT` and frees its concurrency slot.
   * @defaultValue `Infinity`
   */
  handlerTimeoutMs?: number;
  /** Time source (tests inject a manual clock). @defaultValue real time */
  clock?: Clock;
}

/** Counters of a {@link BatchProcessor}. */
export interface BatchProcessorStats {
  /** Gauge: items accepted, not yet handed to the handler. */
  pending: number;
  /** Gauge: items parked by `whenFull: 'wait'`. */
  waiting: number;
  /** Gauge: batches in the handler. */
  running: number;
  /** Batches handed to the handler so far. */
  batches: number;
  /** Items handed to the handler so far. */
  items: number;
}

// ---------------------------------------------------------------------------------------------
// Loader

/** Loads many keys at once: one value (or `Error`) per key, in the order of `keys`. */
export type BatchLoadFn<K, V> = (keys: K[]) => PromiseLike<ArrayLike<V | Error>>;

/** The cache a {@link Loader} memoises promises in (a `Map` fits). */
export interface LoaderCacheMap<C, V> {
  get(key: C): Promise<V> | undefined;
  set(key: C, value: Promise<V>): unknown;
  delete(key: C): unknown;
  clear(): unknown;
}

/**
 * Options of {@link Loader}. Every default is DataLoader 2.2.3's behaviour; the last three
 * options switch on behaviours of ours that DataLoader lacks.
 */
export interface LoaderOptions<K, V, C = K> {
  /**
   * `false` sends every key in its own call of the batch function (`maxBatchSize: 1`).
   * @defaultValue `true`
   */
  batch?: boolean;
  /**
   * Most keys per call of the batch function; a larger tick is split. Cache hits do not count.
   * @defaultValue `Infinity`
   */
  maxBatchSize?: number;
  /**
   * Schedules a batch's dispatch: called (with the loader as `this`) once per new batch with
   * the function that dispatches it. By default, after the current promise jobs and then
   * `process.nextTick` (falling back to `setImmediate`, then `setTimeout`), as DataLoader does.
   */
  batchScheduleFn?: (callback: () => void) => void;
  /**
   * Memoise the promise of every key until `clear()`. With `false` repeated keys of one
   * batch are sent repeatedly (see `dedupe`) and `cacheKeyFn` is never called.
   * @defaultValue `true`
   */
  cache?: boolean;
  /** The memo to use instead of a fresh `Map`; `null` disables caching like `cache: false`. */
  cacheMap?: LoaderCacheMap<C, V> | null;
  /**
   * Maps a key to its cache identity (e.g. `JSON.stringify` for objects); called with the
   * loader as `this`.
   */
  cacheKeyFn?: (key: K) => C;
  /**
   * A label for tools (APM, logs), readable as `loader.name`.
   * @defaultValue `null`
   */
  name?: string | null;
  /**
   * Keep a key whose batch result was an `Error` in the cache, so later loads of it fail
   * without a fetch until `clear(key)`. `false` drops it, so the next load retries.
   * @defaultValue `true`
   */
  cacheErrors?: boolean;
  /**
   * When a cache hit settles: `'batch'` waits for the batch of its tick (so hits and fetches of
   * one tick resolve together); `'immediately'` returns the cached promise itself (no extra
   * promise, no wait for the tick's fetches).
   * @defaultValue `'batch'`
   */
  cacheHits?: 'batch' | 'immediately';
  /**
   * Without a cache, still send each distinct key once per batch (its callers share the
   * result). Keys are compared by `cacheKeyFn`.
   * @defaultValue `false`
   */
  dedupe?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Compressor

/** An HTTP content coding this package can produce. `zstd` only where the runtime has it. */
export type ContentEncoding = 'identity' | 'gzip' | 'deflate' | 'br' | 'zstd';

/** Options of {@link Compressor}. */
export interface CompressorOptions {
  /**
   * The codec of `compress()` and the preferred one of `encodeFor()`.
   * @defaultValue `'gzip'`
   */
  encoding?: Exclude<ContentEncoding, 'identity'>;
  /**
   * Inputs shorter than this many bytes are stored uncompressed.
   * @defaultValue `1024`
   */
  threshold?: number;
  /**
   * Keep compressed output only when `compressed / original` is below this.
   * @defaultValue `0.9`
   */
  minRatio?: number;
  /**
   * Before compressing an input larger than `sampleBytes`, compress a sample at the fastest
   * setting and skip full compression when the sample does not reach `minRatio`.
   * @defaultValue `true`
   */
  adaptive?: boolean;
  /**
   * Size of the adaptive trial sample, in bytes (at most 16 KiB is read).
   * @defaultValue `16384`
   */
  sampleBytes?: number;
  /**
   * zlib level for gzip/deflate (0–9).
   * @defaultValue `6`
   */
  level?: number;
  /**
   * Brotli quality (0–11). Node's default is 11 (~0.7 MB/s); 4 is ~100× faster for ~10% size.
   * @defaultValue `4`
   */
  brotliQuality?: number;
  /**
   * Largest output `decompress()` produces, in bytes; beyond it: `PERF_NET_PAYLOAD_TOO_LARGE`
   * (the decompression-bomb guard).
   * @defaultValue `64 MiB`
   */
  maxOutputBytes?: number;
}

/** Counters of a {@link Compressor}: where each input ended up. */
export interface CompressorStats {
  /** Inputs sent compressed. */
  compressed: number;
  /** Inputs stored as is because they were shorter than `threshold`. */
  belowThreshold: number;
  /** Inputs stored as is because the adaptive trial predicted a poor ratio (no full compression paid). */
  skippedByTrial: number;
  /** Inputs fully compressed, then stored as is because the ratio missed `minRatio`. */
  discarded: number;
  /** Bytes in and out of the compressed inputs (their ratio is the achieved ratio). */
  bytesIn: number;
  bytesOut: number;
}

/** The result of {@link Compressor.encodeFor}: a body and the `Content-Encoding` it carries. */
export interface EncodedBody {
  body: Buffer;
  /** `'identity'` when the body was left as is (small, incompressible or not accepted). */
  encoding: ContentEncoding;
}
