import { counterCell, integer } from './internal/validate.js';
import type { CompareExchangeResult } from './types.js';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

const int32 = (name: string, value: unknown): number => integer(name, value, INT32_MIN, INT32_MAX);

/**
 * A 32-bit signed integer in shared memory, updated with `Atomics` so every thread that attaches
 * the same buffer sees one consistent count. Arithmetic wraps at ±2^31, like Rust's `AtomicI32`;
 * every operation is sequentially consistent.
 */
export class AtomicCounter {
  /** The shared memory the counter lives in. */
  readonly buffer: SharedArrayBuffer;
  /** Byte offset of the counter in {@link AtomicCounter.buffer}. */
  readonly byteOffset: number;
  readonly #cell: Int32Array;

  /** A new counter in a fresh 4-byte SharedArrayBuffer, set to `initial`. */
  constructor(initial?: number);
  /** @internal */
  constructor(initial: number, buffer: SharedArrayBuffer, byteOffset: number);
  constructor(initial = 0, buffer?: SharedArrayBuffer, byteOffset = 0) {
    this.buffer = buffer ?? new SharedArrayBuffer(4);
    this.byteOffset = byteOffset;
    this.#cell = new Int32Array(this.buffer, byteOffset, 1);
    if (buffer === undefined) this.#cell[0] = int32('initial', initial);
  }

  /**
   * Attaches to the counter at `byteOffset` (a multiple of 4) of `buffer`: one made on another
   * thread, or a slot of a larger shared structure. The value there is kept.
   */
  static from(buffer: SharedArrayBuffer, byteOffset = 0): AtomicCounter {
    return new AtomicCounter(0, buffer, counterCell(buffer, byteOffset, 4));
  }

  /** The current value. */
  load(): number {
    return Atomics.load(this.#cell, 0);
  }

  /** Sets the value. */
  store(value: number): void {
    Atomics.store(this.#cell, 0, int32('value', value));
  }

  /** Adds 1 and returns the new value. */
  increment(): number {
    return (Atomics.add(this.#cell, 0, 1) + 1) | 0;
  }

  /** Subtracts 1 and returns the new value. */
  decrement(): number {
    return (Atomics.sub(this.#cell, 0, 1) - 1) | 0;
  }

  /** Adds the integer `delta` (may be negative) and returns the value *before* the addition. */
  fetchAdd(delta: number): number {
    if (!Number.isInteger(delta)) int32('delta', delta);
    return Atomics.add(this.#cell, 0, delta);
  }

  /** Sets `value` and returns the previous one. */
  exchange(value: number): number {
    return Atomics.exchange(this.#cell, 0, int32('value', value));
  }

  /**
   * Sets `replacement` if the value is `expected`. Returns whether it did and the value seen
   * (so a failed CAS loop can retry without another load).
   */
  compareExchange(expected: number, replacement: number): CompareExchangeResult<number> {
    const value = Atomics.compareExchange(
      this.#cell,
      0,
      expected,
      int32('replacement', replacement),
    );
    return { ok: value === (expected | 0), value };
  }
}
