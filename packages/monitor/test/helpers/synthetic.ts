// Benchmark cases of known speed on a virtual clock, with a noise model of a shared 2-core
// machine: per-iteration jitter, rare long pauses (GC, preemption by a neighbour), and a
// per-run drift of the whole machine's speed.

import { Bench } from '../../src/index.js';
import { mulberry32 } from '../../src/internal/stats.js';

export interface NoiseModel {
  /** Relative per-iteration jitter (uniform ±). */
  jitter: number;
  /** Chance per iteration of a pause, and its length in ns. */
  pauseChance: number;
  pauseNs: number;
  /** Whole-run speed drift, uniform ±: how much faster or slower the machine is this run. */
  drift: number;
}

/**
 * Noise of the shared 2-core machine this package was built on (bench/harness-quality.ts,
 * CPU clock, load average 20–30): unchanged code moved by up to ±12 % between runs.
 */
export const SHARED_MACHINE: NoiseModel = {
  jitter: 0.3,
  pauseChance: 0.003,
  pauseNs: 200_000,
  drift: 0.12,
};

/** The package's own seeded PRNG (mulberry32). */
export const rng = mulberry32;

/**
 * One run of a bench whose single case costs `costNs` per iteration under `noise`; the
 * calibration workload costs 1000 ns under the same machine drift.
 */
export function syntheticBench(
  costNs: number,
  noise: NoiseModel,
  random: () => number,
  calibrate = true,
): Bench {
  let clockNs = 0;
  const drift = 1 + (random() * 2 - 1) * noise.drift;
  const step = (ns: number) => {
    clockNs += ns * drift * (1 + (random() * 2 - 1) * noise.jitter);
    if (random() < noise.pauseChance) clockNs += noise.pauseNs;
  };
  const bench = new Bench('synthetic', {
    now: () => clockNs / 1e6,
    time: (2 * 30 * 40 * costNs) / 1e6,
    warmup: (200 * costNs) / 1e6,
    samples: 30,
    resamples: 300,
    calibration: calibrate ? () => step(1000) : false,
  });
  bench.add('case', () => step(costNs));
  return bench;
}
