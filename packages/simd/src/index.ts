/**
 * @packageDocumentation
 * WebAssembly SIMD vector kernels with scalar fallbacks, plus branchless and algorithmic helpers.
 *
 * @module @perf/simd
 */

export { SimdError } from './errors.js';
