/**
 * The vocabulary of @perf/simd: the arrays the kernels take, the options of
 * {@link createSimd}, and the {@link Simd} interface every backend implements.
 */

/** The typed arrays every kernel accepts. */
export type NumericArray = Float32Array | Float64Array | Int32Array;

/** The constructor of a {@link NumericArray}, as passed to {@link Simd.alloc}. */
export type NumericArrayConstructor =
  | Float32ArrayConstructor
  | Float64ArrayConstructor
  | Int32ArrayConstructor;

/**
 * A `WebAssembly.Memory` (declared structurally so these types do not depend on the DOM lib).
 * The kernels need a shared one: `new WebAssembly.Memory({ initial, maximum, shared: true })`.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(deltaPages: number): number;
}

/** Which implementation runs the kernels. */
export type SimdBackend = 'wasm' | 'scalar';

/** Options of {@link createSimd}. */
export interface SimdOptions {
  /**
   * `'auto'` picks `'wasm'` when `WebAssembly.validate` accepts the simd128 kernel module and
   * `'scalar'` (plain TypeScript loops) otherwise. Forcing `'wasm'` where it is unsupported
   * throws `SimdUnsupportedError`; forcing `'scalar'` is how tests and benchmarks compare.
   *
   * @defaultValue `'auto'`
   */
  backend?: SimdBackend | 'auto';
  /**
   * A shared `WebAssembly.Memory` to run on instead of a new one: pass `simd.memory` of
   * another instance (for example to a worker through `postMessage`) so several threads run
   * kernels on, and allocate from, the same memory. It must be shared, and either created by
   * @perf/simd or all zero. Ignored by the scalar backend.
   *
   * @defaultValue a new shared memory of `initialBytes`, growing up to `maximumBytes`
   */
  memory?: WasmMemory;
  /**
   * Initial size of a new memory, in bytes (rounded up to 64 KiB pages).
   *
   * @defaultValue `1_048_576` (1 MiB)
   */
  initialBytes?: number;
  /**
   * Largest size a new memory may grow to, in bytes (rounded up to 64 KiB pages, at most
   * 2 GiB). Shared memory reserves this much address space up front, but no physical memory.
   *
   * @defaultValue `2_147_483_648` (2 GiB)
   */
  maximumBytes?: number;
}

/**
 * The kernels, one API for both backends. Every method takes `Float32Array`,
 * `Float64Array` or `Int32Array`; all array arguments of one call must be of the same type.
 *
 * Element-wise methods write into `out` when it is given (it must hold at least
 * `a.length` elements and may be `a` or `b` itself, but must not partially overlap them)
 * and otherwise return a new array. Arrays from {@link Simd.alloc} are used in place; any
 * other array is copied into the module's memory and back (see the README for that cost).
 *
 * Int32Array arithmetic wraps modulo 2^32, like storing into an `Int32Array`
 * (`sum` and `dot` included). Float arithmetic is IEEE-754 in the array's precision.
 */
export interface Simd {
  /** The backend in use. */
  readonly backend: SimdBackend;
  /** The shared memory the kernels run on (`undefined` for the scalar backend). */
  readonly memory: WasmMemory | undefined;

  /**
   * A zeroed array of `length` elements that lives inside {@link Simd.memory}, so kernels
   * read and write it without copying. Stays valid when the memory grows; give it back with
   * {@link Simd.free}. The scalar backend returns an ordinary array.
   */
  alloc<C extends NumericArrayConstructor>(type: C, length: number): InstanceType<C>;
  /**
   * Returns an array from {@link Simd.alloc} to the allocator. Freeing twice, or freeing a
   * subarray, is a TypeError. Like `free` in C, the array must not be used afterwards: its
   * bytes may belong to the next `alloc`.
   */
  free(array: NumericArray): void;
  /** True when `array` lives in this instance's memory (no copy on use); always true for scalar. */
  owns(array: NumericArray): boolean;

  /** `out[i] = a[i] + b[i]`. */
  add<T extends NumericArray>(a: T, b: T, out?: T): T;
  /** `out[i] = a[i] - b[i]`. */
  sub<T extends NumericArray>(a: T, b: T, out?: T): T;
  /** `out[i] = a[i] * b[i]` (Int32Array: `Math.imul`). */
  mul<T extends NumericArray>(a: T, b: T, out?: T): T;
  /** `out[i] = Math.min(a[i], b[i])`: NaN if either is NaN, and -0 < +0. */
  minimum<T extends NumericArray>(a: T, b: T, out?: T): T;
  /** `out[i] = Math.max(a[i], b[i])`: NaN if either is NaN, and +0 > -0. */
  maximum<T extends NumericArray>(a: T, b: T, out?: T): T;
  /**
   * `out[i] = a[i] * factor`, with `factor` first converted to the element type
   * (`Math.fround` for Float32Array, `ToInt32` for Int32Array).
   */
  scale<T extends NumericArray>(a: T, factor: number, out?: T): T;

  /**
   * Σ a[i]·b[i]. Float results are reassociated (SIMD lanes); the README states the error
   * bound. Int32Array: wraps modulo 2^32.
   */
  dot<T extends NumericArray>(a: T, b: T): number;
  /** Σ a[i] (0 for an empty array); same accuracy notes as {@link Simd.dot}. */
  sum(a: NumericArray): number;
  /** Smallest element, like `Math.min(...a)`: NaN if any is NaN, -0 below +0, `Infinity` if empty. */
  min(a: NumericArray): number;
  /** Largest element, like `Math.max(...a)`: NaN if any is NaN, +0 above -0, `-Infinity` if empty. */
  max(a: NumericArray): number;
  /** Index of the first element equal to {@link Simd.min} (first NaN if any), or -1 if empty. */
  argmin(a: NumericArray): number;
  /** Index of the first element equal to {@link Simd.max} (first NaN if any), or -1 if empty. */
  argmax(a: NumericArray): number;

  /**
   * Scores of a row-major matrix against a query: `out[r] = dot(row r, query)` for each of
   * the `matrix.length / query.length` rows, each bit-identical to a {@link Simd.dot} call on
   * that row. `matrix.length` must be a multiple of `query.length` (which must be > 0).
   */
  dotMany(matrix: Float32Array, query: Float32Array, out?: Float64Array): Float64Array;
}
