import { counterCell, show } from './internal/validate.js';
import type { CompareExchangeResult } from './types.js';

const bigint = (name: string, value: unknown): bigint => {
  if (typeof value !== 'bigint') {
    throw new TypeError(`Expected \`${name}\` to be a bigint, got ${show(value)}`);
  }
  return value;
};

/**
 * A 64-bit signed integer in shared memory (`BigInt64Array` + `Atomics`), for totals that would
 * overflow {@link AtomicCounter}. Wraps at ±2^63 like Rust's `AtomicI64`. Slower than the
 * Int32 counter because every result is a heap-allocated `bigint`.
 */
export class BigAtomicCounter {
  /** The shared memory the counter lives in. */
  readonly buffer: SharedArrayBuffer;
  /** Byte offset of the counter in {@link BigAtomicCounter.buffer}. */
  readonly byteOffset: number;
  readonly #cell: BigInt64Array;

  /** A new counter in a fresh 8-byte SharedArrayBuffer, set to `initial`. */
  constructor(initial?: bigint);
  /** @internal */
  constructor(initial: bigint, buffer: SharedArrayBuffer, byteOffset: number);
  constructor(initial = 0n, buffer?: SharedArrayBuffer, byteOffset = 0) {
    this.buffer = buffer ?? new SharedArrayBuffer(8);
    this.byteOffset = byteOffset;
    this.#cell = new BigInt64Array(this.buffer, byteOffset, 1);
    if (buffer === undefined) this.#cell[0] = bigint('initial', initial);
  }

  /** Attaches to the counter at `byteOffset` (a multiple of 8) of `buffer`; its value is kept. */
  static from(buffer: SharedArrayBuffer, byteOffset = 0): BigAtomicCounter {
    return new BigAtomicCounter(0n, buffer, counterCell(buffer, byteOffset, 8));
  }

  /** The current value. */
  load(): bigint {
    return Atomics.load(this.#cell, 0);
  }

  /** Sets the value. */
  store(value: bigint): void {
    Atomics.store(this.#cell, 0, bigint('value', value));
  }

  /** Adds 1 and returns the new value. */
  increment(): bigint {
    return BigInt.asIntN(64, Atomics.add(this.#cell, 0, 1n) + 1n);
  }

  /** Subtracts 1 and returns the new value. */
  decrement(): bigint {
    return BigInt.asIntN(64, Atomics.sub(this.#cell, 0, 1n) - 1n);
  }

  /** Adds `delta` and returns the value *before* the addition. */
  fetchAdd(delta: bigint): bigint {
    return Atomics.add(this.#cell, 0, bigint('delta', delta));
  }

  /** Sets `value` and returns the previous one. */
  exchange(value: bigint): bigint {
    return Atomics.exchange(this.#cell, 0, bigint('value', value));
  }

  /** Sets `replacement` if the value is `expected`; returns whether it did and the value seen. */
  compareExchange(expected: bigint, replacement: bigint): CompareExchangeResult<bigint> {
    const value = Atomics.compareExchange(
      this.#cell,
      0,
      bigint('expected', expected),
      bigint('replacement', replacement),
    );
    return { ok: value === BigInt.asIntN(64, expected), value };
  }
}
