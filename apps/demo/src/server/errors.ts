/**
 * perf-kv's own operational errors, and how an error crosses a thread boundary.
 *
 * Storage and vector code fail with errors that carry a stable `code` (the packages'
 * `PERF_<PACKAGE>_*`, or perf-kv's `PERF_KV_*` below); the HTTP layer maps codes to statuses
 * (http/errors.ts). A shard on a worker thread replies `{ code, name, message }`, never a plain
 * string, and the main thread rebuilds an error of the same class with the same code.
 */
import * as lsm from '@perf/lsm';

/** An operational failure of perf-kv itself. `code` is `PERF_KV_*`. */
export class KvError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

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

/** Classes a shard can raise, by name: the main thread rebuilds the same class. */
const CLASSES: Record<string, new (...args: never[]) => Error> = {
  CorruptionError: lsm.CorruptionError,
  LockedError: lsm.LockedError,
  ClosedError: lsm.ClosedError,
  NotFoundError: lsm.NotFoundError,
  ExistsError: lsm.ExistsError,
  IoError: lsm.IoError,
  LsmError: lsm.LsmError,
  KvError,
  TypeError,
  RangeError,
};

/**
 * Rebuilds a shard's error on this thread: the same class (so `instanceof` and the package's
 * brand hold), `name`, `message` and `code`. Its stack is this thread's, where the call was made.
 */
export function fromWire(w: WireError): Error {
  const C = Object.hasOwn(CLASSES, w.name) ? CLASSES[w.name]! : Error;
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
