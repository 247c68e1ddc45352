/*
 * Branchless int32 helpers, after the bit tricks in Warren, "Hacker's Delight" (2nd ed.,
 * §2-7, §2-8, §2-20) and Anderson's "Bit Twiddling Hacks". Arguments are converted with
 * ToInt32 (`x | 0`) first, so results are int32 and wrap like C's: absI32(-2**31) === -2**31.
 *
 * In V8 these compile to straight-line integer code. They pay off where a branch is
 * unpredictable (random signs, data-dependent selects in a hot loop); where the branch is
 * predictable, the plain `x < 0 ? -x : x` is as fast and clearer. See the README.
 */

/** |x| as int32: m = x >> 31 is 0 or -1 (all ones), and (x ^ m) - m negates when m = -1. */
export function absI32(x: number): number {
  const m = x >> 31;
  return ((x ^ m) - m) | 0;
}

/** The smaller int32: b ^ ((a ^ b) & mask), where mask is all ones when a < b. */
export function minI32(a: number, b: number): number {
  a |= 0;
  b |= 0;
  return b ^ ((a ^ b) & -+(a < b));
}

/** The larger int32: b ^ ((a ^ b) & mask), where mask is all ones when a > b. */
export function maxI32(a: number, b: number): number {
  a |= 0;
  b |= 0;
  return b ^ ((a ^ b) & -+(a > b));
}

/** `condition ? a : b` on int32 without a branch: a truthy condition becomes an all-ones mask. */
export function selectI32(condition: unknown, a: number, b: number): number {
  a |= 0;
  b |= 0;
  return b ^ ((a ^ b) & -+!!condition);
}

/** -1, 0 or 1: (x >> 31) is -1 for negatives, (-x >>> 31) is 1 for positives. */
export function signI32(x: number): number {
  x |= 0;
  return (x >> 31) | (-x >>> 31);
}
