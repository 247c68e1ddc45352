/**
 * Every operational error @perf/cache raises. Programmer mistakes (bad arguments or
 * options) throw a plain `TypeError`/`RangeError` instead; expected outcomes are return values.
 * All extend the one @perf error base, so `isPerfError(err, 'PERF_CACHE_*')` from any @perf
 * package recognises them, across duplicate installs too.
 */
import { isPerfError, PerfError } from '@perf/internal';

export { isPerfError, PerfError };

/**
 * Base class of the operational errors of @perf/cache. `code` is stable across versions and
 * is what callers should branch on; data lives in fields, not in the message.
 */
export class CacheError extends PerfError {
  /** True for any @perf/cache error, even one from a duplicate install of the package. */
  static is(value: unknown): value is CacheError {
    return isPerfError(value, 'PERF_CACHE_*');
  }
}

/**
 * A loader threw or rejected. Every caller waiting on that load receives this same error; the
 * failed result is not cached, so the next call loads again.
 */
export class CacheLoadError extends CacheError {
  /** The key whose load failed. */
  readonly key: unknown;

  constructor(key: unknown, cause: unknown) {
    super('PERF_CACHE_LOAD_FAILED', 'The loader failed; nothing was cached', { cause });
    this.key = key;
  }
}

/** A write-through backend write failed; the cache was left unchanged. */
export class CacheWriteError extends CacheError {
  /** The keys of the failed write. */
  readonly keys: readonly unknown[];

  constructor(keys: readonly unknown[], cause: unknown) {
    super('PERF_CACHE_WRITE_FAILED', 'The backend write failed; the cache is unchanged', { cause });
    this.keys = keys;
  }
}

/**
 * A write-back flush could not write every dirty entry to the backend (after its retries).
 * The entries listed in `keys` are still dirty and still readable: nothing was dropped.
 */
export class CacheFlushError extends CacheError {
  /** Keys whose latest write has not reached the backend. */
  readonly keys: readonly unknown[];
  /** How many attempts were made. */
  readonly attempts: number;

  constructor(keys: readonly unknown[], attempts: number, cause: unknown) {
    super('PERF_CACHE_FLUSH_FAILED', 'Dirty entries could not be written to the backend', {
      cause,
    });
    this.keys = keys;
    this.attempts = attempts;
  }
}

/** A write was made to a write-back cache after `close()` began. */
export class CacheClosedError extends CacheError {
  constructor() {
    super('PERF_CACHE_CLOSED', 'The cache is closed');
  }
}

/**
 * An operation took longer than its bound: a load past `timeouts.hard` (`operation: 'load'`),
 * or a call to Redis past the tier's or bus's `timeout` (`operation`: the command).
 */
export class CacheTimeoutError extends CacheError {
  /** What timed out: `'load'` or a Redis command name. */
  readonly operation: string;
  /** The limit that was exceeded, in milliseconds (the shape of the shared `TimeoutError`). */
  readonly timeoutMs: number;

  constructor(operation: string, timeoutMs: number) {
    super('PERF_CACHE_TIMEOUT', `${operation} timed out after ${timeoutMs} ms`);
    this.operation = operation;
    this.timeoutMs = timeoutMs;
  }
}

/** A call to the remote store (Redis) failed: not connected, refused, or an error reply. */
export class CacheStoreError extends CacheError {
  /** The command that failed. */
  readonly operation: string;

  constructor(operation: string, cause: unknown) {
    super('PERF_CACHE_STORE_FAILED', `${operation} failed on the remote store`, { cause });
    this.operation = operation;
  }
}
