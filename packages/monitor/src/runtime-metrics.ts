// Node.js runtime metrics under the names prom-client's default metrics use, so existing
// Grafana dashboards for Node.js processes work unchanged: event-loop lag (gauges from
// perf_hooks.monitorEventLoopDelay, plus a histogram from our own sampler), event-loop
// utilisation, GC pauses by kind, heap and heap spaces, resident memory and CPU time.

import {
  constants,
  type IntervalHistogram,
  monitorEventLoopDelay,
  PerformanceObserver,
  performance,
} from 'node:perf_hooks';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import { checkInteger, checkOptions } from './internal/validate.js';
import type { Monitor } from './monitor.js';

/** Options of {@link collectRuntimeMetrics}. */
export interface RuntimeMetricsOptions {
  /** Prefix put before every name (prom-client's `prefix`). @defaultValue '' */
  prefix?: string;
  /** Sampling interval of the event-loop delay, in milliseconds. @defaultValue 10 */
  resolutionMs?: number;
}

/** What {@link collectRuntimeMetrics} returns. */
export interface RuntimeMetrics {
  /** Stops the samplers and observers (the metrics stay registered with their last values). */
  stop(): void;
}

/** GC kinds as prom-client labels them. */
const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};
/** prom-client's GC buckets (0.001 … 5 s), in µs. */
const GC_BUCKETS_US = [1_000, 10_000, 100_000, 1_000_000, 2_000_000, 5_000_000];
/** Event-loop delay buckets, 1 ms … 10 s, in µs. */
const LAG_BUCKETS_US = [
  1_000, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 10_000_000,
];

/**
 * Registers Node.js runtime metrics on `monitor` and keeps them current (gauges refresh on
 * every exposition through `monitor.onCollect`):
 *
 * - `nodejs_eventloop_lag_seconds` and `nodejs_eventloop_lag_{min,max,mean,stddev,p50,p90,p99}_seconds`
 *   (gauges, from `monitorEventLoopDelay`, reset after each scrape as prom-client does);
 * - `nodejs_eventloop_delay_seconds` (histogram of the lag of a timer firing every `resolutionMs`);
 * - `nodejs_eventloop_utilization_ratio` (gauge: busy share of the loop since the last scrape);
 * - `nodejs_gc_duration_seconds{kind}` (histogram: `minor`, `major`, `incremental`, `weakcb`);
 * - `nodejs_heap_size_total_bytes`, `nodejs_heap_size_used_bytes`, `nodejs_external_memory_bytes`,
 *   `nodejs_heap_space_size_{total,used,available}_bytes{space}`, `process_resident_memory_bytes`;
 * - `process_cpu_user_seconds_total`, `process_cpu_system_seconds_total`, `process_start_time_seconds`.
 */
