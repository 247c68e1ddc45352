import type { NumericArray, NumericArrayConstructor } from '../types.js';

/** Element kinds, in the order of every per-kind table. */
export const F32 = 0;
export const F64 = 1;
export const I32 = 2;
export type Kind = typeof F32 | typeof F64 | typeof I32;

/** log2 of the element size of each kind: byte offset = index << SHIFT[kind]. */
export const SHIFT = [2, 3, 2] as const;
export const CTORS = [Float32Array, Float64Array, Int32Array] as const;
const NAMES = ['Float32Array', 'Float64Array', 'Int32Array'] as const;

/** `value` as the error messages show it: `` `0` (number) `` (the shared @perf describer). */
import { describe as show } from '@perf/internal';

export { show };

/** The kind of a kernel argument; anything but the three array types is a TypeError. */
export function kindOf(value: unknown, name: string): Kind {
  if (value instanceof Float32Array) return F32;
  if (value instanceof Float64Array) return F64;
  if (value instanceof Int32Array) return I32;
  throw new TypeError(
    `Expected \`${name}\` to be a Float32Array, Float64Array or Int32Array, got ${show(value)}`,
  );
}

/** `value` must be an array of the same kind as the first argument. */
export function expectKind(value: unknown, kind: Kind, name: string): void {
  // One constant right-hand side per branch: V8 turns each into a map check, while
  // `instanceof CTORS[kind]` takes the generic prototype walk (~25 ns per argument).
  const ok =
    kind === F32
      ? value instanceof Float32Array
      : kind === F64
        ? value instanceof Float64Array
        : value instanceof Int32Array;
  if (!ok) {
    throw new TypeError(`Expected \`${name}\` to be a ${NAMES[kind]}, got ${show(value)}`);
  }
}

export function expectSameLength(a: NumericArray, b: NumericArray): void {
  if (a.length !== b.length) {
    throw new RangeError(
      `Expected \`a\` and \`b\` to have the same length, got ${a.length} and ${b.length}`,
    );
  }
}

/** An explicit `out` must be the right type, long enough, and not partially overlap `src`. */
export function checkOut(out: unknown, kind: Kind, n: number): void {
  expectKind(out, kind, 'out');
  if ((out as NumericArray).length < n) {
    throw new RangeError(
      `Expected \`out\` to hold at least ${n} elements, got ${(out as NumericArray).length}`,
    );
  }
}

/**
 * `out` may be `src` itself (in place) but must not partially overlap it: a SIMD loop reads
 * 16 elements before writing them, a scalar loop one, so a shifted overlap would give
 * backend-dependent results.
 */
export function checkOverlap(src: NumericArray, out: NumericArray, n: number, shift: number): void {
  if (src.buffer !== out.buffer || src.byteOffset === out.byteOffset || n === 0) return;
  const bytes = n << shift;
  if (src.byteOffset < out.byteOffset + bytes && out.byteOffset < src.byteOffset + bytes) {
    throw new RangeError('Expected `out` to be the input array itself or not to overlap it');
  }
}

/** A kind from a constructor passed to `alloc`. */
export function kindOfCtor(type: unknown): Kind {
  const kind = CTORS.indexOf(type as NumericArrayConstructor as never);
  if (kind < 0) {
    throw new TypeError(
      `Expected \`type\` to be Float32Array, Float64Array or Int32Array, got ${show(type)}`,
    );
  }
  return kind as Kind;
}

export function checkLength(length: unknown, name = 'length'): number {
  if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) {
    throw new TypeError(`Expected \`${name}\` to be an integer from 0 and up, got ${show(length)}`);
  }
  return length;
}

export function checkFactor(factor: unknown): number {
  if (typeof factor !== 'number') {
    throw new TypeError(`Expected \`factor\` to be a number, got ${show(factor)}`);
  }
  return factor;
}

/** Rows of a row-major `matrix` with `query.length` columns. */
export function checkRows(matrix: Float32Array, query: Float32Array): number {
  const dim = query.length;
  if (dim === 0 || matrix.length % dim !== 0) {
    throw new RangeError(
      `Expected \`matrix.length\` (${matrix.length}) to be a multiple of \`query.length\` (${dim}), which must be above 0`,
    );
  }
  return matrix.length / dim;
}
