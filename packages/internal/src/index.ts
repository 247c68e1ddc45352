// @perf/internal: building blocks shared by every @perf package. Private: never published;
// tsup bundles it (code and types) into each package's build, so no package gains a dependency.
// Test helpers for real servers live in '@perf/internal/testing'.

export { describe, expected } from './describe.js';
export {
  AbortError,
  ClosedError,
  isPerfError,
  PERF_ERROR,
  PerfError,
  QueueFullError,
  TimeoutError,
  toErrorData,
} from './errors.js';
export { fmix32, murmur3, murmur3Pair } from './murmur3.js';
export { mulberry32, zipf, zipfInversion } from './random.js';
export { FROM_DIST, startWorker, workerFile } from './worker.js';

export type { PerfErrorCode, PerfErrorData } from './errors.js';
export type { HashKey } from './murmur3.js';
