/**
 * @packageDocumentation
 * Latency histograms (P50…P99.9), counters, Prometheus text, and a benchmark harness with regression detection.
 *
 * @module @perf/monitor
 */

export { MonitorError } from './errors.js';
