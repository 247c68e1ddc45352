import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Histogram } from '../src/index.js';

const RUNS = Number(process.env.PERF_FUZZ_RUNS ?? 30);

/** The exact answer: nearest-rank percentile of the sorted values. */
function oracle(sorted: number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length - 1e-9));
  return sorted[rank - 1]!;
}

/** Light and heavy tails: uniform, exponential, lognormal and Pareto(α = 1.1) draws. */
const distribution = fc.oneof(
  fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 2000 }),
  fc
    .array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), {
      minLength: 1,
      maxLength: 2000,
    })
    .map((us) => us.map((u) => Math.floor(-Math.log1p(-u) * 5_000))),
  fc
    .array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: 1, maxLength: 2000 })
    .map((zs) => zs.map((z) => Math.floor(Math.exp(8 + 2.5 * z)))),
  fc
    .array(fc.double({ min: 1e-6, max: 1, noNaN: true }), { minLength: 1, maxLength: 2000 })
    .map((us) => us.map((u) => Math.min(Math.floor(100 * u ** (-1 / 1.1)), 3_000_000_000))),
);

describe('Histogram accuracy against the sorted-array oracle', () => {
  it('every percentile is within 0.1 % above the exact nearest-rank value (3 digits)', () => {
    fc.assert(
      fc.property(distribution, fc.double({ min: 0, max: 100, noNaN: true }), (values, p) => {
        const h = new Histogram();
        h.recordMany(values);
        const exact = oracle(
          [...values].sort((a, b) => a - b),
          p,
        );
        const got = h.percentile(p);
        if (p === 0) {
          // P0 reports the lowest value of the bucket holding the minimum.
          expect(got).toBeLessThanOrEqual(exact);
          expect(exact - got).toBeLessThanOrEqual(exact / 1024);
        } else {
          expect(got).toBeGreaterThanOrEqual(exact);
          expect(got - exact).toBeLessThanOrEqual(exact / 1000);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('count, min and max are exact; mean within 0.1 %', () => {
    fc.assert(
      fc.property(distribution, (values) => {
        const h = new Histogram();
        h.recordMany(values);
        expect(h.count).toBe(values.length);
        expect(h.min).toBe(Math.min(...values));
        expect(h.max).toBe(Math.max(...values));
        const mean = values.reduce((a, b) => a + b, 0) / values.length;
        expect(Math.abs(h.mean - mean)).toBeLessThanOrEqual(mean / 1000 + 1);
      }),
      { numRuns: RUNS },
    );
  });

  it('percentiles() agrees with percentile() for every entry, in the order asked', () => {
    fc.assert(
      fc.property(
        distribution,
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { maxLength: 12 }),
        (values, ps) => {
          const h = new Histogram();
          h.recordMany(values);
          expect(h.percentiles(ps)).toEqual(
            ps.map((percentile) => ({ percentile, value: h.percentile(percentile) })),
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it.each([1, 2, 3, 4, 5])('holds its relative-error bound at %i significant digits', (digits) => {
    const h = new Histogram({ significantDigits: digits, highest: 1e12 });
    const bound = 1 / 10 ** digits;
    for (let v = 1; v < 1e12; v = Math.ceil(v * 1.37 + 1)) {
      h.reset();
      h.record(v);
      const got = h.percentile(50);
      expect(got).toBeGreaterThanOrEqual(v);
      expect((got - v) / v).toBeLessThanOrEqual(bound);
    }
  });

  it('keeps a default histogram under 100 KiB', () => {
    expect(new Histogram().memoryBytes).toBeLessThanOrEqual(100 * 1024);
  });

  it('tracks values past 2^32 and layouts whose mask passes 2^31 (the slow index path)', () => {
    const big = new Histogram({ highest: 2 ** 50 });
    const wide = new Histogram({ lowest: 2 ** 20, highest: 2 ** 52, significantDigits: 5 });
    for (const v of [0, 5, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 7, 2 ** 45 + 12345, 2 ** 49]) {
      big.reset();
      big.record(v);
      expect(big.percentile(100)).toBeGreaterThanOrEqual(v);
      expect(big.percentile(100) - v).toBeLessThanOrEqual(v / 1000 + 0);
      wide.reset();
      wide.record(v);
      expect(wide.percentile(100)).toBeGreaterThanOrEqual(v);
      expect(wide.percentile(100) - v).toBeLessThanOrEqual(Math.max(v / 1e5, 2 ** 20));
    }
  });
});
