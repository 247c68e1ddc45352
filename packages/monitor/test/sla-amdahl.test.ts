import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  amdahl,
  amdahlParallelFraction,
  checkSla,
  Histogram,
  SEED_SLA_TARGETS,
} from '../src/index.js';

describe('checkSla', () => {
  it('passes the seed targets when every percentile is under its limit (µs histogram)', () => {
    const h = new Histogram();
    for (let i = 0; i < 1000; i++) h.record(2000 + i); // 2–3 ms
    const r = checkSla(h);
    expect(r.pass).toBe(true);
    expect(r.count).toBe(1000);
    expect(r.results.map((x) => [x.percentile, x.limitMs, x.pass])).toEqual([
      [50, 10, true],
      [95, 50, true],
      [99, 100, true],
      [99.9, 500, true],
    ]);
    expect(r.results[0]!.measuredMs).toBeCloseTo(2.5, 1);
  });

  it('fails exactly the targets whose percentile reaches the limit', () => {
    const h = new Histogram();
    for (let i = 0; i < 990; i++) h.record(1000);
    for (let i = 0; i < 10; i++) h.record(600_000); // 1 % at 600 ms: P99.9 fails, P99 passes
    const r = checkSla(h, SEED_SLA_TARGETS);
    expect(r.pass).toBe(false);
    expect(r.results.map((x) => x.pass)).toEqual([true, true, true, true].map((_, i) => i !== 3));
  });

  it('no data never passes', () => {
    expect(checkSla(new Histogram()).pass).toBe(false);
  });

  it('accepts a summary and other units', () => {
    const h = new Histogram({ highest: 1e12 });
    h.record(20_000_000); // 20 ms in ns
    const r = checkSla(h.summary(), [{ percentile: 99, limitMs: 25 }], { unitsPerMs: 1e6 });
    expect(r.pass).toBe(true);
    expect(() => checkSla(h.summary(), [{ percentile: 97, limitMs: 1 }])).toThrow(RangeError);
  });

  it('rejects bad targets and sources', () => {
    const h = new Histogram();
    expect(() => checkSla(h, [{ percentile: 120, limitMs: 1 }])).toThrow(RangeError);
    expect(() => checkSla(h, [{ percentile: 50, limitMs: -1 }])).toThrow(RangeError);
    expect(() => checkSla(h, 'x' as never)).toThrow(TypeError);
    expect(() => checkSla({} as never)).toThrow(TypeError);
    expect(() => checkSla(h, undefined, { unitsPerMs: 0 })).toThrow(RangeError);
  });
});

describe('amdahl', () => {
  it('matches the textbook values and limits', () => {
    expect(amdahl(0, 64)).toBe(1);
    expect(amdahl(1, 64)).toBe(64);
    expect(amdahl(0.5, 2)).toBeCloseTo(4 / 3, 15);
    expect(amdahl(0.95, Number.POSITIVE_INFINITY)).toBeCloseTo(20, 12);
    expect(amdahl(0.9, 1)).toBe(1);
    // Exact at the ends for every n (the textbook form gives 4072.0000000000005 for n = 4072).
    for (const n of [3, 7, 1006, 1807, 4072]) {
      expect(amdahl(1, n)).toBe(n);
      expect(amdahl(0, n)).toBe(1);
    }
    expect(amdahl(1, Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });

  it('its inverse recovers the parallel fraction', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 2, max: 4096 }),
        (p, n) => {
          expect(amdahlParallelFraction(amdahl(p, n), n)).toBeCloseTo(p, 9);
        },
      ),
    );
    expect(amdahlParallelFraction(1, 8)).toBe(0);
    expect(amdahlParallelFraction(8, 8)).toBe(1);
  });

  it('rejects values no fraction explains', () => {
    expect(() => amdahl(1.1, 2)).toThrow(RangeError);
    expect(() => amdahl(0.5, 0)).toThrow(RangeError);
    expect(() => amdahl('0.5' as never, 2)).toThrow(TypeError);
    expect(() => amdahlParallelFraction(3, 2)).toThrow(RangeError);
    expect(() => amdahlParallelFraction(0.5, 2)).toThrow(RangeError);
    expect(() => amdahlParallelFraction(1, 1)).toThrow(RangeError);
  });
});
