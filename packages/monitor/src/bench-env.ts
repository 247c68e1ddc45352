// Bench options from the environment, so one command can run every package's benches quickly
// (a smoke run) or at length without editing bench files.

import type { BenchOptions } from './types.js';

/**
 * `{ time, samples }` from `PERF_BENCH_TIME` (ms per case) and `PERF_BENCH_SAMPLES`, merged
 * over `defaults`. Unset or invalid variables leave the defaults alone.
 */
export function benchOptionsFromEnv(defaults: BenchOptions = {}): BenchOptions {
  const out: BenchOptions = { ...defaults };
  const time = Number(process.env.PERF_BENCH_TIME);
  if (process.env.PERF_BENCH_TIME && time > 0) out.time = time;
  const samples = Number(process.env.PERF_BENCH_SAMPLES);
  if (process.env.PERF_BENCH_SAMPLES && Number.isInteger(samples) && samples >= 5) {
    out.samples = samples;
  }
  return out;
}
