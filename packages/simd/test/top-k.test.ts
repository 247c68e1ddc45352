import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSimd, topK } from '../src/index.js';
import { RUNS } from './support/arbitraries.js';

/** The oracle: a full sort by (score desc, NaN last, index asc). */
function sorted(scores: ArrayLike<number>, k: number): number[] {
  const idx = Array.from({ length: scores.length }, (_, i) => i);
  const key = (i: number) => (Number.isNaN(scores[i]) ? Number.NEGATIVE_INFINITY : scores[i]!);
  idx.sort((i, j) => {
    const ni = Number.isNaN(scores[i]);
    const nj = Number.isNaN(scores[j]);
    if (ni !== nj) return ni ? 1 : -1;
    return key(j) - key(i) || i - j;
  });
  return idx.slice(0, k);
}

describe('topK', () => {
  it('equals a full sort: best first, ties to the lower index, NaN last', () => {
    const score = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer({ min: -3, max: 3 }),
      fc.constant(Number.NaN),
    );
    fc.assert(
      fc.property(fc.array(score, { maxLength: 300 }), fc.nat(320), (s, k) => {
        const scores = Float64Array.from(s);
        expect(Array.from(topK(scores, k))).toEqual(sorted(scores, k));
        const f32 = Float32Array.from(s);
        expect(Array.from(topK(f32, k))).toEqual(sorted(f32, k));
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('writes into out without allocating a result, and returns its first k', () => {
    const out = new Int32Array(10).fill(-9);
    const got = topK(Float64Array.of(1, 5, 3, 5), 3, out);
    expect(got.buffer).toBe(out.buffer);
    expect(Array.from(got)).toEqual([1, 3, 2]);
    expect(out[3]).toBe(-9);
  });

  it('finds nearest vectors with dotMany', () => {
    const simd = createSimd();
    const dim = 4;
    const matrix = simd.alloc(Float32Array, 5 * dim);
    matrix.set([1, 0, 0, 0, 0, 1, 0, 0, 0.9, 0.1, 0, 0, -1, 0, 0, 0, 0.5, 0.5, 0.5, 0.5]);
    const query = Float32Array.of(1, 0, 0, 0);
    expect(Array.from(topK(simd.dotMany(matrix, query), 2))).toEqual([0, 2]);
  });

  it('bad input: TypeError/RangeError', () => {
    expect(() => topK([1, 2] as never, 1)).toThrow(TypeError);
    expect(() => topK(new Float64Array(3), -1)).toThrow(TypeError);
    expect(() => topK(new Float64Array(3), 1.5)).toThrow(TypeError);
    expect(() => topK(new Float64Array(3), 2, new Float64Array(2) as never)).toThrow(TypeError);
    expect(() => topK(new Float64Array(3), 2, new Int32Array(1))).toThrow(RangeError);
  });
});
