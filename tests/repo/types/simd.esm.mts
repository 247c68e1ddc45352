// @perf/simd's public API as an ESM consumer sees it (dist/index.d.ts).
import {
  createSimd,
  hasDuplicates,
  isPerfError,
  type PerfError,
  type Simd,
  type SimdError,
  sum,
} from '@perf/simd';
import { expectTypeOf } from 'vitest';

expectTypeOf(createSimd).returns.toEqualTypeOf<Simd>();
expectTypeOf(createSimd().alloc(Float32Array, 4)).toExtend<Float32Array>();
expectTypeOf(sum).returns.toBeNumber();
expectTypeOf(hasDuplicates).returns.toBeBoolean();
expectTypeOf<SimdError>().toExtend<PerfError>();
expectTypeOf(isPerfError).guards.toEqualTypeOf<PerfError>();
// @ts-expect-error kernels take typed arrays, not strings
sum('abc');
