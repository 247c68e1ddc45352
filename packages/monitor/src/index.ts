/**
 * @packageDocumentation
 * Latency histograms (P50…P99.9), counters, Prometheus text, and a benchmark harness with regression detection.
 *
 * @module @perf/monitor
 */

export { amdahl, amdahlParallelFraction } from './amdahl.js';
export { compareReports, loadBaseline, saveBaseline } from './baseline.js';
export { Bench } from './bench.js';
export { Counter, CounterSeries } from './counter.js';
export {
  BaselineError,
  BenchCaseError,
  CorruptHistogramError,
  isPerfError,
  MonitorError,
  PerfError,
  ProfilerError,
} from './errors.js';
export {
  negotiateFormat,
  OPENMETRICS_CONTENT_TYPE,
  PROMETHEUS_CONTENT_TYPE,
} from './exposition.js';
export { Gauge, GaugeSeries } from './gauge.js';
export { Histogram, STANDARD_PERCENTILES } from './histogram.js';
export { DEFAULT_BUCKETS_US, HistogramMetric, HistogramSeries } from './histogram-metric.js';
export { Monitor } from './monitor.js';
export { profile, startProfiling, writeCpuProfile } from './profile.js';
export { collectRuntimeMetrics } from './runtime-metrics.js';
export { formatDuration, toMarkdown, toSvg } from './report.js';
export { checkSla, SEED_SLA_TARGETS } from './sla.js';
export {
  SharedCounter,
  SharedGauge,
  SharedHistogram,
  SharedRegistry,
  SharedSeriesSet,
} from './shared-registry.js';
export { SummaryMetric, SummarySeries } from './summary-metric.js';
export { WindowedHistogram } from './windowed-histogram.js';
export type { RuntimeMetrics, RuntimeMetricsOptions } from './runtime-metrics.js';
export type {
  SharedHistogramOptions,
  SharedMetricLayout,
  SharedMetricOptions,
  SharedRegistryDescriptor,
  SharedRegistryOptions,
} from './shared-registry.js';
export type {
  BenchCaseOptions,
  BenchCaseResult,
  BenchOptions,
  BenchReport,
  CaseComparison,
  ChangeStatus,
  CompareOptions,
  CpuProfile,
  Estimate,
  Exposition,
  HistogramBucket,
  HistogramMetricOptions,
  HistogramOptions,
  HistogramSeriesSummary,
  HistogramSummary,
  Labels,
  MetricOptions,
  MonitorOptions,
  MonitorSummary,
  OutlierCounts,
  PercentileValue,
  ProfileOptions,
  Profiler,
  ProfileResult,
  ReportOptions,
  SlaOptions,
  SlaReport,
  SlaTarget,
  SlaTargetResult,
  SummaryFormatOptions,
  SummaryMetricOptions,
  ValueSeriesSummary,
  WindowedHistogramOptions,
} from './types.js';
