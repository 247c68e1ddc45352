import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Histogram } from '../src/index.js';

describe('Histogram bad input', () => {
  it.each([
    [{ lowest: 0 }, RangeError],
    [{ lowest: 1.5 }, RangeError],
    [{ lowest: '1' }, TypeError],
    [{ highest: 1 }, RangeError],
    [{ lowest: 100, highest: 150 }, RangeError],
    [{ highest: Number.POSITIVE_INFINITY }, RangeError],
    [{ significantDigits: 0 }, RangeError],
    [{ significantDigits: 6 }, RangeError],
    [{ significantDigits: Number.NaN }, RangeError],
    [{ overflow: 'wrap' }, TypeError],
  ])('rejects options %o', (options, kind) => {
    expect(() => new Histogram(options as never)).toThrow(kind);
  });

  it('rejects a non-object options argument', () => {
    expect(() => new Histogram(3 as never)).toThrow(TypeError);
  });

  it.each([
    [Number.NaN, RangeError],
    [-1, RangeError],
    [-0.5, RangeError],
    [Number.POSITIVE_INFINITY, RangeError],
    [Number.NEGATIVE_INFINITY, RangeError],
    ['5', TypeError],
    [5n, TypeError],
    [null, TypeError],
    [undefined, TypeError],
    [{}, TypeError],
  ])('record(%s) throws and leaves the histogram untouched', (value, kind) => {
    const h = new Histogram();
    h.record(10);
    expect(() => h.record(value as never)).toThrow(kind);
    expect(h.count).toBe(1);
    expect([...h]).toEqual([{ lowestValue: 10, highestValue: 10, count: 1 }]);
  });

  it('clamps values above highest and counts them (default)', () => {
    const h = new Histogram({ highest: 1000 });
    h.record(5000);
    h.record(1000);
    expect(h.count).toBe(2);
    expect(h.clampedCount).toBe(1);
    expect(h.percentile(100)).toBe(1000);
    expect(h.max).toBe(1000);
  });

  it("throws RangeError above highest with overflow: 'throw'", () => {
    const h = new Histogram({ highest: 1000, overflow: 'throw' });
    expect(() => h.record(1001)).toThrow(RangeError);
    expect(h.count).toBe(0);
  });

  it('fuzzed values are recorded, or rejected with TypeError/RangeError, never silently wrong', () => {
    fc.assert(
      fc.property(
        fc.array(fc.anything({ withBigInt: true, withNullPrototype: true })),
        fc.array(fc.double()),
        (things, doubles) => {
          const h = new Histogram({ highest: 1e9 });
          let accepted = 0;
          for (const v of [...things, ...doubles]) {
            try {
              h.record(v as number);
              accepted++;
              expect(typeof v === 'number' && v >= 0 && Number.isFinite(v)).toBe(true);
            } catch (e) {
              expect(e instanceof TypeError || e instanceof RangeError).toBe(true);
            }
          }
          expect(h.count).toBe(accepted);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('rejects bad percentiles, intervals and arrays', () => {
    const h = new Histogram();
    expect(() => h.percentile(101)).toThrow(RangeError);
    expect(() => h.percentile(-1)).toThrow(RangeError);
    expect(() => h.percentile(Number.NaN)).toThrow(RangeError);
    expect(() => h.percentile('50' as never)).toThrow(TypeError);
    expect(() => h.percentiles([50, 200])).toThrow(RangeError);
    expect(() => h.percentiles('x' as never)).toThrow(TypeError);
    expect(() => h.recordCorrected(10, 0)).toThrow(RangeError);
    expect(() => h.recordCorrected(10, Number.NaN)).toThrow(RangeError);
    expect(() => h.recordMany(5 as never)).toThrow(TypeError);
    expect(() => h.merge({} as never)).toThrow(TypeError);
  });
});

describe('Histogram behaviour', () => {
  it('reports zeros when empty', () => {
    const h = new Histogram();
    expect([h.count, h.min, h.max, h.mean, h.stddev, h.percentile(99)]).toEqual([0, 0, 0, 0, 0, 0]);
    expect(h.percentiles([50, 99])).toEqual([
      { percentile: 50, value: 0 },
      { percentile: 99, value: 0 },
    ]);
  });

  it('recordCorrected back-fills the samples a stalled generator never sent (HdrHistogram semantics)', () => {
    const h = new Histogram();
    h.recordCorrected(1000, 100);
    // 1000 plus back-filled 900, 800, …, 100.
    expect(h.count).toBe(10);
    expect([...h].map((b) => b.lowestValue)).toEqual([
      100, 200, 300, 400, 500, 600, 700, 800, 900, 1000,
    ]);
    h.recordCorrected(50, 100);
    expect(h.count).toBe(11);
  });

  it('reset forgets everything and clone copies', () => {
    const h = new Histogram();
    h.recordMany([1, 2, 3]);
    const c = h.clone();
    h.reset();
    expect(h.count).toBe(0);
    expect(c.count).toBe(3);
    expect(c.max).toBe(3);
  });

  it('truncates fractional values to the unit but keeps exact min/max', () => {
    const h = new Histogram();
    h.recordMany([1.9, 2.2]);
    expect([...h].map((b) => b.lowestValue)).toEqual([1, 2]);
    expect(h.min).toBe(1.9);
    expect(h.max).toBe(2.2);
  });
});
