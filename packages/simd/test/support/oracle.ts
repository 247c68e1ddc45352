/**
 * The plain-JS oracle every backend is checked against: one element at a time, written for
 * obviousness, with the documented semantics (IEEE in the array's precision, int32 wrapping,
 * Math.min/Math.max ordering of NaN and -0).
 */
import type { NumericArray } from '../../src/index.js';

export type KindName = 'f32' | 'f64' | 'i32';
export const KINDS: readonly KindName[] = ['f32', 'f64', 'i32'];
export const CTOR = { f32: Float32Array, f64: Float64Array, i32: Int32Array } as const;

export function kindName(a: NumericArray): KindName {
  return a instanceof Float32Array ? 'f32' : a instanceof Float64Array ? 'f64' : 'i32';
}

/** Rounds a double to the element type, as a store into that array would. */
export function round(kind: KindName, x: number): number {
  return kind === 'f32' ? Math.fround(x) : kind === 'i32' ? x | 0 : x;
}

type Op = 'add' | 'sub' | 'mul' | 'minimum' | 'maximum';
export const ELEMENTWISE: readonly Op[] = ['add', 'sub', 'mul', 'minimum', 'maximum'];

export function elementwise(op: Op, kind: KindName, a: ArrayLike<number>, b: ArrayLike<number>) {
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    let r: number;
    if (op === 'add') r = x + y;
    else if (op === 'sub') r = x - y;
    else if (op === 'mul') r = kind === 'i32' ? Math.imul(x, y) : x * y;
    else if (op === 'minimum') r = Math.min(x, y);
    else r = Math.max(x, y);
    out.push(round(kind, r));
  }
  return out;
}

export function scaleRef(kind: KindName, a: ArrayLike<number>, factor: number): number[] {
  const k = round(kind, factor);
  return Array.from(a, (x) => (kind === 'i32' ? Math.imul(x, k) : round(kind, x * k)));
}

/** Exact-ish float reference (f64, sequential) and the magnitude Σ|terms| for the bound. */
export function dotRef(kind: KindName, a: ArrayLike<number>, b?: ArrayLike<number>) {
  let s = 0;
  let mag = 0;
  for (let i = 0; i < a.length; i++) {
    const t = b === undefined ? a[i]! : kind === 'i32' ? Math.imul(a[i]!, b[i]!) : a[i]! * b[i]!;
    s = kind === 'i32' ? (s + t) | 0 : s + t;
    mag += Math.abs(t);
  }
  return { value: s, magnitude: mag };
}

/**
 * The documented error bound of float sum/dot (README "Design notes"), plus the error of the
 * f64 reference itself (n · 2^-53 · Σ|t|).
 *   f32: (64 + 4 + 1) u + (n / 1024 + 2) 2^-53, u = 2^-24
 *   f64: (n / 8 + 4) 2^-53
 * times Σ|t|, plus n times half the smallest subnormal for products that underflow.
 */
export function bound(kind: KindName, n: number, magnitude: number): number {
  const e53 = 2 ** -53;
  const rel = kind === 'f32' ? 69 * 2 ** -24 + (n / 1024 + 2) * e53 : (n / 8 + 4) * e53;
  // Products that underflow the element type lose up to half its smallest subnormal each.
  const underflow = kind === 'f32' ? n * 2 ** -150 : n * 2 ** -1075;
  return (rel + n * e53) * magnitude + underflow + Number.MIN_VALUE;
}

export function minRef(a: ArrayLike<number>): number {
  let m = Number.POSITIVE_INFINITY;
  for (let i = 0; i < a.length; i++) m = Math.min(m, a[i]!);
  return m;
}

export function maxRef(a: ArrayLike<number>): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < a.length; i++) m = Math.max(m, a[i]!);
  return m;
}

/** First index holding the min (max): Object.is equality, so -0 and +0 differ and NaN finds NaN. */
export function argRef(a: ArrayLike<number>, best: number): number {
  for (let i = 0; i < a.length; i++) if (Object.is(a[i], best)) return i;
  return -1;
}

/** Same values element by element, by Object.is (NaN equals NaN, -0 differs from +0). */
export function sameValues(got: ArrayLike<number>, want: ArrayLike<number>): boolean {
  if (got.length < want.length) return false;
  for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) return false;
  return true;
}
