// Type-level tests of the public API from source (checked by `pnpm typecheck`; at run time
// expectTypeOf is a no-op). The built ESM/CJS entry points are checked in tests/repo/types.
import { describe, expectTypeOf, it } from 'vitest';
import * as harness from '../src/bench-api.js';
import {
  type Bench,
  type BenchCaseResult,
  type BenchReport,
  type Counter,
  Histogram,
  type HistogramSummary,
  isPerfError,
  type MonitorError,
  type PerfError,
  profile,
} from '../src/index.js';

describe('public API types', () => {
  it('histograms, metrics and profiling', () => {
    expectTypeOf(new Histogram().summary()).toEqualTypeOf<HistogramSummary>();
    expectTypeOf(new Histogram().encode()).toBeString();
    expectTypeOf<Counter['inc']>().toBeFunction();
    expectTypeOf(profile(() => 7))
      .resolves.toHaveProperty('result')
      .toEqualTypeOf<number>();
  });

  it('errors share the @perf base', () => {
    expectTypeOf<MonitorError>().toExtend<PerfError>();
    expectTypeOf(isPerfError).guards.toEqualTypeOf<PerfError>();
    expectTypeOf(isPerfError).parameter(1).toEqualTypeOf<string | undefined>();
  });

  it('the harness entry exports the same Bench and report types', () => {
    expectTypeOf(harness.Bench).toEqualTypeOf<typeof Bench>();
    expectTypeOf<harness.BenchReport>().toEqualTypeOf<BenchReport>();
    expectTypeOf<BenchCaseResult['opsPerIteration']>().toEqualTypeOf<number | undefined>();
    expectTypeOf(harness.timesFaster).returns.toBeNumber();
    expectTypeOf(harness.benchOptionsFromEnv).returns.toHaveProperty('time');
  });
});
