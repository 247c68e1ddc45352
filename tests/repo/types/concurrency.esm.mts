// @perf/concurrency's public API as an ESM consumer sees it (dist/index.d.ts).
import {
  type AbortError,
  type ClosedError,
  isPerfError,
  type Limit,
  limit,
  limitFunction,
  type PerfError,
  parSort,
  type TaskContext,
  type TaskTerminatedError,
  WorkerPool,
  type WorkerPoolOptions,
} from '@perf/concurrency';
import { expectTypeOf } from 'vitest';

expectTypeOf(limit({ concurrency: 2, rejectOnClear: true })).toEqualTypeOf<Limit>();
expectTypeOf(limit(2)(async (x: number) => x * 2, 1)).toEqualTypeOf<Promise<number>>();
expectTypeOf(limitFunction(async (s: string) => s, 1)).returns.toEqualTypeOf<Promise<string>>();
expectTypeOf(limitFunction(async () => 1, 1).clearQueue).toEqualTypeOf<() => void>();
expectTypeOf(parSort(new Float64Array(2))).toEqualTypeOf<Promise<Float64Array<ArrayBuffer>>>();
expectTypeOf(new WorkerPool().run<string>(0)).toEqualTypeOf<Promise<string>>();
expectTypeOf<TaskContext['signal']>().toEqualTypeOf<AbortSignal>();
expectTypeOf<NonNullable<WorkerPoolOptions['onTaskTerminated']>>()
  .parameter(0)
  .toEqualTypeOf<TaskTerminatedError>();
expectTypeOf<AbortError>().toExtend<PerfError>();
expectTypeOf<ClosedError['what']>().toBeString();
expectTypeOf(isPerfError).guards.toEqualTypeOf<PerfError>();
// @ts-expect-error `concurrency` is a number
limit({ concurrency: '2' });
