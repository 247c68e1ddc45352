// @perf/simd's public API as a CommonJS consumer sees it (dist/index.d.cts). vitest is
// ESM-only: its types are imported with resolution-mode "import"; this file is never run.
import type { expectTypeOf as ExpectTypeOf } from 'vitest' with { 'resolution-mode': 'import' };
import simd = require('@perf/simd');

declare const expectTypeOf: typeof ExpectTypeOf;

expectTypeOf(simd.createSimd).returns.toEqualTypeOf<simd.Simd>();
expectTypeOf(simd.topK).returns.toEqualTypeOf<Int32Array>();
expectTypeOf<simd.SimdError>().toExtend<simd.PerfError>();
expectTypeOf(simd.isPerfError).guards.toEqualTypeOf<simd.PerfError>();
