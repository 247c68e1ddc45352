/**
 * Every operational error @perf/simd raises. Programmer mistakes (bad arguments or
 * options) throw a plain `TypeError`/`RangeError` instead; expected outcomes are return values.
 * All extend the one @perf error base, so `isPerfError(err, 'PERF_SIMD_*')` from any
 * @perf package recognises them.
 */
import { isPerfError, PerfError } from '@perf/internal';

export { isPerfError, PerfError };

/**
 * Base class of the operational errors of @perf/simd. `code` is stable across versions and
 * is what callers should branch on; data lives in fields, not in the message.
 */
export class SimdError extends PerfError {
  /** True for any @perf/simd error, even one from a duplicate install of the package. */
  static is(value: unknown): value is SimdError {
    return isPerfError(value, 'PERF_SIMD_*');
  }
}

/**
 * The wasm backend was forced (`backend: 'wasm'`) but this runtime's WebAssembly does not
 * accept the simd128 kernel module (or shared memory). Use `'auto'` to fall back to scalar.
 */
export class SimdUnsupportedError extends SimdError {
  constructor(options?: ErrorOptions) {
    super(
      'PERF_SIMD_UNSUPPORTED',
      'WebAssembly simd128 with shared memory is not available in this runtime',
      options,
    );
  }
}

/**
 * The module's memory could not grow to hold an allocation (its `maximumBytes` is reached, or
 * the system refused). `requestedBytes` is the size asked for, `memoryBytes` the current size.
 */
export class SimdOutOfMemoryError extends SimdError {
  /** Bytes the failed allocation asked for. */
  readonly requestedBytes: number;
  /** Size of the memory when it failed, in bytes. */
  readonly memoryBytes: number;

  constructor(requestedBytes: number, memoryBytes: number, options?: ErrorOptions) {
    super(
      'PERF_SIMD_OUT_OF_MEMORY',
      `Cannot allocate ${requestedBytes} bytes in a WebAssembly memory of ${memoryBytes} bytes`,
      options,
    );
    this.requestedBytes = requestedBytes;
    this.memoryBytes = memoryBytes;
  }
}
