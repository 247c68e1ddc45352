// @perf/concurrency's public API as a CommonJS consumer sees it (dist/index.d.cts).
// vitest is ESM-only: its types are imported with resolution-mode "import"; this file is only
// type-checked, never run.
import type { expectTypeOf as ExpectTypeOf } from 'vitest' with { 'resolution-mode': 'import' };
import concurrency = require('@perf/concurrency');

declare const expectTypeOf: typeof ExpectTypeOf;

expectTypeOf(concurrency.limit(2)).toEqualTypeOf<concurrency.Limit>();
expectTypeOf(
  concurrency.limitFunction(async (n: number) => n, { concurrency: 1 }),
).returns.toEqualTypeOf<Promise<number>>();
expectTypeOf(concurrency.parSort(new Int32Array(2))).toEqualTypeOf<
  Promise<Int32Array<ArrayBuffer>>
>();
expectTypeOf<concurrency.TaskContext['signal']>().toEqualTypeOf<AbortSignal>();
expectTypeOf<concurrency.TaskTerminatedError>().toExtend<concurrency.PerfError>();
expectTypeOf(concurrency.isPerfError).guards.toEqualTypeOf<concurrency.PerfError>();
