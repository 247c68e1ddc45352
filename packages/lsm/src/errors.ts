/**
 * Every operational error @perf/lsm raises. Programmer mistakes (bad arguments or
 * options) throw a plain `TypeError`/`RangeError` instead; expected outcomes are return values
 * (`get` of a missing key resolves to `undefined`). All extend the one @perf error base, so
 * `isPerfError(err, 'PERF_LSM_*')` from any @perf package recognises them.
 */
import { ClosedError as SharedClosedError, isPerfError, PerfError } from '@perf/internal';

export { isPerfError, PerfError };

/**
 * Base class of the operational errors of @perf/lsm. `code` is stable across versions and is
 * what callers should branch on; data lives in fields, not in the message.
 */
export class LsmError extends PerfError {
  /** True for any @perf/lsm error, even one from a duplicate install of the package. */
  static is(value: unknown): value is LsmError {
    return isPerfError(value, 'PERF_LSM_*');
  }
}

/**
 * Stored bytes failed a check: a block or record checksum, a table footer's magic number, a
 * malformed manifest edit. `file` and `offset` name the place. The store never returns data
 * that failed a check.
 */
export class CorruptionError extends LsmError {
  /** Path of the damaged file. */
  readonly file: string;
  /** Byte offset of the damaged block or record in `file`. */
  readonly offset: number;
  /** What check failed, e.g. `Block checksum mismatch`. */
  readonly reason: string;

  constructor(file: string, offset: number, reason: string, options?: ErrorOptions) {
    super('PERF_LSM_CORRUPTION', `${reason} in ${file} at offset ${offset}`, options);
    this.file = file;
    this.offset = offset;
    this.reason = reason;
  }
}

/** Another live process (or another open store in this one) holds the directory's lock. */
export class LockedError extends LsmError {
  readonly dir: string;
  /** Process id written in the lock file, when readable. */
  readonly pid: number | undefined;

  constructor(dir: string, pid: number | undefined) {
    super('PERF_LSM_LOCKED', `${dir} is locked by process ${pid ?? 'unknown'}`);
    this.dir = dir;
    this.pid = pid;
  }
}

/**
 * An operation on a store (or iterator, or snapshot) after `close()`. The shared `@perf` shape:
 * `what` names what is closed. It is not an `instanceof LsmError` (one parent only), but
 * `LsmError.is` and `isPerfError(err, 'PERF_LSM_*')` recognise it.
 */
export class ClosedError extends SharedClosedError {
  constructor(what = 'store') {
    super('PERF_LSM_CLOSED', what);
  }
}

/** `open` of a directory with no store and `createIfMissing: false`, or that is not a store. */
export class NotFoundError extends LsmError {
  readonly dir: string;

  constructor(dir: string, message = `A store does not exist in ${dir}`) {
    super('PERF_LSM_NOT_FOUND', message);
    this.dir = dir;
  }
}

/** `open` with `errorIfExists: true` of a directory that already holds a store. */
export class ExistsError extends LsmError {
  readonly dir: string;

  constructor(dir: string) {
    super('PERF_LSM_EXISTS', `A store already exists in ${dir}`);
    this.dir = dir;
  }
}

/** A file-system call failed (disk full, permissions, …); the OS error is the `cause`. */
export class IoError extends LsmError {
  readonly path: string;

  constructor(path: string, cause: unknown) {
    super('PERF_LSM_IO', `I/O failed on ${path}: ${(cause as Error)?.message ?? cause}`, { cause });
    this.path = path;
  }
}
