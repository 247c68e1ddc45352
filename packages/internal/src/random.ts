/**
 * Seeded randomness for benchmarks, simulations and tests: every run, and every library in one
 * run, sees exactly the same sequence.
 */

/**
 * mulberry32 (Tommy Ettinger, public domain): a 32-bit PRNG with a period of 2^32, uniform in
 * [0, 1). Good enough for resampling, traffic mixes and traces; not for cryptography.
 * @param seed - Any number; only its low 32 bits are used.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function checkZipf(n: number, s: number): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`Expected \`n\` to be an integer from 1 and up, got \`${n}\``);
  }
  if (!(s > 0) || !Number.isFinite(s)) {
    throw new RangeError(`Expected \`s\` to be a number above 0, got \`${s}\``);
  }
}

/**
 * Zipf(s) ranks 0…n-1 (rank 0 the most popular, P(rank) ∝ 1/(rank+1)^s), exactly, by binary
 * search over the cumulative distribution: one `random()` per sample, O(log n) time, an
 * n-entry Float64Array table. The right choice up to a few million keys; beyond that, or when
 * the table's memory matters, use `zipfInversion`.
 * @param random - Uniform in [0, 1), e.g. `mulberry32(seed)`.
 */
export function zipf(n: number, s: number, random: () => number): () => number {
  checkZipf(n, s);
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / (i + 1) ** s;
  return () => {
    const u = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** log(1+x)/x, accurate near 0. */
function helper1(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1 - x * (0.5 - x * (1 / 3 - 0.25 * x));
}
/** (exp(x)-1)/x, accurate near 0. */
function helper2(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.expm1(x) / x : 1 + x * 0.5 * (1 + x * (1 / 3) * (1 + 0.25 * x));
}

/**
 * The same Zipf(s) distribution over ranks 0…n-1 with O(1) memory and O(1) expected time, for
 * any n: the rejection-inversion method of Hörmann & Derflinger (1996), "Rejection-inversion
 * to generate variates from monotone discrete distributions", as YCSB and Apache Commons use
 * it. Uses one or (rarely) more `random()` draws per sample, so its sequence differs from
 * `zipf`'s for the same generator.
 */
export function zipfInversion(n: number, s: number, random: () => number): () => number {
  checkZipf(n, s);
  const h = (x: number) => Math.exp(-s * Math.log(x));
  const hIntegral = (x: number) => {
    const logX = Math.log(x);
    return helper2((1 - s) * logX) * logX;
  };
  const hIntegralInv = (x: number) => {
    let t = x * (1 - s);
    if (t < -1) t = -1;
    return Math.exp(helper1(t) * x);
  };
  const hIntegralX1 = hIntegral(1.5) - 1;
  const hIntegralN = hIntegral(n + 0.5);
  const threshold = 2 - hIntegralInv(hIntegral(2.5) - h(2));
  return () => {
    for (;;) {
      const u = hIntegralN + random() * (hIntegralX1 - hIntegralN);
      const x = hIntegralInv(u);
      let k = Math.round(x);
      if (k < 1) k = 1;
      else if (k > n) k = n;
      if (k - x <= threshold || u >= hIntegral(k + 0.5) - h(k)) return k - 1;
    }
  };
}