export function collectRuntimeMetrics(
  monitor: Monitor,
  options: RuntimeMetricsOptions = {},
): RuntimeMetrics {
  checkOptions('options', options);
  const prefix = options.prefix ?? '';
  if (typeof prefix !== 'string') throw new TypeError('Expected `prefix` to be a string');
  const resolution = checkInteger('resolutionMs', options.resolutionMs ?? 10, 1, 60_000);
  const n = (name: string) => `${prefix}${name}`;
  const gauge = (name: string, help: string, labelNames?: string[]) =>
    monitor.gauge(n(name), labelNames ? { help, labelNames } : { help });

  // Event-loop lag gauges (prom-client's names), from Node's own sampler.
  const elDelay: IntervalHistogram = monitorEventLoopDelay({ resolution });
  elDelay.enable();
  const lag = {
    lag: gauge('nodejs_eventloop_lag_seconds', 'Lag of event loop in seconds.'),
    min: gauge('nodejs_eventloop_lag_min_seconds', 'The minimum recorded event loop delay.'),
    max: gauge('nodejs_eventloop_lag_max_seconds', 'The maximum recorded event loop delay.'),
    mean: gauge('nodejs_eventloop_lag_mean_seconds', 'The mean of the recorded event loop delays.'),
    stddev: gauge(
      'nodejs_eventloop_lag_stddev_seconds',
      'The standard deviation of the recorded event loop delays.',
    ),
    p50: gauge(
      'nodejs_eventloop_lag_p50_seconds',
      'The 50th percentile of the recorded event loop delays.',
    ),
    p90: gauge(
      'nodejs_eventloop_lag_p90_seconds',
      'The 90th percentile of the recorded event loop delays.',
    ),
    p99: gauge(
      'nodejs_eventloop_lag_p99_seconds',
      'The 99th percentile of the recorded event loop delays.',
    ),
  };

  // The delay histogram: a timer due every `resolution` ms records how late it fired.
  const delay = monitor.histogram(n('nodejs_eventloop_delay_seconds'), {
    help: 'Event loop delay: how late a timer due every resolution ms fired, in seconds.',
    buckets: LAG_BUCKETS_US,
  });
  const delaySeries = delay.get();
  let due = performance.now() + resolution;
  let lastLagMs = 0;
  const tick = () => {
    const now = performance.now();
    lastLagMs = Math.max(0, now - due);
    delaySeries.observe(lastLagMs * 1000);
    due = now + resolution;
    timer = setTimeout(tick, resolution);
    timer.unref();
  };
  let timer = setTimeout(tick, resolution);
  timer.unref();

  // Event-loop utilisation since the previous scrape.
  const elu = gauge(
    'nodejs_eventloop_utilization_ratio',
    'Share of time the event loop was busy since the previous scrape (0–1).',
  );
  let lastElu = performance.eventLoopUtilization();

  // GC pauses by kind.
  const gc = monitor.histogram(n('nodejs_gc_duration_seconds'), {
    help: 'Garbage collection duration by kind, one of major, minor, incremental or weakcb.',
    labelNames: ['kind'],
    buckets: GC_BUCKETS_US,
  });
  const gcSeries = new Map(
    Object.entries(GC_KINDS).map(([k, v]) => [Number(k), gc.labels({ kind: v })]),
  );
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as { detail?: { kind?: number } }).detail?.kind;
      const series = kind === undefined ? undefined : gcSeries.get(kind);
      series?.observe(Math.max(0, e.duration * 1000));
    }
  });
  observer.observe({ entryTypes: ['gc'] });

  // Memory and CPU.
  const heapTotal = gauge(
    'nodejs_heap_size_total_bytes',
    'Process heap size from Node.js in bytes.',
  );
  const heapUsed = gauge(
    'nodejs_heap_size_used_bytes',
    'Process heap size used from Node.js in bytes.',
  );
  const external = gauge('nodejs_external_memory_bytes', 'Node.js external memory size in bytes.');
  const spaceTotal = gauge(
    'nodejs_heap_space_size_total_bytes',
    'Process heap space size total from Node.js in bytes.',
    ['space'],
  );
  const spaceUsed = gauge(
    'nodejs_heap_space_size_used_bytes',
    'Process heap space size used from Node.js in bytes.',
    ['space'],
  );
  const spaceAvailable = gauge(
    'nodejs_heap_space_size_available_bytes',
    'Process heap space size available from Node.js in bytes.',
    ['space'],
  );
  const rss = gauge('process_resident_memory_bytes', 'Resident memory size in bytes.');
  const cpuUser = monitor.counter(n('process_cpu_user_seconds_total'), {
    help: 'Total user CPU time spent in seconds.',
  });
  const cpuSystem = monitor.counter(n('process_cpu_system_seconds_total'), {
    help: 'Total system CPU time spent in seconds.',
  });
  gauge('process_start_time_seconds', 'Start time of the process since unix epoch in seconds.').set(
    Math.round((Date.now() - process.uptime() * 1000) / 1000),
  );
  let lastCpu = { user: 0, system: 0 };

  const collect = () => {
    const s = 1e-9; // perf_hooks histograms are in ns
    lag.lag.set(lastLagMs / 1000);
    if (elDelay.count > 0) {
      lag.min.set(elDelay.min * s);
      lag.max.set(elDelay.max * s);
      lag.mean.set(elDelay.mean * s);
      lag.stddev.set(elDelay.stddev * s);
      lag.p50.set(elDelay.percentile(50) * s);
      lag.p90.set(elDelay.percentile(90) * s);
      lag.p99.set(elDelay.percentile(99) * s);
    }
    elDelay.reset();
    const nowElu = performance.eventLoopUtilization();
    elu.set(performance.eventLoopUtilization(nowElu, lastElu).utilization);
    lastElu = nowElu;
    const heap = getHeapStatistics();
    heapTotal.set(heap.total_heap_size);
    heapUsed.set(heap.used_heap_size);
    external.set(process.memoryUsage().external);
    for (const sp of getHeapSpaceStatistics()) {
      const labels = { space: sp.space_name.replace(/_space$/, '') };
      spaceTotal.labels(labels).set(sp.space_size);
      spaceUsed.labels(labels).set(sp.space_used_size);
      spaceAvailable.labels(labels).set(sp.space_available_size);
    }
    rss.set(process.memoryUsage.rss());
    const cpu = process.cpuUsage();
    cpuUser.inc(Math.max(0, cpu.user - lastCpu.user) / 1e6);
    cpuSystem.inc(Math.max(0, cpu.system - lastCpu.system) / 1e6);
    lastCpu = cpu;
  };
  const off = monitor.onCollect(collect);
  return {
    stop() {
      clearTimeout(timer);
      elDelay.disable();
      observer.disconnect();
      off();
    },
  };
}
