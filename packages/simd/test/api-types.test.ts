// Type-level tests of the public API from source (checked by `pnpm typecheck`; at run time
// expectTypeOf is a no-op). The built ESM/CJS entry points are checked in tests/repo/types.
import { describe, expectTypeOf, it } from 'vitest';
import {
  createSimd,
  hasDuplicates,
  isPerfError,
  type PerfError,
  type Simd,
  SimdError,
  type SimdOptions,
  type SimdOutOfMemoryError,
  sum,
  topK,
} from '../src/index.js';

describe('public API types', () => {
  it('kernels and allocation', () => {
    expectTypeOf(createSimd).returns.toEqualTypeOf<Simd>();
    expectTypeOf(createSimd).parameter(0).toEqualTypeOf<SimdOptions | undefined>();
    expectTypeOf(createSimd().alloc(Float32Array, 4)).toExtend<Float32Array>();
    expectTypeOf(createSimd().alloc(Int32Array, 4)).toExtend<Int32Array>();
    expectTypeOf(sum).returns.toBeNumber();
    expectTypeOf(hasDuplicates).returns.toBeBoolean();
    expectTypeOf(topK).returns.toEqualTypeOf<Int32Array>();
    const misuse = () => {
      // @ts-expect-error kernels take typed arrays, not strings
      sum('abc');
    };
    expectTypeOf(misuse).toBeFunction();
  });

  it('errors share the @perf base', () => {
    expectTypeOf<SimdError>().toExtend<PerfError>();
    expectTypeOf<SimdOutOfMemoryError['requestedBytes']>().toBeNumber();
    expectTypeOf(isPerfError).guards.toEqualTypeOf<PerfError>();
    expectTypeOf(SimdError.is).guards.toEqualTypeOf<SimdError>();
  });
});
