/**
 * Every operational error @perf/net raises. Programmer mistakes (bad arguments or
 * options) throw a plain `TypeError`/`RangeError` instead; expected outcomes are return values.
 *
 * All of them are @perf errors (`isPerfError(err, 'PERF_NET_*')` or `NetError.is(err)`, across
 * packages and duplicate installs). `AbortError`, `TimeoutError`, `QueueFullError` and
 * `ClosedError` have the shape every @perf package gives errors of that name (so they are not
 * `instanceof NetError`); the others extend {@link NetError}.
 */

import {
  AbortError as SharedAbortError,
  ClosedError as SharedClosedError,
  isPerfError,
  PerfError,
  QueueFullError as SharedQueueFullError,
  TimeoutError as SharedTimeoutError,
} from '@perf/internal';

export { isPerfError, PerfError };

/**
 * Base class of the errors only @perf/net raises. `code` is stable across versions and is what
 * callers should branch on; data lives in fields, not in the message.
 */
export class NetError extends PerfError {
  /**
   * True for any @perf/net error, the shared shapes included, even one from a duplicate
   * install of the package.
   */
  static is(value: unknown): value is PerfError {
    return isPerfError(value, 'PERF_NET_*');
  }
}

/** A request, a connect or a batch handler did not finish within its time limit. */
export class TimeoutError extends SharedTimeoutError {
  constructor(timeoutMs: number, what: string) {
    super('PERF_NET_TIMEOUT', timeoutMs, what);
  }
}

/**
 * The caller's `AbortSignal` fired. `name` is `'AbortError'` like the platform's aborts, so
 * code that checks `err.name === 'AbortError'` keeps working; `cause` is the signal's reason.
 */
export class AbortError extends SharedAbortError {
  constructor(reason?: unknown) {
    super('PERF_NET_ABORTED', reason);
  }
}

/** A bounded queue is full and the caller asked to be told rather than to wait. */
export class QueueFullError extends SharedQueueFullError {
  constructor(capacity: number) {
    super('PERF_NET_QUEUE_FULL', capacity);
  }
}

/** The pool or batcher was closed before (or while) the work was accepted; `what` names it. */
export class ClosedError extends SharedClosedError {
  constructor(what: string) {
    super('PERF_NET_CLOSED', what);
  }
}

/**
 * A connection could not be opened, or was lost while a request that may not be repeated
 * was in flight on it. `cause` is the socket/session error.
 */
export class ConnectionError extends NetError {
  /** The origin the pool talks to. */
  readonly origin: string;

  constructor(origin: string, message: string, options?: ErrorOptions) {
    super('PERF_NET_CONNECTION', `${origin}: ${message}`, options);
    this.origin = origin;
  }
}

/** The server reset the stream (RST_STREAM) after it had started to process the request. */
export class StreamResetError extends NetError {
  /** The HTTP/2 error code of the RST_STREAM frame (`http2.constants.NGHTTP2_*`). */
  readonly rstCode: number;

  constructor(rstCode: number, options?: ErrorOptions) {
    super('PERF_NET_STREAM_RESET', `Stream reset by peer with code ${rstCode}`, options);
    this.rstCode = rstCode;
  }
}

/** A batch handler failed as a whole (threw, rejected or returned the wrong number of results). */
export class BatchError extends NetError {
  /** How many items the failed batch held. */
  readonly size: number;

  constructor(size: number, message: string, options?: ErrorOptions) {
    super('PERF_NET_BATCH_FAILED', message, options);
    this.size = size;
  }
}

/** Compressed input is corrupted, truncated or not in the expected format. */
export class CorruptPayloadError extends NetError {
  /** The content coding that failed to decode (`gzip`, `br`, …, or `frame` for the header). */
  readonly encoding: string;

  constructor(encoding: string, message: string, options?: ErrorOptions) {
    super('PERF_NET_CORRUPT_PAYLOAD', `${encoding}: ${message}`, options);
    this.encoding = encoding;
  }
}

/** A body grew beyond the configured maximum (decompression bomb guard, response size cap). */
export class PayloadTooLargeError extends NetError {
  /** The configured limit, in bytes. */
  readonly limit: number;

  constructor(limit: number, options?: ErrorOptions) {
    super('PERF_NET_PAYLOAD_TOO_LARGE', `Payload exceeds the limit of ${limit} bytes`, options);
    this.limit = limit;
  }
}

/** A content coding was requested that this runtime does not provide (zstd before Node 22.15). */
export class UnsupportedEncodingError extends NetError {
  /** The requested content coding. */
  readonly encoding: string;

  constructor(encoding: string) {
    super('PERF_NET_UNSUPPORTED_ENCODING', `Content coding "${encoding}" is not available here`);
    this.encoding = encoding;
  }
}
