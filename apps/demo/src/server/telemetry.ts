/**
 * perf-kv's own numbers, all through @perf/monitor: a latency histogram per route (recorded in
 * microseconds, exposed in seconds), request and byte counters, GC pauses from
 * PerformanceObserver, and a one-second window that feeds the dashboard's live charts.
 */
import { type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { type CounterSeries, Histogram, type HistogramSeries, Monitor } from '@perf/monitor';

/** Prometheus buckets from 50 µs to 10 s, in microseconds. */
const BUCKETS_US = [
  50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000,
  1_000_000, 10_000_000,
];

export interface WindowSnapshot {
  t: number;
  rps: number;
  latencyMs: { p50: number; p95: number; p99: number; p999: number };
}

export class Telemetry {
  readonly monitor = new Monitor();
  readonly #latency = this.monitor.histogram('perf_kv_request_duration_seconds', {
    help: 'Time from request received to response sent, by route',
    labelNames: ['route'],
    buckets: BUCKETS_US,
  });
  readonly #requests = this.monitor.counter('perf_kv_requests_total', {
    help: 'Requests answered, by route and status class',
    labelNames: ['route', 'status'],
  });
  readonly #bytesIn = this.monitor.counter('perf_kv_compression_input_bytes_total', {
    help: 'Response bytes before compression (compressed responses only)',
  });
  readonly #bytesOut = this.monitor.counter('perf_kv_compression_output_bytes_total', {
    help: 'Response bytes after compression',
  });
  readonly #compressed = this.monitor.counter('perf_kv_compressed_responses_total', {
    help: 'Responses sent compressed',
  });
  readonly #gcPauses = this.monitor.histogram('perf_kv_gc_pause_seconds', {
    help: 'Garbage-collection pauses of the server process',
    buckets: [100, 500, 1_000, 5_000, 10_000, 50_000, 100_000],
  });
  /** Series resolved once per route: the hot path does no label lookup and no allocation. */
  readonly #routes = new Map<
    string,
    { latency: HistogramSeries; byClass: (CounterSeries | undefined)[] }
  >();
  #window = new Histogram({ lowest: 1, highest: 60_000_000, significantDigits: 2 });
  #windowCount = 0;
  #windowStart = performance.now();
  readonly #gcObserver: PerformanceObserver;
  gcCount = 0;
  gcTotalMs = 0;
  gcMaxMs = 0;

  constructor() {
    this.#gcObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries() as PerformanceEntry[]) {
        this.gcCount++;
        this.gcTotalMs += e.duration;
        this.gcMaxMs = Math.max(this.gcMaxMs, e.duration);
        this.#gcPauses.observe(Math.max(1, e.duration * 1000));
      }
    });
    this.#gcObserver.observe({ entryTypes: ['gc'] });
  }

  /** Records one answered request. */
  request(route: string, status: number, micros: number): void {
    const us = Math.max(1, micros);
    let r = this.#routes.get(route);
    if (r === undefined) {
      r = { latency: this.#latency.labels({ route }), byClass: [] };
      this.#routes.set(route, r);
    }
    r.latency.observe(us);
    const cls = (status / 100) | 0;
    const counter = (r.byClass[cls] ??= this.#requests.labels({ route, status: `${cls}xx` }));
    counter.inc();
    this.#window.record(us);
    this.#windowCount++;
  }

  compressed(before: number, after: number): void {
    this.#compressed.inc();
    this.#bytesIn.inc(before);
    this.#bytesOut.inc(after);
  }

  compression(): { responses: number; bytesIn: number; bytesOut: number; bytesSaved: number } {
    const bytesIn = this.#bytesIn.get();
    const bytesOut = this.#bytesOut.get();
    return { responses: this.#compressed.get(), bytesIn, bytesOut, bytesSaved: bytesIn - bytesOut };
  }

  /** Closes the current window (call about once a second) and returns its figures. */
  takeWindow(): WindowSnapshot {
    const now = performance.now();
    const secs = Math.max(0.001, (now - this.#windowStart) / 1000);
    const h = this.#window;
    const q = (p: number) => (h.count ? h.percentile(p) / 1000 : 0);
    const snap = {
      t: Date.now(),
      rps: this.#windowCount / secs,
      latencyMs: { p50: q(50), p95: q(95), p99: q(99), p999: q(99.9) },
    };
    h.reset();
    this.#windowCount = 0;
    this.#windowStart = now;
    return snap;
  }

  /** Per-route latency summaries in milliseconds, for `/stats`. */
  routes(): Record<string, { count: number; p50: number; p95: number; p99: number; p999: number }> {
    const out: Record<
      string,
      { count: number; p50: number; p95: number; p99: number; p999: number }
    > = {};
    for (const s of this.#latency.series()) {
      const h = s.histogram;
      out[String(s.labels.route)] = {
        count: h.count,
        p50: h.percentile(50) / 1000,
        p95: h.percentile(95) / 1000,
        p99: h.percentile(99) / 1000,
        p999: h.percentile(99.9) / 1000,
      };
    }
    return out;
  }

  prometheus(): string {
    return this.monitor.toPrometheus();
  }

  close(): void {
    this.#gcObserver.disconnect();
  }
}
