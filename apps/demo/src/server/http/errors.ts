/**
 * The error-to-status map: every error a route can meet becomes one HTTP status and one stable
 * `error` code of the JSON body, as the README's error table documents. Client mistakes are
 * `HttpError`s; operational failures of the packages and of perf-kv carry a `code`
 * (`PERF_<PACKAGE>_<CONDITION>`), looked up in `STATUS_OF_CODE`. Wrappers (a failed cache load,
 * a failed batch) are unwrapped to the error that caused them.
 */
import { isPerfError } from '@perf/internal';
import { jsonError, type Res } from './message.js';

/** A client mistake with an HTTP status and a stable machine-readable `error` code. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra response headers (Retry-After, Allow…). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Package and perf-kv codes → status and `error` code. Anything else is 500 `internal`. */
export const STATUS_OF_CODE: Readonly<Record<string, readonly [status: number, error: string]>> = {
  // A peer did not answer in time, or the peer pool gave up waiting.
  PERF_NET_TIMEOUT: [503, 'timeout'],
  // A peer could not be reached, reset the stream or sent a broken or oversized answer.
  PERF_NET_CONNECTION: [502, 'peer_failed'],
  PERF_NET_STREAM_RESET: [502, 'peer_failed'],
  PERF_NET_CORRUPT_PAYLOAD: [502, 'peer_failed'],
  PERF_NET_PAYLOAD_TOO_LARGE: [502, 'peer_failed'],
  PERF_KV_PEER_FAILED: [502, 'peer_failed'],
  // Cluster mode: the key's owner is down or unreachable (the key is unavailable, not lost),
  // or the placement kept moving while the request was retried.
  PERF_KV_OWNER_UNAVAILABLE: [503, 'owner_unavailable'],
  PERF_KV_STALE_EPOCH: [503, 'stale_epoch'],
  // Too much queued work.
  PERF_NET_QUEUE_FULL: [503, 'overloaded'],
  PERF_KV_OVERLOADED: [503, 'overloaded'],
  // Shutting down: the pool, cache or store is already closed.
  PERF_NET_CLOSED: [503, 'unavailable'],
  PERF_CACHE_CLOSED: [503, 'unavailable'],
  PERF_LSM_CLOSED: [503, 'unavailable'],
  // The store could not read or write its files, or found them damaged.
  PERF_LSM_IO: [500, 'storage_failed'],
  PERF_LSM_CORRUPTION: [500, 'storage_corrupt'],
  PERF_CACHE_WRITE_FAILED: [500, 'storage_failed'],
  PERF_CACHE_FLUSH_FAILED: [500, 'storage_failed'],
};

/** Codes of errors that only wrap their `cause`: the cause decides the status. */
const WRAPPERS = new Set(['PERF_CACHE_LOAD_FAILED', 'PERF_NET_BATCH_FAILED']);

/**
 * The `PERF_*` code of a @perf error: branded ones (`isPerfError`, across packages and
 * duplicate installs), and unbranded ones of a package not yet on the shared base.
 */
function codeOf(err: unknown): string | undefined {
  if (isPerfError(err)) return err.code;
  const code =
    typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('PERF_') ? code : undefined;
}

/** The status, `error` code and message `err` is answered with. */
export function statusOf(err: unknown): {
  status: number;
  error: string;
  message: string;
  headers?: Record<string, string>;
} {
  let e = err;
  for (let depth = 0; depth < 8; depth++) {
    const code = codeOf(e);
    if (code === undefined || !WRAPPERS.has(code)) break;
    e = (e as { cause?: unknown }).cause;
  }
  if (e instanceof HttpError) {
    return {
      status: e.status,
      error: e.code,
      message: e.message,
      ...(e.headers ? { headers: e.headers } : {}),
    };
  }
  const code = codeOf(e);
  const row = code === undefined ? undefined : STATUS_OF_CODE[code];
  if (row === undefined) return { status: 500, error: 'internal', message: 'internal error' };
  const retry = (e as { retryAfterSec?: unknown }).retryAfterSec;
  return {
    status: row[0],
    error: row[1],
    message: (e as Error).message,
    ...(row[0] === 503
      ? { headers: { 'retry-after': String(typeof retry === 'number' ? retry : 1) } }
      : {}),
  };
}

/** The response for `err`; unexpected errors are logged (their details stay on the server). */
export function errorResponse(err: unknown): Res {
  const s = statusOf(err);
  if (s.error === 'internal') console.error('perf-kv: internal error', err);
  const res = jsonError(s.status, s.error, s.message);
  if (s.headers) res.headers = { ...res.headers, ...s.headers };
  return res;
}
