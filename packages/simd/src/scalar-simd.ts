import {
  CTORS,
  checkFactor,
  checkLength,
  checkOut,
  checkOverlap,
  checkRows,
  expectKind,
  expectSameLength,
  F32,
  F64,
  I32,
  type Kind,
  kindOf,
  kindOfCtor,
  SHIFT,
} from './internal/validate.js';
import type { NumericArray, NumericArrayConstructor, Simd } from './types.js';

type Float = Float32Array | Float64Array;

/**
 * The plain TypeScript backend: the reference semantics the wasm kernels are tested against,
 * and the fallback where WebAssembly simd128 is unavailable. Loops are sequential, one
 * accumulator; floats accumulate in f64 (so sums are at least as accurate as the wasm ones).
 *
 * Float32Array results of add/sub/mul/scale are computed in f64 and rounded once on the store:
 * for these operations that equals the f32 operation exactly (f64 has more than 2·24 + 2
 * significand bits; Figueroa, "When is double rounding innocuous?", 1995).
 */
export class ScalarSimd implements Simd {
  readonly backend = 'scalar' as const;
  readonly memory = undefined;

  alloc<C extends NumericArrayConstructor>(type: C, length: number): InstanceType<C> {
    const kind = kindOfCtor(type);
    return new CTORS[kind](checkLength(length)) as InstanceType<C>;
  }

  free(array: NumericArray): void {
    kindOf(array, 'array');
  }

  owns(array: NumericArray): boolean {
    kindOf(array, 'array');
    return true;
  }

  add<T extends NumericArray>(a: T, b: T, out?: T): T {
    const [kind, o, n] = prepare(a, b, out);
    if (kind === I32) for (let i = 0; i < n; i++) o[i] = (a[i]! + b[i]!) | 0;
    else for (let i = 0; i < n; i++) o[i] = a[i]! + b[i]!;
    return o;
  }

  sub<T extends NumericArray>(a: T, b: T, out?: T): T {
    const [kind, o, n] = prepare(a, b, out);
    if (kind === I32) for (let i = 0; i < n; i++) o[i] = (a[i]! - b[i]!) | 0;
    else for (let i = 0; i < n; i++) o[i] = a[i]! - b[i]!;
    return o;
  }

  mul<T extends NumericArray>(a: T, b: T, out?: T): T {
    const [kind, o, n] = prepare(a, b, out);
    if (kind === I32) for (let i = 0; i < n; i++) o[i] = Math.imul(a[i]!, b[i]!);
    else for (let i = 0; i < n; i++) o[i] = a[i]! * b[i]!;
    return o;
  }

  minimum<T extends NumericArray>(a: T, b: T, out?: T): T {
    const [, o, n] = prepare(a, b, out);
    for (let i = 0; i < n; i++) o[i] = Math.min(a[i]!, b[i]!);
    return o;
  }

  maximum<T extends NumericArray>(a: T, b: T, out?: T): T {
    const [, o, n] = prepare(a, b, out);
    for (let i = 0; i < n; i++) o[i] = Math.max(a[i]!, b[i]!);
    return o;
  }

  scale<T extends NumericArray>(a: T, factor: number, out?: T): T {
    checkFactor(factor);
    const [kind, o, n] = prepare(a, a, out);
    if (kind === I32) {
      const k = factor | 0;
      for (let i = 0; i < n; i++) o[i] = Math.imul(a[i]!, k);
    } else {
      const k = kind === F32 ? Math.fround(factor) : factor;
      for (let i = 0; i < n; i++) o[i] = a[i]! * k;
    }
    return o;
  }

  dot<T extends NumericArray>(a: T, b: T): number {
    const kind = kindOf(a, 'a');
    expectKind(b, kind, 'b');
    expectSameLength(a, b);
    const n = a.length;
    let s = 0;
    if (kind === I32) for (let i = 0; i < n; i++) s = (s + Math.imul(a[i]!, b[i]!)) | 0;
    // f32·f32 products are exact in f64, so the scalar dot rounds only in the sum.
    else for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
    return s;
  }

  sum(a: NumericArray): number {
    const kind = kindOf(a, 'a');
    const n = a.length;
    let s = 0;
    if (kind === I32) for (let i = 0; i < n; i++) s = (s + a[i]!) | 0;
    else for (let i = 0; i < n; i++) s += a[i]!;
    return s;
  }

  min(a: NumericArray): number {
    kindOf(a, 'a');
    let m = Number.POSITIVE_INFINITY;
    for (let i = 0; i < a.length; i++) m = Math.min(m, a[i]!);
    return m;
  }

  max(a: NumericArray): number {
    kindOf(a, 'a');
    let m = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < a.length; i++) m = Math.max(m, a[i]!);
    return m;
  }

  argmin(a: NumericArray): number {
    return argBest(a, -1);
  }

  argmax(a: NumericArray): number {
    return argBest(a, 1);
  }

  dotMany(matrix: Float32Array, query: Float32Array, out?: Float64Array): Float64Array {
    expectKind(matrix, F32, 'matrix');
    expectKind(query, F32, 'query');
    const rows = checkRows(matrix, query);
    const o = out ?? new Float64Array(rows);
    checkOut(o, F64, rows);
    const dim = query.length;
    for (let r = 0; r < rows; r++) o[r] = this.dot(matrix.subarray(r * dim, (r + 1) * dim), query);
    return o;
  }
}

function prepare<T extends NumericArray>(a: T, b: T, out: T | undefined): [Kind, T, number] {
  const kind = kindOf(a, 'a');
  const n = a.length;
  if (b !== a) {
    expectKind(b, kind, 'b');
    expectSameLength(a, b);
  }
  if (out === undefined) return [kind, new CTORS[kind](n) as T, n];
  checkOut(out, kind, n);
  checkOverlap(a, out, n, SHIFT[kind]);
  checkOverlap(b, out, n, SHIFT[kind]);
  return [kind, out, n];
}

/**
 * First index of the smallest (`sign` -1) or largest (+1) element, ordered like Math.min /
 * Math.max: the first NaN wins outright, and -0 ranks below +0.
 */
function argBest(a: NumericArray, sign: -1 | 1): number {
  const kind = kindOf(a, 'a');
  const n = a.length;
  if (n === 0) return -1;
  let best = 0;
  let m = a[0]!;
  if (kind === I32) {
    for (let i = 1; i < n; i++) {
      if ((a[i]! - m) * sign > 0) {
        m = a[i]!;
        best = i;
      }
    }
    return best;
  }
  const f = a as Float;
  if (Number.isNaN(m)) return 0;
  for (let i = 1; i < n; i++) {
    const x = f[i]!;
    if (Number.isNaN(x)) return i;
    if (
      (x - m) * sign > 0 ||
      (x === 0 && m === 0 && Object.is(x, sign < 0 ? -0 : 0) && !Object.is(m, x))
    ) {
      m = x;
      best = i;
    }
  }
  return best;
}
