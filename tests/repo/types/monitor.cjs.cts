// @perf/monitor's public API as a CommonJS consumer sees it (dist/index.d.cts, dist/bench.d.cts).
// vitest is ESM-only: its types are imported with resolution-mode "import"; this file is only
// type-checked, never run.
import type { expectTypeOf as ExpectTypeOf } from 'vitest' with { 'resolution-mode': 'import' };
import monitor = require('@perf/monitor');
import harness = require('@perf/monitor/bench');

declare const expectTypeOf: typeof ExpectTypeOf;

expectTypeOf(new monitor.Histogram().percentile(99)).toBeNumber();
expectTypeOf(new monitor.Monitor().toPrometheus()).toBeString();
expectTypeOf<monitor.MonitorError>().toExtend<monitor.PerfError>();
expectTypeOf(monitor.isPerfError).guards.toEqualTypeOf<monitor.PerfError>();
expectTypeOf(new harness.Bench('b').add('x', () => 1, { ops: 10 })).toEqualTypeOf<harness.Bench>();
expectTypeOf(new harness.Bench('b').run()).resolves.toExtend<harness.BenchReport>();
expectTypeOf(harness.formatMachine).parameter(0).toEqualTypeOf<harness.Machine>();
expectTypeOf(new monitor.Monitor().exposition(undefined).body).toBeString();
expectTypeOf(monitor.SharedRegistry.attach).returns.toEqualTypeOf<monitor.SharedRegistry>();
expectTypeOf(harness.lineChartSvg).returns.toBeString();
