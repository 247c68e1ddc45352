// Small, allocation-aware statistics for the benchmark harness: quantiles, Tukey outlier
// fences and percentile bootstrap confidence intervals, as in criterion.rs
// (https://bheisler.github.io/criterion.rs/book/analysis.html).

import type { Estimate, OutlierCounts } from '../types.js';

/** The seeded PRNG of the bootstrap resampling (shared with every `@perf` bench). */
export { mulberry32 } from '@perf/internal';

/** Quantile q (0–1) of ascending `sorted` with linear interpolation (Hyndman & Fan type 7). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
}

export function stddev(xs: ArrayLike<number>): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i]! - m) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}

export function sortedCopy(xs: ArrayLike<number>): Float64Array {
  return Float64Array.from(xs).sort();
}

/**
 * Tukey's fences on ascending samples: beyond 1.5 IQR from the quartiles is mild, beyond
 * 3 IQR severe (criterion's classification).
 */
export function classifyOutliers(sorted: ArrayLike<number>): OutlierCounts {
  const q1 = quantile(sorted, 0.25);
  const q3 = quantile(sorted, 0.75);
  const iqr = q3 - q1;
  const counts = { lowSevere: 0, lowMild: 0, highMild: 0, highSevere: 0 };
  for (let i = 0; i < sorted.length; i++) {
    const x = sorted[i]!;
    if (x < q1 - 3 * iqr) counts.lowSevere++;
    else if (x < q1 - 1.5 * iqr) counts.lowMild++;
    else if (x > q3 + 3 * iqr) counts.highSevere++;
    else if (x > q3 + 1.5 * iqr) counts.highMild++;
  }
  return counts;
}

export type Statistic = (resample: Float64Array) => number;

export const medianOf: Statistic = (xs) => quantile(xs.sort(), 0.5);
export const lowerQuartileOf: Statistic = (xs) => quantile(xs.sort(), 0.25);
export const meanOf: Statistic = (xs) => mean(xs);

function resampleInto(
  out: Float64Array,
  from: ArrayLike<number>,
  random: () => number,
): Float64Array {
  const n = from.length;
  for (let i = 0; i < out.length; i++) out[i] = from[(random() * n) | 0]!;
  return out;
}

/**
 * Percentile bootstrap CI of combine(statistic(set₀), statistic(set₁), …): every set is
 * resampled independently, `resamples` times.
 */
function bootstrapSets(
  sets: readonly ArrayLike<number>[],
  statistic: Statistic,
  combine: (values: readonly number[]) => number,
  resamples: number,
  confidence: number,
  random: () => number,
): Estimate {
  const point = combine(sets.map((xs) => statistic(Float64Array.from(xs))));
  const bufs = sets.map((xs) => new Float64Array(xs.length));
  const values = new Array<number>(sets.length);
  const dist = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    for (let k = 0; k < sets.length; k++)
      values[k] = statistic(resampleInto(bufs[k]!, sets[k]!, random));
    dist[r] = combine(values);
  }
  dist.sort();
  const alpha = (1 - confidence) / 2;
  return { point, lower: quantile(dist, alpha), upper: quantile(dist, 1 - alpha) };
}

/** Percentile bootstrap CI of `statistic` over `xs`. */
export function bootstrap(
  xs: ArrayLike<number>,
  statistic: Statistic,
  resamples: number,
  confidence: number,
  random: () => number,
): Estimate {
  return bootstrapSets([xs], statistic, ([v]) => v!, resamples, confidence, random);
}

/**
 * Percentile bootstrap CI of the relative change statistic(b) / statistic(a) − 1, each
 * sample set resampled independently (criterion's two-sample bootstrap).
 */
export function bootstrapChange(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  statistic: Statistic,
  resamples: number,
  confidence: number,
  random: () => number,
): Estimate {
  return bootstrapSets(
    [a, b],
    statistic,
    ([sa, sb]) => sb! / sa! - 1,
    resamples,
    confidence,
    random,
  );
}

/**
 * Like {@link bootstrapChange}, with each run's statistic divided by the same statistic of
 * that run's calibration samples: (s(b)/s(bCal)) / (s(a)/s(aCal)) − 1. Machine-wide speed
 * drift between the runs moves case and calibration alike and cancels; all four sample
 * sets are resampled independently. A statistic per set (rather than per-round ratios)
 * keeps one preempted sample from leaking into both sides of a ratio.
 */
export function bootstrapNormalizedChange(
  a: ArrayLike<number>,
  aCal: ArrayLike<number>,
  b: ArrayLike<number>,
  bCal: ArrayLike<number>,
  statistic: Statistic,
  resamples: number,
  confidence: number,
  random: () => number,
): Estimate {
  return bootstrapSets(
    [a, aCal, b, bCal],
    statistic,
    ([sa, sac, sb, sbc]) => sb! / sbc! / (sa! / sac!) - 1,
    resamples,
    confidence,
    random,
  );
}
