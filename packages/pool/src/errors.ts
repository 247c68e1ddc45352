/**
 * Every operational error @perf/pool raises. Programmer mistakes (bad arguments or
 * options) throw a plain `TypeError`/`RangeError` instead; expected outcomes are return values.
 */

const BRAND = Symbol.for('@perf/pool/error');

/**
 * Base class of the operational errors of @perf/pool. `code` is stable across versions and
 * is what callers should branch on; data lives in fields, not in the message.
 */
export class PoolError extends Error {
  /** Stable machine-readable code, `PERF_POOL_*`. */
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }

  /** True for any @perf/pool error, even one from a duplicate install of the package. */
  static is(value: unknown): value is PoolError {
    return typeof value === 'object' && value !== null && BRAND in value;
  }

  /** @internal */
  get [BRAND](): true {
    return true;
  }
}
