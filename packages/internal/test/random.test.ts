import { describe, expect, it } from 'vitest';
import { mulberry32, zipf, zipfInversion } from '../src/index.js';

// Sequences recorded from the copies this module replaced (monitor's stats, cache's bench
// traces, the demo's load generator), so seeded benches and tests replay unchanged.
describe('mulberry32', () => {
  it('replays the recorded sequences', () => {
    const a = mulberry32(1);
    expect(Array.from({ length: 5 }, () => a())).toEqual([
      0.6270739405881613, 0.002735721180215478, 0.5274470399599522, 0.9810509674716741,
      0.9683778982143849,
    ]);
    const b = mulberry32(42);
    expect(Array.from({ length: 3 }, () => b())).toEqual([
      0.6011037519201636, 0.44829055899754167, 0.8524657934904099,
    ]);
  });

  it('stays in [0, 1) and is uniform enough (chi-square over 16 bins)', () => {
    const r = mulberry32(123);
    const bins = new Array<number>(16).fill(0);
    const n = 160_000;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const x = r();
      if (!(x >= 0 && x < 1)) outside++;
      else bins[Math.floor(x * 16)]!++;
    }
    expect(outside).toBe(0);
    const e = n / 16;
    const chi = bins.reduce((s, o) => s + (o - e) ** 2 / e, 0);
    expect(chi).toBeLessThan(40); // 15 degrees of freedom: p ≈ 0.0005
  });
});

describe('zipf', () => {
  it('replays the recorded sequences of both samplers', () => {
    const z = zipf(1000, 0.99, mulberry32(7));
    expect(Array.from({ length: 20 }, () => z())).toEqual([
      0, 0, 846, 110, 29, 11, 19, 3, 37, 139, 3, 1, 179, 28, 2, 8, 4, 32, 4, 852,
    ]);
    const zi = zipfInversion(1000, 0.99, mulberry32(7));
    expect(Array.from({ length: 20 }, () => zi())).toEqual([
      918, 638, 0, 5, 20, 50, 31, 173, 16, 3, 151, 321, 2, 21, 237, 67, 116, 18, 114, 0,
    ]);
  });

  it('both follow P(rank) ∝ 1/(rank+1)^s within sampling error', () => {
    const n = 50;
    const s = 1.1;
    let norm = 0;
    for (let i = 1; i <= n; i++) norm += 1 / i ** s;
    for (const make of [zipf, zipfInversion]) {
      const next = make(n, s, mulberry32(3));
      const counts = new Array<number>(n).fill(0);
      const draws = 100_000;
      let bad = 0;
      for (let i = 0; i < draws; i++) {
        const k = next();
        if (Number.isInteger(k) && k >= 0 && k < n) counts[k]!++;
        else bad++;
      }
      expect(bad).toBe(0);
      for (const rank of [0, 1, 4, 20]) {
        const p = 1 / (rank + 1) ** s / norm;
        const sd = Math.sqrt((p * (1 - p)) / draws);
        expect(Math.abs(counts[rank]! / draws - p)).toBeLessThan(5 * sd);
      }
    }
  });

  it('rejects bad parameters with a RangeError', () => {
    expect(() => zipf(0, 1, Math.random)).toThrow(RangeError);
    expect(() => zipfInversion(10, 0, Math.random)).toThrow(RangeError);
    expect(() => zipf(1.5, 1, Math.random)).toThrow(RangeError);
  });
});
