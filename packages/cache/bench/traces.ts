// Synthetic, deterministic access traces beside the real ones (hit-rate-traces.ts): Zipf
// popularity, scans of cold keys, loops, and shifting working sets. Every trace is generated
// from a seeded PRNG, so every run, and every library in one run, sees the same requests.

import { mulberry32, zipf } from '@perf/internal';

/** The seeded PRNG every trace draws from (mulberry32, uniform in [0, 1)). */
export const random = mulberry32;
export { zipf };

/** `length` Zipf(s) requests over `keys` keys. */
export function zipfTrace(length: number, keys: number, s: number, seed: number): Int32Array {
  const next = zipf(keys, s, random(seed));
  const trace = new Int32Array(length);
  for (let i = 0; i < length; i++) trace[i] = next();
  return trace;
}

/**
 * Zipf requests interrupted by scans: every `period` requests, `scan` never-seen-again cold
 * keys are read once each (a batch job or a crawler walking the key space).
 */
export function scanTrace(
  length: number,
  keys: number,
  s: number,
  period: number,
  scan: number,
  seed: number,
): Int32Array {
  const next = zipf(keys, s, random(seed));
  const trace = new Int32Array(length);
  let cold = keys;
  for (let i = 0; i < length; ) {
    for (let j = 0; j < period && i < length; j++) trace[i++] = next();
    for (let j = 0; j < scan && i < length; j++) trace[i++] = cold++;
  }
  return trace;
}

/** A loop over `span` keys (LIRS "loop"): LRU with a smaller capacity never hits. */
export function loopTrace(length: number, span: number): Int32Array {
  const trace = new Int32Array(length);
  for (let i = 0; i < length; i++) trace[i] = i % span;
  return trace;
}

/**
 * A recency-friendly trace: requests cluster around a hot spot that drifts through the key
 * space (a news feed, a time series), so what was used recently is what is used next.
 */
export function recencyTrace(length: number, spread: number, seed: number): Int32Array {
  const rand = random(seed);
  const trace = new Int32Array(length);
  let centre = 0;
  for (let i = 0; i < length; i++) {
    if ((i & 7) === 0) centre++;
    // Geometric-ish distance back from the moving centre: recent keys dominate.
    const back = Math.floor(-Math.log(1 - rand()) * spread);
    trace[i] = Math.max(0, centre - back);
  }
  return trace;
}

/** Interleaves blocks of two traces (a mixed workload: phases of each). */
export function mixedTrace(
  a: Int32Array,
  b: Int32Array,
  block: number,
  offset: number,
): Int32Array {
  const trace = new Int32Array(a.length + b.length);
  let i = 0;
  let ia = 0;
  let ib = 0;
  while (ia < a.length || ib < b.length) {
    for (let j = 0; j < block && ia < a.length; j++) trace[i++] = a[ia++]!;
    for (let j = 0; j < block && ib < b.length; j++) trace[i++] = b[ib++]! + offset;
  }
  return trace;
}

/**
 * The hit rate of a cache-aside client (get, then set on a miss) replaying `trace`; requests
 * before `warmup` are replayed but not counted (steady state).
 */
export function hitRate(
  cache: { get(key: number): unknown; set(key: number, value: number): unknown },
  trace: Int32Array,
  warmup = 0,
): number {
  return hitRates(cache, trace, warmup).steady;
}

/** One replay, two answers: the hit rate over the whole trace and after `warmup` requests. */
export function hitRates(
  cache: { get(key: number): unknown; set(key: number, value: number): unknown },
  trace: Int32Array,
  warmup: number,
): { whole: number; steady: number } {
  let hits = 0;
  let warmHits = 0;
  for (let i = 0; i < trace.length; i++) {
    const key = trace[i]!;
    if (cache.get(key) !== undefined) {
      hits++;
      if (i < warmup) warmHits++;
    } else cache.set(key, key);
  }
  return { whole: hits / trace.length, steady: (hits - warmHits) / (trace.length - warmup) };
}
