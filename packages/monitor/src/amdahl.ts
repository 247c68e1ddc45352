// Amdahl's law (Gene Amdahl, "Validity of the single processor approach to achieving large
// scale computing capabilities", AFIPS 1967), the seed's speed-up formula, and its inverse.

import { checkNumber } from './internal/validate.js';

/**
 * The speed-up of a program whose `parallelFraction` (0–1) of the work runs on `processors`
 * (from 1 and up; `Infinity` gives the limit 1 / (1 − p)): 1 / ((1 − p) + p / n).
 */
export function amdahl(parallelFraction: number, processors: number): number {
  const p = checkNumber('parallelFraction', parallelFraction, 0, 1);
  const n = checkNumber('processors', processors, 1, Number.POSITIVE_INFINITY);
  if (n === Number.POSITIVE_INFINITY) return 1 / (1 - p);
  // n / (n(1 − p) + p) rather than 1 / ((1 − p) + p/n): exact at both ends (p = 1 gives n,
  // p = 0 gives 1) where the textbook form rounds 1/(1/n) to n·(1 + ε).
  return n / (n * (1 - p) + p);
}

/**
 * The inverse of {@link amdahl}: the parallel fraction that explains an observed `speedup`
 * on `processors` (more than 1): p = (1 − 1/S) / (1 − 1/n). `speedup` must lie in
 * [1, processors]; anything else no fraction explains (super-linear speed-up is a cache
 * effect, not Amdahl's law).
 */
export function amdahlParallelFraction(speedup: number, processors: number): number {
  const n = checkNumber('processors', processors, 1, Number.POSITIVE_INFINITY);
  if (n === 1) {
    throw new RangeError(
      'Expected `processors` to be more than 1: one processor says nothing about the parallel fraction',
    );
  }
  // amdahl() itself can land a few ulps outside [1, n] (1 / (1 − p + p/n) rounds); treat
  // those as the end they belong to instead of rejecting the function's own output.
  const slack = 8 * Number.EPSILON;
  let s = checkNumber('speedup', speedup, 1 - slack, n * (1 + slack));
  s = Math.min(Math.max(s, 1), n);
  if (s === 1) return 0;
  // Exact at the ends: S = 1 → 0, S = n → 1 (the formula alone rounds to 0.9999999999999999).
  if (s === n) return 1;
  return (1 - 1 / s) / (1 - 1 / n);
}
