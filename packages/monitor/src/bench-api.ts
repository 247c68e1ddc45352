/**
 * @packageDocumentation
 * `@perf/monitor/bench`: the one benchmark harness of every `@perf` package. Interleaved rounds,
 * a CPU-time clock for synchronous cases, a blackhole, calibration, bootstrap confidence
 * intervals, per-call and throughput (`ops` per batch) modes, baselines and regression
 * detection, one ratio convention ("× faster than the baseline row") and a machine record
 * (Node, CPU, cores, load average, date) in every report.
 *
 * @module @perf/monitor/bench
 */

export { compareReports, loadBaseline, saveBaseline } from './baseline.js';
export {
  barChartFromReports,
  barChartSvg,
  lineChartSvg,
  runId,
  writeChart,
} from './chart.js';
export { Bench } from './bench.js';
export { BaselineError, BenchCaseError } from './errors.js';
export { formatMachine, machine } from './machine.js';
export {
  formatDuration,
  formatRatio,
  markdownTable,
  nsPerOp,
  timesFaster,
  toMarkdown,
  toSvg,
} from './report.js';
export { benchOptionsFromEnv } from './bench-env.js';
export { printBench, runSuites } from './bench-suites.js';
export type {
  BarChartData,
  BarSeries,
  ChartOptions,
  ChartSpec,
  LineChartData,
  LineSeries,
  ReportChartOptions,
} from './chart.js';
export type { Machine } from './machine.js';
export type { BenchCase, BenchSuite } from './bench-suites.js';
export type {
  BenchCaseOptions,
  BenchCaseResult,
  BenchOptions,
  BenchReport,
  CaseComparison,
  ChangeStatus,
  CompareOptions,
  Estimate,
  OutlierCounts,
  ReportOptions,
} from './types.js';
