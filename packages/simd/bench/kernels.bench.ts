/**
 * Kernels against plain JavaScript loops (one and four accumulators), the scalar backend, and
 * at 16M elements against TypedArray.prototype.set as the machine's read+write bandwidth.
 */
import { createSimd, type NumericArray } from '../src/index.js';
import { WasmSimd } from '../src/wasm-simd.js';
import { type Case, printBench } from './print.js';

const wasm = createSimd({ backend: 'wasm' });
const scalar = createSimd({ backend: 'scalar' });

// Plain-JS baselines, each its own function so each stays monomorphic.
function jsAdd(a: Float32Array, b: Float32Array, o: Float32Array): Float32Array {
  for (let i = 0; i < a.length; i++) o[i] = a[i]! + b[i]!;
  return o;
}
function jsSum(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}
function jsSum4(a: Float32Array): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const n = a.length & ~3;
  let i = 0;
  for (; i < n; i += 4) {
    s0 += a[i]!;
    s1 += a[i + 1]!;
    s2 += a[i + 2]!;
    s3 += a[i + 3]!;
  }
  for (; i < a.length; i++) s0 += a[i]!;
  return s0 + s1 + s2 + s3;
}
function jsDot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
function jsDot4(a: Float32Array, b: Float32Array): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const n = a.length & ~3;
  let i = 0;
  for (; i < n; i += 4) {
    s0 += a[i]! * b[i]!;
    s1 += a[i + 1]! * b[i + 1]!;
    s2 += a[i + 2]! * b[i + 2]!;
    s3 += a[i + 3]! * b[i + 3]!;
  }
  for (; i < a.length; i++) s0 += a[i]! * b[i]!;
  return s0 + s1 + s2 + s3;
}
function jsMin(a: Float32Array): number {
  let m = Number.POSITIVE_INFINITY;
  for (let i = 0; i < a.length; i++) m = Math.min(m, a[i]!);
  return m;
}
function jsMinBranchy(a: Float32Array): number {
  let m = Number.POSITIVE_INFINITY;
  for (let i = 0; i < a.length; i++) if (a[i]! < m) m = a[i]!;
  return m;
}

function fill(a: NumericArray, seed: number): void {
  for (let i = 0; i < a.length; i++) a[i] = Math.sin(i * 0.61 + seed) * 100;
}

const GB = 1e9;
function bw(bytes: number, ns: number): string {
  return `${((bytes / ns) * (1e9 / GB)).toFixed(1)} GB/s`;
}

