/**
 * @packageDocumentation
 * WebAssembly SIMD vector kernels with scalar fallbacks, plus branchless and algorithmic helpers.
 *
 * @module @perf/simd
 */

export { absI32, maxI32, minI32, selectI32, signI32 } from './branchless.js';
export {
  add,
  alloc,
  argmax,
  argmin,
  createSimd,
  defaultSimd,
  dot,
  dotMany,
  free,
  max,
  maximum,
  min,
  minimum,
  mul,
  scale,
  simdSupported,
  sub,
  sum,
} from './create-simd.js';
export {
  isPerfError,
  PerfError,
  SimdError,
  SimdOutOfMemoryError,
  SimdUnsupportedError,
} from './errors.js';
export { hasDuplicates } from './has-duplicates.js';
export { topK } from './top-k.js';

export type {
  NumericArray,
  NumericArrayConstructor,
  Simd,
  SimdBackend,
  SimdOptions,
  WasmMemory,
} from './types.js';
