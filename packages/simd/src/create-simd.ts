import { SimdUnsupportedError } from './errors.js';
import { MAX_PAGES, PAGE_BYTES, wasmSupported } from './internal/kernels-module.js';
import { show } from './internal/validate.js';
import { isWasmMemory, wasmApi } from './internal/wasm-api.js';
import { ScalarSimd } from './scalar-simd.js';
import type { NumericArray, NumericArrayConstructor, Simd, SimdOptions } from './types.js';
import { WasmSimd } from './wasm-simd.js';

const DEFAULT_INITIAL_BYTES = 1 << 20;
const DEFAULT_MAXIMUM_BYTES = MAX_PAGES * PAGE_BYTES;

/**
 * True when this runtime runs the WebAssembly simd128 kernels (checked once, with
 * `WebAssembly.validate` on the real module); otherwise `createSimd()` uses the scalar backend.
 */
export function simdSupported(): boolean {
  return wasmSupported();
}

/**
 * A kernel instance. With no options: the wasm backend on a new shared memory when supported,
 * else the scalar backend. Pass `memory` (another instance's `simd.memory`) to run on and
 * allocate from the same memory, for example in a worker thread.
 */
export function createSimd(options: SimdOptions = {}): Simd {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected \`options\` to be an object, got ${show(options)}`);
  }
  const { backend = 'auto', memory } = options;
  if (backend !== 'auto' && backend !== 'wasm' && backend !== 'scalar') {
    throw new TypeError(
      `Expected \`backend\` to be 'auto', 'wasm' or 'scalar', got ${show(backend)}`,
    );
  }
  if (backend === 'scalar' || (backend === 'auto' && !wasmSupported())) return new ScalarSimd();
  if (!wasmSupported()) throw new SimdUnsupportedError();
  if (memory !== undefined) {
    if (!isWasmMemory(memory) || !(memory.buffer instanceof SharedArrayBuffer)) {
      throw new TypeError(
        `Expected \`memory\` to be a shared WebAssembly.Memory, got ${show(memory)}`,
      );
    }
    return new WasmSimd(memory);
  }
  const initial = pages(options.initialBytes ?? DEFAULT_INITIAL_BYTES, 'initialBytes');
  const maximum = pages(options.maximumBytes ?? DEFAULT_MAXIMUM_BYTES, 'maximumBytes');
  if (initial > maximum) {
    throw new RangeError(
      `Expected \`initialBytes\` (${options.initialBytes}) to be at most \`maximumBytes\` (${options.maximumBytes})`,
    );
  }
  return new WasmSimd(new wasmApi!.Memory({ initial, maximum, shared: true }));
}

function pages(bytes: unknown, name: string): number {
  if (
    typeof bytes !== 'number' ||
    !Number.isSafeInteger(bytes) ||
    bytes < 1 ||
    bytes > DEFAULT_MAXIMUM_BYTES
  ) {
    throw new RangeError(
      `Expected \`${name}\` to be an integer from 1 to ${DEFAULT_MAXIMUM_BYTES}, got ${show(bytes)}`,
    );
  }
  return Math.ceil(bytes / PAGE_BYTES);
}

let shared: Simd | undefined;

/**
 * The instance behind the top-level functions (`add`, `sum`, `alloc`…), created on first use
 * with default options.
 */
export function defaultSimd(): Simd {
  return (shared ??= createSimd());
}

/** {@link Simd.alloc} on {@link defaultSimd}. */
export function alloc<C extends NumericArrayConstructor>(type: C, length: number): InstanceType<C> {
  return defaultSimd().alloc(type, length);
}
/** {@link Simd.free} on {@link defaultSimd}. */
export function free(array: NumericArray): void {
  defaultSimd().free(array);
}
/** {@link Simd.add} on {@link defaultSimd}. */
export function add<T extends NumericArray>(a: T, b: T, out?: T): T {
  return defaultSimd().add(a, b, out);
}
/** {@link Simd.sub} on {@link defaultSimd}. */
export function sub<T extends NumericArray>(a: T, b: T, out?: T): T {
  return defaultSimd().sub(a, b, out);
}
/** {@link Simd.mul} on {@link defaultSimd}. */
export function mul<T extends NumericArray>(a: T, b: T, out?: T): T {
  return defaultSimd().mul(a, b, out);
}
/** {@link Simd.minimum} on {@link defaultSimd}. */
export function minimum<T extends NumericArray>(a: T, b: T, out?: T): T {
  return defaultSimd().minimum(a, b, out);
}
/** {@link Simd.maximum} on {@link defaultSimd}. */
export function maximum<T extends NumericArray>(a: T, b: T, out?: T): T {
  return defaultSimd().maximum(a, b, out);
}
/** {@link Simd.scale} on {@link defaultSimd}. */
export function scale<T extends NumericArray>(a: T, factor: number, out?: T): T {
  return defaultSimd().scale(a, factor, out);
}
/** {@link Simd.dot} on {@link defaultSimd}. */
export function dot<T extends NumericArray>(a: T, b: T): number {
  return defaultSimd().dot(a, b);
}
/** {@link Simd.sum} on {@link defaultSimd}. */
export function sum(a: NumericArray): number {
  return defaultSimd().sum(a);
}
/** {@link Simd.min} on {@link defaultSimd}. */
export function min(a: NumericArray): number {
  return defaultSimd().min(a);
}
/** {@link Simd.max} on {@link defaultSimd}. */
export function max(a: NumericArray): number {
  return defaultSimd().max(a);
}
/** {@link Simd.argmin} on {@link defaultSimd}. */
export function argmin(a: NumericArray): number {
  return defaultSimd().argmin(a);
}
/** {@link Simd.argmax} on {@link defaultSimd}. */
export function argmax(a: NumericArray): number {
  return defaultSimd().argmax(a);
}
/** {@link Simd.dotMany} on {@link defaultSimd}. */
export function dotMany(
  matrix: Float32Array,
  query: Float32Array,
  out?: Float64Array,
): Float64Array {
  return defaultSimd().dotMany(matrix, query, out);
}
