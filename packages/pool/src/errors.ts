/**
 * Every operational error @perf/pool raises. Programmer mistakes (bad arguments or
 * options) throw a plain `TypeError`/`RangeError` instead; expected outcomes are return values.
 * All extend the one @perf error base, so `isPerfError(err, 'PERF_POOL_*')` from any
 * @perf package recognises them.
 */
import { isPerfError, PerfError } from '@perf/internal';

export { isPerfError, PerfError };

/**
 * Base class of the operational errors of @perf/pool. `code` is stable across versions and
 * is what callers should branch on; data lives in fields, not in the message.
 */
export class PoolError extends PerfError {
  /** True for any @perf/pool error, even one from a duplicate install of the package. */
  static is(value: unknown): value is PoolError {
    return isPerfError(value, 'PERF_POOL_*');
  }
}

/**
 * A bounded pool (`Slab`, `SharedSlab`, `BufferPool`) has nothing left to hand out and its
 * `onExhausted` option is `'throw'`. With `onExhausted: 'return'` the same condition is a
 * return value (`-1` or `null`) instead.
 */
export class PoolExhaustedError extends PoolError {
  /** The bound that was hit: blocks for a slab, bytes for a buffer pool. */
  readonly limit: number;
  /** What was asked for: 1 block, or the byte size of the requested buffer. */
  readonly requested: number;

  constructor(limit: number, requested: number, options?: ErrorOptions) {
    super('PERF_POOL_EXHAUSTED', `Pool exhausted: limit ${limit}, requested ${requested}`, options);
    this.limit = limit;
    this.requested = requested;
  }
}

/**
 * An object, block or buffer was given back twice without being handed out in between.
 * Raised always by `Slab`/`SharedSlab`/`BufferPool`, and by `ObjectPool` in `debug` mode.
 */
export class PoolDoubleReleaseError extends PoolError {
  /** The block index for a slab; `-1` for objects and buffers. */
  readonly handle: number;

  constructor(handle = -1, options?: ErrorOptions) {
    super(
      'PERF_POOL_DOUBLE_RELEASE',
      handle >= 0 ? `Block ${handle} released twice` : 'Released twice',
      options,
    );
    this.handle = handle;
  }
}

/**
 * Something was given back to a pool that did not hand it out: an object the `ObjectPool`
 * never created (`debug` mode), or a buffer that did not come from this `BufferPool`.
 */
export class PoolForeignObjectError extends PoolError {
  constructor(options?: ErrorOptions) {
    super('PERF_POOL_FOREIGN_OBJECT', 'Released an object this pool did not hand out', options);
  }
}
