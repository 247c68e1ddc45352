// Shared benchmark inputs: latency-like values (lognormal around ~3 ms in µs, heavy tail),
// precomputed so that generating them is not what gets measured.

import { mulberry32 } from '@perf/internal';

export const BATCH = 4096;

/** BATCH integer values ≥ 1, seeded, so every run records the same stream. */
export function latencies(seed = 42): Float64Array {
  const random = mulberry32(seed);
  const out = new Float64Array(BATCH);
  for (let i = 0; i < BATCH; i++) {
    // Box–Muller normal → lognormal(ln 3000, 1.2), capped at one hour in µs.
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    out[i] = Math.min(Math.max(1, Math.floor(Math.exp(Math.log(3000) + 1.2 * z))), 3_600_000_000);
  }
  return out;
}

export const defaults = { time: 600, warmup: 150, samples: 30 };
