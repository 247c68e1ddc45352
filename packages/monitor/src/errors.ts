/**
 * Every operational error `@perf/monitor` raises. Programmer mistakes (bad arguments or
 * options) throw a plain `TypeError`/`RangeError` instead; expected outcomes are return values.
 */

import { isPerfError, PerfError } from '@perf/internal';

export { isPerfError, PerfError };

/**
 * Base class of the operational errors of `@perf/monitor`. `code` is stable across versions and
 * is what callers should branch on; data lives in fields, not in the message. It extends the
 * base every `@perf` package shares, so `isPerfError(err)` recognises it too.
 */
export class MonitorError extends PerfError {
  /** True for any `@perf/monitor` error, even one from a duplicate install of the package. */
  static is(value: unknown): value is MonitorError {
    return isPerfError(value, 'PERF_MONITOR_*');
  }
}

/**
 * A serialised histogram could not be decoded: bad base64, an unknown cookie, a truncated or
 * inflated-beyond-limit payload, or counts that do not fit the header's layout.
 * `offset` is the byte offset in the (uncompressed) payload where decoding stopped, or -1.
 */
export class CorruptHistogramError extends MonitorError {
  readonly offset: number;

  constructor(message: string, offset = -1, options?: ErrorOptions) {
    super('PERF_MONITOR_CORRUPT_HISTOGRAM', message, options);
    this.offset = offset;
  }
}

/**
 * A baseline file does not exist (`PERF_MONITOR_BASELINE_NOT_FOUND`), or cannot be read or
 * does not hold a `@perf/monitor` baseline (`PERF_MONITOR_BASELINE_INVALID`).
 */
export class BaselineError extends MonitorError {
  /** The file that was read. */
  readonly path: string;

  constructor(
    path: string,
    code: 'PERF_MONITOR_BASELINE_NOT_FOUND' | 'PERF_MONITOR_BASELINE_INVALID',
    message: string,
    options?: ErrorOptions,
  ) {
    super(code, message, options);
    this.path = path;
  }
}

/** A benchmark case threw while it was being measured; the original error is the `cause`. */
export class BenchCaseError extends MonitorError {
  /** Name of the case that failed. */
  readonly caseName: string;

  constructor(caseName: string, options?: ErrorOptions) {
    super('PERF_MONITOR_BENCH_CASE_FAILED', `Benchmark case "${caseName}" threw`, options);
    this.caseName = caseName;
  }
}

/**
 * The V8 CPU profiler is already running in this thread (one profile at a time), or the
 * inspector refused a command; the inspector's error is the `cause`.
 */
export class ProfilerError extends MonitorError {
  constructor(
    code: 'PERF_MONITOR_PROFILER_BUSY' | 'PERF_MONITOR_PROFILER_FAILED',
    message: string,
    options?: ErrorOptions,
  ) {
    super(code, message, options);
  }
}
