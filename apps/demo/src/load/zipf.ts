/**
 * Seeded PRNG and a Zipfian key picker, so a load run is reproducible.
 *
 * The Zipf sampler is the rejection-inversion method of Hörmann & Derflinger (1996), "Rejection-
 * inversion to generate variates from monotone discrete distributions", as used by YCSB and
 * Apache Commons: O(1) per sample with no table, for any number of keys.
 */

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, from PractRand): 128 bits of
 * state, 32-bit output, a counter guaranteeing a period of at least 2^32. Fast, seedable, and
 * passes PractRand — good enough for load mixes. (A 32-bit squeeze of xorshift128+ that this
 * replaced cycled after ~8k outputs; the test now checks the period.)
 */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;
  constructor(seed = 0x9e3779b9) {
    this.#a = seed | 0;
    this.#b = 0x9e3779b9;
    this.#c = 0x243f6a88;
    this.#d = 0xb7e15162;
    for (let i = 0; i < 12; i++) this.next(); // mix the seed through the state
  }
  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return (t >>> 0) / 4294967296;
  }
  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

export class Zipf {
  readonly #n: number;
  readonly #s: number;
  readonly #hIntegralX1: number;
  readonly #hIntegralN: number;
  readonly #threshold: number;
  readonly #rng: Rng;

  /** Keys 0..n-1, rank 0 the hottest, with exponent `s` (YCSB uses 0.99). */
  constructor(n: number, s: number, rng: Rng) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`Expected \`n\` >= 1, got ${n}`);
    if (!(s > 0)) throw new RangeError(`Expected \`s\` > 0, got ${s}`);
    this.#n = n;
    this.#s = s;
    this.#rng = rng;
    this.#hIntegralX1 = this.#hIntegral(1.5) - 1;
    this.#hIntegralN = this.#hIntegral(n + 0.5);
    this.#threshold = 2 - this.#hIntegralInv(this.#hIntegral(2.5) - this.#h(2));
  }

  next(): number {
    for (;;) {
      const u = this.#hIntegralN + this.#rng.next() * (this.#hIntegralX1 - this.#hIntegralN);
      const x = this.#hIntegralInv(u);
      let k = Math.round(x);
      if (k < 1) k = 1;
      else if (k > this.#n) k = this.#n;
      if (k - x <= this.#threshold || u >= this.#hIntegral(k + 0.5) - this.#h(k)) return k - 1;
    }
  }

  #h(x: number): number {
    return Math.exp(-this.#s * Math.log(x));
  }
  #hIntegral(x: number): number {
    const logX = Math.log(x);
    return helper2((1 - this.#s) * logX) * logX;
  }
  #hIntegralInv(x: number): number {
    let t = x * (1 - this.#s);
    if (t < -1) t = -1;
    return Math.exp(helper1(t) * x);
  }
}

/** log(1+x)/x, accurate near 0. */
function helper1(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1 - x * (0.5 - x * (1 / 3 - 0.25 * x));
}
/** (exp(x)-1)/x, accurate near 0. */
function helper2(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.expm1(x) / x : 1 + x * 0.5 * (1 + x * (1 / 3) * (1 + 0.25 * x));
}
