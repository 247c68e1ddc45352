import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { absI32, maxI32, minI32, selectI32, signI32 } from '../src/index.js';

const int32 = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  fc.constantFrom(0, -1, 1, 2 ** 31 - 1, -(2 ** 31)),
);
const RUNS = 1000;

describe('branchless int32 helpers equal their branchy definitions', () => {
  it('absI32 = Math.abs wrapped to int32 (abs(-2^31) is -2^31)', () => {
    fc.assert(
      fc.property(int32, (x) => {
        expect(absI32(x)).toBe(Math.abs(x) | 0);
      }),
      { numRuns: RUNS },
    );
    expect(absI32(-(2 ** 31))).toBe(-(2 ** 31));
  });

  it('minI32 / maxI32 = Math.min / Math.max', () => {
    fc.assert(
      fc.property(int32, int32, (a, b) => {
        expect(minI32(a, b)).toBe(Math.min(a, b));
        expect(maxI32(a, b)).toBe(Math.max(a, b));
      }),
      { numRuns: RUNS },
    );
  });

  it('selectI32 = condition ? a : b, for any truthy/falsy condition', () => {
    fc.assert(
      fc.property(fc.anything(), int32, int32, (c, a, b) => {
        expect(selectI32(c, a, b)).toBe(c ? a : b);
      }),
      { numRuns: RUNS },
    );
  });

  it('signI32 = Math.sign', () => {
    fc.assert(
      fc.property(int32, (x) => {
        expect(signI32(x)).toBe(Math.sign(x) | 0);
      }),
      { numRuns: RUNS },
    );
  });

  it('convert arguments with ToInt32 first', () => {
    expect(absI32(2 ** 32 + 5)).toBe(5);
    expect(minI32(1.9, 1.2)).toBe(1);
    expect(signI32(-0.5)).toBe(0);
  });
});
