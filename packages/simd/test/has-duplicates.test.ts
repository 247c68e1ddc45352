import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasDuplicates } from '../src/index.js';
import { pairwise } from '../src/has-duplicates.js';
import { RUNS } from './support/arbitraries.js';

/** The oracle: what a Set says (SameValueZero: NaN equals NaN, -0 equals +0). */
const viaSet = (values: ArrayLike<number>) => new Set(Array.from(values)).size !== values.length;

// Value shapes that steer hasDuplicates down each of its paths.
const paths = {
  'tiny (pairwise)': fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 16 }),
  'small range (bitset / pigeonhole)': fc.array(fc.integer({ min: -50, max: 3000 }), {
    minLength: 17,
    maxLength: 400,
  }),
  'wide int32 (int table)': fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), {
    minLength: 17,
    maxLength: 400,
  }),
  'floats with NaN and ±0 (float table)': fc.array(
    fc.oneof(fc.double(), fc.constantFrom(Number.NaN, 0, -0, 0.5, -0.5, Number.POSITIVE_INFINITY)),
    { minLength: 17, maxLength: 400 },
  ),
  'clustered multiples of 2^20 (hash spreading)': fc.array(
    fc.integer({ min: -2047, max: 2047 }).map((x) => x * 2 ** 20),
    { minLength: 17, maxLength: 400 },
  ),
};

describe('hasDuplicates agrees with a Set on every path and input type', () => {
  for (const [name, arb] of Object.entries(paths)) {
    it(name, () => {
      fc.assert(
        fc.property(arb, fc.boolean(), (values, plant) => {
          if (plant && values.length > 1) values.push(values[values.length >> 1]!); // a sure duplicate
          const want = viaSet(values);
          expect(hasDuplicates(values)).toBe(want);
          expect(hasDuplicates(Float64Array.from(values))).toBe(want);
          if (values.every((x) => x === (x | 0))) {
            expect(hasDuplicates(Int32Array.from(values))).toBe(want);
          }
        }),
        { numRuns: RUNS * 2 },
      );
    });
  }

  it('large inputs: a permutation has none; one repeated value is found wherever it is', () => {
    const n = 100_000;
    const perm = new Int32Array(n);
    for (let i = 0; i < n; i++) perm[i] = Math.imul(i, 0x9e3779b1); // odd multiplier: a bijection
    expect(hasDuplicates(perm)).toBe(false);
    expect(hasDuplicates(Float64Array.from(perm, (x) => x + 0.5))).toBe(false);
    const dense = Int32Array.from({ length: n }, (_, i) => n - i);
    expect(hasDuplicates(dense)).toBe(false);
    for (const at of [1, n >> 1, n - 1]) {
      const copy = perm.slice();
      copy[at] = copy[0]!;
      expect(hasDuplicates(copy)).toBe(true);
      const d = dense.slice();
      d[at] = d[0]!;
      expect(hasDuplicates(d)).toBe(true);
    }
  });

  it('partitioned tables (n > 8192): agree with a Set, with and without a planted duplicate', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 9000, max: 40_000 }),
        fc.integer(),
        fc.boolean(),
        fc.boolean(),
        (n, seed, plant, floats) => {
          const values = new Array<number>(n);
          let x = seed | 1;
          for (let i = 0; i < n; i++) values[i] = x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) ^ i; // xorshift-multiply PRNG
          if (floats) for (let i = 0; i < n; i += 7) values[i] = values[i]! / 3;
          if (plant) values[(seed >>> 0) % n] = values[((seed >>> 0) + 1) % n]!;
          const want = viaSet(values);
          expect(hasDuplicates(values)).toBe(want);
          expect(hasDuplicates(Float64Array.from(values))).toBe(want);
        },
      ),
      { numRuns: 8 },
    );
  });

  it('matches the naive O(n²) check', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -20, max: 20 }), { maxLength: 60 }), (v) => {
        expect(hasDuplicates(v)).toBe(pairwise(v));
      }),
      { numRuns: RUNS },
    );
  });

  it('bad input: TypeError for non-arrays and non-number elements', () => {
    for (const bad of [
      undefined,
      null,
      'abc',
      new Float32Array(3),
      new Uint8Array(3),
      { length: 2 },
    ]) {
      expect(() => hasDuplicates(bad as never)).toThrow(TypeError);
    }
    expect(() => hasDuplicates([1, '1'] as never)).toThrow(TypeError);
    expect(() => hasDuplicates([1, 2n] as never)).toThrow(TypeError);
  });
});
