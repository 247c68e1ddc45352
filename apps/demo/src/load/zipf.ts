/**
 * The load generator's randomness: @perf/internal's seeded mulberry32 and its Zipf sampler
 * (rejection-inversion, O(1) memory for any key count), so a load run is reproducible and
 * draws the same sequences as every @perf bench.
 */
import { mulberry32, zipfInversion } from '@perf/internal';

/** A seeded uniform generator. */
export class Rng {
  readonly #next: () => number;
  constructor(seed = 0x9e3779b9) {
    this.#next = mulberry32(seed);
  }
  /** Uniform in [0, 1). */
  next(): number {
    return this.#next();
  }
  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.#next() * n);
  }
}

/** Keys 0..n-1, rank 0 the hottest, with exponent `s` (YCSB uses 0.99). */
export class Zipf {
  readonly #next: () => number;
  constructor(n: number, s: number, rng: Rng) {
    this.#next = zipfInversion(n, s, () => rng.next());
  }
  next(): number {
    return this.#next();
  }
}
