import { Counter } from './counter.js';
import { Gauge } from './gauge.js';
import {
  negotiateFormat,
  OPENMETRICS_CONTENT_TYPE,
  PROMETHEUS_CONTENT_TYPE,
} from './exposition.js';
import { HistogramMetric, type HistogramSeries } from './histogram-metric.js';
import { SummaryMetric } from './summary-metric.js';
import { formatTable } from './internal/table.js';
import { checkFunction, checkOptions, describe, isThenable } from './internal/validate.js';
import type {
  Exposition,
  HistogramMetricOptions,
  Labels,
  MetricOptions,
  MonitorOptions,
  MonitorSummary,
  SummaryFormatOptions,
  SummaryMetricOptions,
} from './types.js';

type Metric = Counter | Gauge | HistogramMetric | SummaryMetric;

/** Matches no name, not even `undefined` passed by mistake. */
const NO_NAME = Symbol('none');

/**
 * A registry of counters, gauges and histograms by name and labels, with timing helpers,
 * a data summary, an aligned text table and Prometheus text exposition.
 *
 * Durations from `measure()` and timers are recorded in **microseconds** (fractions
 * truncated by the histogram, exact in `_sum`) and exposed to Prometheus in seconds.
 */
export class Monitor {
  readonly #metrics = new Map<string, Metric>();
  readonly #collectors: ((format: 'text' | 'openmetrics') => string)[] = [];
  readonly #onCollect: (() => void)[] = [];
  readonly #now: () => number;
  readonly #histogramDefaults: HistogramMetricOptions;
  /**
   * One-entry cache of measure()'s unlabelled series: a hot loop measures the same name
   * again and again, and a series never changes identity once created (reset keeps it).
   */
  #lastName: string | symbol = NO_NAME;
  #lastSeries: HistogramSeries | undefined;

  constructor(options: MonitorOptions = {}) {
    checkOptions('options', options);
    const now = options.now ?? performance.now.bind(performance);
    checkFunction('now', now);
    this.#now = now;
    checkOptions('histogram', options.histogram);
    this.#histogramDefaults = options.histogram ?? {};
  }

  /** The counter `name`, created on first use. */
  counter(name: string, options?: MetricOptions): Counter {
    return this.#get(name, Counter, () => new Counter(name, options), options);
  }

  /** The gauge `name`, created on first use. */
  gauge(name: string, options?: MetricOptions): Gauge {
    return this.#get(name, Gauge, () => new Gauge(name, options), options);
  }

