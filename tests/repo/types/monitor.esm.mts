// @perf/monitor's public API as an ESM consumer sees it (dist/index.d.ts, dist/bench.d.ts).
// Copy this pattern for another package: <name>.esm.mts and <name>.cjs.cts beside it.
import {
  Bench,
  type BenchReport,
  Histogram,
  isPerfError,
  Monitor,
  MonitorError,
  type PerfError,
  SharedRegistry,
  collectRuntimeMetrics,
  type Exposition,
} from '@perf/monitor';
import * as harness from '@perf/monitor/bench';
import { expectTypeOf } from 'vitest';

// Histograms and the registry.
expectTypeOf(new Histogram().percentile(99)).toBeNumber();
expectTypeOf(Histogram.decode).parameter(0).toBeString();
expectTypeOf(new Monitor().toPrometheus()).toBeString();
expectTypeOf(new Monitor().measure('op', () => 42)).toEqualTypeOf<number>();
expectTypeOf(new Monitor().measure('op', async () => 'x')).toEqualTypeOf<Promise<string>>();

// Errors: the shared base and its brand check.
expectTypeOf<MonitorError>().toExtend<PerfError>();
expectTypeOf<MonitorError['code']>().toBeString();
expectTypeOf(isPerfError).guards.toEqualTypeOf<PerfError>();
expectTypeOf(MonitorError.is).guards.toEqualTypeOf<MonitorError>();

// The harness, from the main entry and from its subpath.
expectTypeOf(new Bench('b').add('x', () => 1, { ops: 10 })).toEqualTypeOf<Bench>();
expectTypeOf<ReturnType<Bench['run']>>().resolves.toEqualTypeOf<BenchReport>();
expectTypeOf(new harness.Bench('b').run()).resolves.toExtend<harness.BenchReport>();
expectTypeOf(harness.toMarkdown).parameter(1).toEqualTypeOf<harness.ReportOptions | undefined>();
expectTypeOf(harness.machine().loadavg).toEqualTypeOf<readonly number[] | undefined>();
expectTypeOf(harness.markdownTable).returns.toBeString();
// @ts-expect-error `ops` is a number of operations per call
new harness.Bench('b').add('x', () => 1, { ops: '10' });

// Exposition, shared-memory and runtime metrics.
expectTypeOf(new Monitor().exposition('application/openmetrics-text')).toEqualTypeOf<Exposition>();
expectTypeOf<Exposition['format']>().toEqualTypeOf<'text' | 'openmetrics'>();
expectTypeOf(new Monitor().toOpenMetrics()).toBeString();
expectTypeOf(new SharedRegistry().counter('x_total').get().inc).parameters.toEqualTypeOf<
  [by?: number]
>();
expectTypeOf(SharedRegistry.attach).returns.toEqualTypeOf<SharedRegistry>();
expectTypeOf(collectRuntimeMetrics(new Monitor()).stop).toBeFunction();

// Charts.
expectTypeOf(harness.barChartSvg).returns.toBeString();
expectTypeOf(harness.writeChart).returns.resolves.toBeString();
expectTypeOf<harness.BarChartData['series'][number]['values']>().toEqualTypeOf<
  readonly (number | null)[]
>();
