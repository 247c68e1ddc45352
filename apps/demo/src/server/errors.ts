/**
 * perf-kv's own operational errors, and how an error crosses a thread boundary.
 *
 * Storage and vector code fail with errors that carry a stable `code` (the packages'
 * `PERF_<PACKAGE>_*`, or perf-kv's `PERF_KV_*` below); the HTTP layer maps codes to statuses
 * (http/errors.ts). A shard on a worker thread replies `{ code, name, message }`, never a plain
 * string, and the main thread rebuilds an error of the same class with the same code.
 */
import { PerfError } from '@perf/internal';
import * as lsm from '@perf/lsm';

/** An operational failure of perf-kv itself. `code` is `PERF_KV_*`; `isPerfError` knows it. */
export class KvError extends PerfError {}

/** A peer answered a forwarded request with an error status. */
export class PeerError extends KvError {
  /** The peer's URL and the HTTP status it answered. */
  readonly peer: string;
  readonly status: number;
  constructor(peer: string, status: number, what: string) {
    super('PERF_KV_PEER_FAILED', `peer ${peer} answered ${status} to ${what}`);
    this.peer = peer;
    this.status = status;
  }
}

/** The service is shedding load: the oldest queued request waited longer than the bound. */
export class OverloadedError extends KvError {
  readonly retryAfterSec: number;
  constructor(retryAfterSec: number) {
    super('PERF_KV_OVERLOADED', 'server is overloaded, retry later');
    this.retryAfterSec = retryAfterSec;
  }
}

/** An error as it travels between threads (structured clone keeps plain data only). */
export interface WireError {
  code: string | undefined;
  name: string;
  message: string;
}

/** `err` as plain data for postMessage. */
export function toWire(err: unknown): WireError {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return {
      code: typeof code === 'string' ? code : undefined,
      name: err.name,
      message: err.message,
    };
  }
  return { code: undefined, name: 'Error', message: String(err) };
}

/** Classes a shard can raise, by code (stable, unlike a bundled class's name). */
const BY_CODE: Record<string, new (...args: never[]) => Error> = {
  PERF_LSM_CORRUPTION: lsm.CorruptionError,
  PERF_LSM_LOCKED: lsm.LockedError,
  PERF_LSM_CLOSED: lsm.ClosedError,
  PERF_LSM_NOT_FOUND: lsm.NotFoundError,
  PERF_LSM_EXISTS: lsm.ExistsError,
  PERF_LSM_IO: lsm.IoError,
};
/** …and the uncoded ones by name. */
const BY_NAME: Record<string, new (...args: never[]) => Error> = { TypeError, RangeError };

/**
 * Rebuilds a shard's error on this thread: the same class (so `instanceof` and the package's
 * brand hold), `name`, `message` and `code`. Its stack is this thread's, where the call was made.
 */
export function fromWire(w: WireError): Error {
  const C =
    w.code !== undefined && Object.hasOwn(BY_CODE, w.code)
      ? BY_CODE[w.code]!
      : w.code?.startsWith('PERF_LSM_')
        ? lsm.LsmError
        : w.code?.startsWith('PERF_KV_')
          ? KvError
          : Object.hasOwn(BY_NAME, w.name)
            ? BY_NAME[w.name]!
            : Error;
  const err = Object.create(C.prototype) as Error & { code?: string };
  Object.defineProperties(err, {
    message: { value: w.message, writable: true, configurable: true },
    name: { value: w.name, writable: true, configurable: true },
  });
  Error.captureStackTrace(err, fromWire);
  if (w.code !== undefined)
    Object.defineProperty(err, 'code', { value: w.code, enumerable: true, configurable: true });
  return err;
}
