/**
 * @packageDocumentation
 * Latency histograms (P50…P99.9), counters, Prometheus text, and a benchmark harness with regression detection.
 *
 * @module @perf/monitor
 */

export {
  BaselineError,
  BenchCaseError,
  CorruptHistogramError,
  MonitorError,
  ProfilerError,
} from './errors.js';
export { Histogram, STANDARD_PERCENTILES } from './histogram.js';
export type {
  HistogramBucket,
  HistogramOptions,
  HistogramSummary,
  PercentileValue,
} from './types.js';
