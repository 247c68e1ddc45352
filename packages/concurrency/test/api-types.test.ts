// Type-level tests of the public API from source (checked by `pnpm typecheck`; at run time
// expectTypeOf is a no-op). The built ESM/CJS entry points are checked in tests/repo/types.
import { describe, expectTypeOf, it } from 'vitest';
import {
  type AbortError,
  type ClosedError,
  type ConcurrencyError,
  isPerfError,
  type Limit,
  type LimitedFunction,
  type LimitOptions,
  limit,
  limitFunction,
  type PerfError,
  parMap,
  parSort,
  type QueueFullError,
  type TaskContext,
  type TaskTerminatedError,
  type WorkerPool,
  type WorkerPoolOptions,
} from '../src/index.js';

describe('public API types', () => {
  it('limit and limitFunction have p-limit 7 shapes', () => {
    expectTypeOf(limit).parameter(0).toEqualTypeOf<number | LimitOptions>();
    expectTypeOf(limit(2)).toEqualTypeOf<Limit>();
    expectTypeOf(limit(2)(async (x: number) => String(x), 1)).toEqualTypeOf<Promise<string>>();
    expectTypeOf(limit(2).map([1, 2], (x) => x * 2)).toEqualTypeOf<Promise<number[]>>();
    const limited = limitFunction(async (a: string, b: number) => a.length + b, { concurrency: 1 });
    expectTypeOf(limited).toEqualTypeOf<LimitedFunction<[string, number], number>>();
    expectTypeOf(limited).returns.toEqualTypeOf<Promise<number>>();
    expectTypeOf(limited.clearQueue).toEqualTypeOf<() => void>();
  });

  it('pool tasks get a signal, the pool reports runaways', () => {
    expectTypeOf<TaskContext['signal']>().toEqualTypeOf<AbortSignal>();
    expectTypeOf<WorkerPoolOptions['abortGrace']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<NonNullable<WorkerPoolOptions['onTaskTerminated']>>()
      .parameter(0)
      .toEqualTypeOf<TaskTerminatedError>();
    expectTypeOf<ReturnType<WorkerPool['run']>>().toEqualTypeOf<Promise<unknown>>();
  });

  it('parallel operations keep the array type', () => {
    expectTypeOf(parSort<Int32Array<ArrayBuffer>>).returns.toEqualTypeOf<
      Promise<Int32Array<ArrayBuffer>>
    >();
    expectTypeOf(parMap<Float64Array<ArrayBuffer>>).returns.toEqualTypeOf<
      Promise<Float64Array<ArrayBuffer>>
    >();
  });

  it('errors share the @perf base and shapes', () => {
    expectTypeOf<ConcurrencyError>().toExtend<PerfError>();
    expectTypeOf<AbortError>().toExtend<PerfError>();
    expectTypeOf<QueueFullError['capacity']>().toBeNumber();
    expectTypeOf<ClosedError['what']>().toBeString();
    expectTypeOf(isPerfError).guards.toEqualTypeOf<PerfError>();
  });
});
