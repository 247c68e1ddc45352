/**
 * The one error base of every `@perf` package, and the error shapes several packages share.
 *
 * Each package keeps its own `src/errors.ts` and its own codes (`PERF_<PACKAGE>_<CONDITION>`);
 * its classes extend these. The brand is `Symbol.for('perf.error')`, a registry symbol, so
 * `isPerfError` recognises an error thrown by another package, or by a second copy of the same
 * package installed elsewhere in `node_modules`, where `instanceof` would say no.
 *
 * ```
 * Error
 * └─ PerfError                code, name = class name, cause, brand
 *    ├─ <Package>Error        each package's own base (LsmError, NetError, …)
 *    ├─ AbortError            name 'AbortError', cause = the signal's reason
 *    ├─ TimeoutError          timeoutMs
 *    ├─ ClosedError           what
 *    └─ QueueFullError        capacity
 * ```
 *
 * A package re-exports a shared shape under its own code by subclassing it:
 * `export class QueueFullError extends SharedQueueFullError { constructor(capacity: number) {
 * super('PERF_NET_QUEUE_FULL', capacity); } }`. Such a class is not an `instanceof` the
 * package's own base (one parent only): check with `isPerfError(err, 'PERF_NET_*')`.
 */

/** The brand every `@perf` error carries, shared across packages and duplicate installs. */
export const PERF_ERROR: unique symbol = Symbol.for('perf.error') as never;

/** A stable machine-readable error code: `PERF_<PACKAGE>_<CONDITION>`. */
export type PerfErrorCode = `PERF_${string}`;

/**
 * Base of every operational error `@perf` raises. `code` is stable across versions and is what
 * callers branch on; data lives in fields, not in the message. `name` is the class name.
 */
export class PerfError extends Error {
  /** Stable machine-readable code, `PERF_<PACKAGE>_<CONDITION>`. */
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }

  /** Always `true`: the cross-package brand that `isPerfError` looks for. */
  get [PERF_ERROR](): true {
    return true;
  }
}

/**
 * True when `value` is a `@perf` error (from any package, any installed copy). With `code`, it
 * must also carry that code; a code ending in `*` matches a prefix, so `'PERF_NET_*'` accepts
 * every `@perf/net` error.
 */
export function isPerfError(value: unknown, code?: string): value is PerfError {
  if (typeof value !== 'object' || value === null) return false;
  if ((value as Record<symbol, unknown>)[PERF_ERROR] !== true) return false;
  if (code === undefined) return true;
  const own = (value as { code?: unknown }).code;
  if (typeof own !== 'string') return false;
  return code.endsWith('*') ? own.startsWith(code.slice(0, -1)) : own === code;
}

/**
 * An operation was cancelled through its `AbortSignal`. `name` is `'AbortError'` (like the
 * platform's own aborts, so `err.name === 'AbortError'` checks keep working in subclasses too);
 * `cause` is the signal's `reason` when there is one.
 */
export class AbortError extends PerfError {
  constructor(code: string, reason?: unknown, message = 'The operation was aborted') {
    super(code, message, reason === undefined ? undefined : { cause: reason });
    this.name = 'AbortError';
  }
}

/** An operation did not finish within its time limit. */
export class TimeoutError extends PerfError {
  /** The limit that was exceeded, in milliseconds. */
  readonly timeoutMs: number;

  /** `what` starts the message: `${what} timed out after ${timeoutMs} ms`. */
  constructor(code: string, timeoutMs: number, what = 'The operation', options?: ErrorOptions) {
    super(code, `${what} timed out after ${timeoutMs} ms`, options);
    this.timeoutMs = timeoutMs;
  }
}

/** The object (pool, store, cache, batcher…) was closed before or while the work was accepted. */
export class ClosedError extends PerfError {
  /** What is closed, e.g. `'store'` or `'worker pool'`. */
  readonly what: string;

  /** The message reads `The ${what} is closed`. */
  constructor(code: string, what: string, options?: ErrorOptions) {
    super(code, `The ${what} is closed`, options);
    this.what = what;
  }
}

/** A bounded queue is full and the caller asked to be told rather than to wait. */
export class QueueFullError extends PerfError {
  /** The configured capacity that was reached (number of waiting entries). */
  readonly capacity: number;

  constructor(code: string, capacity: number, options?: ErrorOptions) {
    super(code, `The queue is full (capacity ${capacity})`, options);
    this.capacity = capacity;
  }
}

/** The plain data of a `@perf` error, to send across a worker or process boundary. */
export interface PerfErrorData {
  name: string;
  code: string | undefined;
  message: string;
  /** The error's other own enumerable fields (`timeoutMs`, `file`, …), when they are plain data. */
  fields: Record<string, unknown>;
}

/** Flattens any thrown value into `PerfErrorData` (a non-error becomes `{ name: 'Error' }`). */
export function toErrorData(err: unknown): PerfErrorData {
  if (!(err instanceof Error)) {
    return { name: 'Error', code: undefined, message: String(err), fields: {} };
  }
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(err)) {
    if (k === 'code' || k === 'name' || k === 'message' || k === 'stack' || k === 'cause') continue;
    if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) fields[k] = v;
  }
  const code = (err as { code?: unknown }).code;
  return {
    name: err.name,
    code: typeof code === 'string' ? code : undefined,
    message: err.message,
    fields,
  };
}