export async function benchKernels(sizes: number[]): Promise<void> {
  for (const n of sizes) {
    const big = n >= 1 << 24;
    const a = wasm.alloc(Float32Array, n);
    const b = wasm.alloc(Float32Array, n);
    const o = wasm.alloc(Float32Array, n);
    fill(a, 1);
    fill(b, 2);
    const fa = Float32Array.from(a);
    const fb = Float32Array.from(b);
    const fo = new Float32Array(n);
    const label = n >= 1 << 20 ? `${n >> 20}M` : `${n >> 10}K`;
    const bytes = n * 4;
    const opts = big ? { samples: 10, time: 2000 } : {};
    /** A case; at 16M its note is the bandwidth of the `moved` bytes. */
    const row = (name: string, fn: () => unknown, moved: number): Case => ({
      name,
      fn,
      note: big ? (ns) => bw(moved, ns) : undefined,
    });
    const run = (title: string, cases: Case[]) => printBench(title, cases, opts);
    const setRow = big ? [row('TypedArray.prototype.set (copy)', () => fo.set(fa), 2 * bytes)] : [];

    await run(`f32 add, n = ${label}`, [
      row('plain JS loop', () => jsAdd(fa, fb, fo), 3 * bytes),
      row('@perf/simd scalar backend', () => scalar.add(fa, fb, fo), 3 * bytes),
      row('@perf/simd wasm, foreign arrays (copied)', () => wasm.add(fa, fb, fo), 3 * bytes),
      row('@perf/simd wasm, arrays in memory', () => wasm.add(a, b, o), 3 * bytes),
      ...setRow,
    ]);
    await run(`f32 sum, n = ${label}`, [
      row('plain JS loop', () => jsSum(fa), bytes),
      row('plain JS, 4 accumulators', () => jsSum4(fa), bytes),
      row('@perf/simd scalar backend', () => scalar.sum(fa), bytes),
      row('@perf/simd wasm, foreign array (copied)', () => wasm.sum(fa), bytes),
      row('@perf/simd wasm, array in memory', () => wasm.sum(a), bytes),
      ...setRow,
    ]);
    await run(`f32 dot, n = ${label}`, [
      row('plain JS loop', () => jsDot(fa, fb), 2 * bytes),
      row('plain JS, 4 accumulators', () => jsDot4(fa, fb), 2 * bytes),
      row('@perf/simd scalar backend', () => scalar.dot(fa, fb), 2 * bytes),
      row('@perf/simd wasm, foreign arrays (copied)', () => wasm.dot(fa, fb), 2 * bytes),
      row('@perf/simd wasm, arrays in memory', () => wasm.dot(a, b), 2 * bytes),
      ...setRow,
    ]);
    if (n === 1 << 16) {
      // Two kernel variants NOT shipped, for the record: f32x4.min (exact, slow) and raw
      // f32x4.pmin (fast, order-dependent on NaN and ±0). See wasm/kernels.wat.
      const raw = WasmSimd.kernels(wasm.memory!);
      await run(`f32 min / argmin, n = ${label}`, [
        row('plain JS Math.min loop (exact)', () => jsMin(fa), bytes),
        row('plain JS `x < m` loop (not exact: NaN, -0)', () => jsMinBranchy(fa), bytes),
        row('@perf/simd scalar backend', () => scalar.min(fa), bytes),
        row('@perf/simd wasm min (pmin + NaN mask + ±0 fix-up, exact)', () => wasm.min(a), bytes),
        row(
          'f32x4.min kernel (exact, not shipped)',
          () => raw.min_ieee_f32!(a.byteOffset, n),
          bytes,
        ),
        row(
          'f32x4.pmin kernel (inexact, not shipped)',
          () => raw.min_pmin_f32!(a.byteOffset, n),
          bytes,
        ),
        row('@perf/simd wasm max', () => wasm.max(a), bytes),
        row('@perf/simd wasm argmin (two passes)', () => wasm.argmin(a), bytes),
      ]);
      const d = wasm.alloc(Float64Array, n);
      const i = wasm.alloc(Int32Array, n);
      fill(d, 3);
      for (let k = 0; k < n; k++) i[k] = Math.imul(k, 2654435761);
      const fd = Float64Array.from(d);
      const fi = Int32Array.from(i);
      await run(`f64 and i32 sum, n = ${label}`, [
        row('plain JS f64 loop', () => jsSumAny(fd), bytes),
        row('@perf/simd wasm f64, in memory', () => wasm.sum(d), bytes),
        row('plain JS i32 loop (wrapping)', () => jsSumI32(fi), bytes),
        row('@perf/simd wasm i32, in memory', () => wasm.sum(i), bytes),
      ]);
      wasm.free(d);
      wasm.free(i);
    }
    wasm.free(a);
    wasm.free(b);
    wasm.free(o);
  }
}

// The same loop as jsSum, kept as its own function so its type feedback stays Float64Array-only.
function jsSumAny(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}
function jsSumI32(a: Int32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s = (s + a[i]!) | 0;
  return s;
}

/** The demo's query: scores of 10K vectors of 128 f32 against a query, then the top 10. */
export async function benchDotMany(): Promise<void> {
  const rows = 10_000;
  const dim = 128;
  const m = wasm.alloc(Float32Array, rows * dim);
  fill(m, 4);
  const q = Float32Array.from({ length: dim }, (_, i) => Math.cos(i));
  const scores = wasm.alloc(Float64Array, rows);
  const fm = Float32Array.from(m);
  const fs = new Float64Array(rows);
  const jsMany = () => {
    for (let r = 0; r < rows; r++) {
      let s = 0;
      const base = r * dim;
      for (let k = 0; k < dim; k++) s += fm[base + k]! * q[k]!;
      fs[r] = s;
    }
    return fs;
  };
  await printBench('dotMany: 10K rows × 128 f32', [
    { name: 'plain JS nested loop', fn: jsMany },
    { name: '@perf/simd dotMany, matrix in memory', fn: () => wasm.dotMany(m, q, scores) },
    { name: '@perf/simd dotMany, foreign matrix (copied)', fn: () => wasm.dotMany(fm, q, fs) },
  ]);
  wasm.free(m);
  wasm.free(scores);
}