  /** The histogram `name`, created on first use with the monitor's histogram defaults. */
  histogram(name: string, options?: HistogramMetricOptions): HistogramMetric {
    return this.#get(
      name,
      HistogramMetric,
      () => new HistogramMetric(name, { ...this.#histogramDefaults, ...options }, this.#now),
      options,
    );
  }

  /**
   * The summary metric `name` (Prometheus type `summary`: quantiles computed here, `_sum`,
   * `_count`), created on first use. Prefer a histogram when series are aggregated across
   * processes; summaries cannot be.
   */
  summaryMetric(name: string, options?: SummaryMetricOptions): SummaryMetric {
    return this.#get(name, SummaryMetric, () => new SummaryMetric(name, options), options);
  }

  /**
   * Runs `fn` and records its duration in microseconds into histogram `name` (with `labels`),
   * also when it throws or its promise rejects. Returns what `fn` returns, the same promise
   * type for async functions. The sync path allocates nothing.
   */
  measure<T>(name: string, fn: () => T, labels?: Labels): T {
    const series =
      labels === undefined && name === this.#lastName
        ? this.#lastSeries!
        : this.#series(name, labels);
    if (typeof fn !== 'function') checkFunction('fn', fn);
    const start = this.#now();
    let result: T;
    try {
      result = fn();
    } catch (error) {
      series.observe((this.#now() - start) * 1000);
      throw error;
    }
    if (isThenable(result)) {
      const done = () => series.observe((this.#now() - start) * 1000);
      return result.then(
        (value) => {
          done();
          return value;
        },
        (error: unknown) => {
          done();
          throw error;
        },
      ) as T;
    }
    series.observe((this.#now() - start) * 1000);
    return result;
  }

  /** Starts a timer on histogram `name`; the returned function records and returns elapsed µs. */
  startTimer(name: string, labels?: Labels): () => number {
    return this.#series(name, labels).startTimer();
  }

  /** Every series as plain data (histogram values in their recorded unit). */
  summary(): MonitorSummary {
    const out = { counters: [], gauges: [], histograms: [] } as {
      -readonly [K in keyof MonitorSummary]: MonitorSummary[K][number][];
    };
    for (const m of this.#metrics.values()) {
      if (m instanceof Counter) out.counters.push(...m.summarize());
      else if (m instanceof Gauge) out.gauges.push(...m.summarize());
      else if (m instanceof HistogramMetric) out.histograms.push(...m.summarize());
    }
    return out;
  }

  /**
   * An aligned text table: one row per histogram series (count, mean, min, P50, P95, P99,
   * P99.9, max), then one per counter and gauge series.
   */
  formatSummary(options?: SummaryFormatOptions): string {
    return formatTable(this.summary(), options);
  }

  /** Prometheus text exposition format (version 0.0.4) of every metric. */
  toPrometheus(): string {
    this.#collect();
    let out = '';
    for (const m of this.#metrics.values()) out += m.expose('text');
    for (const c of this.#collectors) out += c('text');
    return out;
  }

  /**
   * OpenMetrics 1.0 text of every metric: counters as `<family>_total` with `_created`,
   * histograms and summaries with `_created`, histogram buckets with their latest exemplar,
   * and the closing `# EOF`.
   */
  toOpenMetrics(): string {
    this.#collect();
    let out = '';
    for (const m of this.#metrics.values()) out += m.expose('openmetrics');
    for (const c of this.#collectors) out += c('openmetrics');
    return `${out}# EOF\n`;
  }

  /**
   * The exposition a scraper asked for with its `Accept` header (OpenMetrics when it accepts
   * `application/openmetrics-text`, else the classic text), with its content type: serve
   * `body` with `Content-Type: contentType`.
   */
  exposition(accept?: string | null): Exposition {
    const format = negotiateFormat(accept);
    return format === 'openmetrics'
      ? { format, contentType: OPENMETRICS_CONTENT_TYPE, body: this.toOpenMetrics() }
      : { format, contentType: PROMETHEUS_CONTENT_TYPE, body: this.toPrometheus() };
  }

  /**
   * Calls `fn` before every exposition (`toPrometheus`, `toOpenMetrics`, `exposition`), so
   * gauges read at scrape time are fresh (heap size, event-loop utilisation…). Returns a
   * function that removes it.
   */
  onCollect(fn: () => void): () => void {
    checkFunction('fn', fn);
    this.#onCollect.push(fn);
    return () => {
      const i = this.#onCollect.indexOf(fn);
      if (i >= 0) this.#onCollect.splice(i, 1);
    };
  }

  #collect(): void {
    for (const fn of this.#onCollect) fn();
  }

  /**
   * Adds text rendered after the registry's own metrics on every exposition, e.g. a
   * {@link SharedRegistry}: `monitor.addCollector((format) => shared.expose(format))`. It must
   * render whole families in the format asked for, without `# EOF`.
   */
  addCollector(render: (format: 'text' | 'openmetrics') => string): void {
    this.#collectors.push(render);
  }

  /** Zeroes every series; keeps the metrics, their series and label sets. */
  reset(): void {
    for (const m of this.#metrics.values()) m.reset();
  }

  #series(name: string, labels: Labels | undefined): HistogramSeries {
    const family = this.#metrics.get(name);
    // First use through measure()/startTimer(): the labels given name the label set.
    const h =
      family instanceof HistogramMetric
        ? family
        : this.histogram(
            name,
            labels === undefined ? undefined : { labelNames: Object.keys(labels) },
          );
    if (labels !== undefined) return h.labels(labels);
    const series = h.get();
    this.#lastName = name;
    this.#lastSeries = series;
    return series;
  }

  #get<M extends Metric>(
    name: string,
    kind: abstract new (...args: never[]) => M,
    create: () => M,
    options: MetricOptions | undefined,
  ): M {
    const existing = this.#metrics.get(name);
    if (existing === undefined) {
      const m = create();
      this.#metrics.set(name, m);
      return m;
    }
    if (!(existing instanceof kind)) {
      throw new TypeError(
        `Expected metric "${name}" to be a ${kind.name}, but it is registered as a ${existing.constructor.name}`,
      );
    }
    const wanted = options?.labelNames;
    if (wanted !== undefined && String(wanted) !== String(existing.labelNames)) {
      throw new TypeError(
        `Expected labelNames of "${name}" to match its registration [${existing.labelNames.join(', ')}], got ${describe(wanted)}`,
      );
    }
    return existing;
  }
}
