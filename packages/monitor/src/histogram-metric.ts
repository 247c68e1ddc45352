import { Histogram } from './histogram.js';
import { Family, type Format, wallClock } from './internal/family.js';
import {
  epochSeconds,
  formatValue,
  renderExemplarLabels,
  type SeriesKey,
} from './internal/labels.js';
import { checkNumber, describe } from './internal/validate.js';
import type {
  HistogramMetricOptions,
  HistogramOptions,
  HistogramSeriesSummary,
  Labels,
} from './types.js';

/** prom-client's default buckets (seconds), as microseconds: 5 ms … 10 s. */
export const DEFAULT_BUCKETS_US: readonly number[] = Object.freeze([
  5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000,
  10_000_000,
]);

/**
 * One labelled series of a {@link HistogramMetric}: an HdrHistogram for percentiles plus
 * exact cumulative Prometheus bucket counts and sum.
 */
export class HistogramSeries {
  /** The series' label values. */
  readonly labels: Labels;
  /** Every value observed, for percentiles, merging and encoding. */
  readonly histogram: Histogram;
  /** @internal */
  readonly rendered: string;
  /** Upper bounds, ascending, ending with +Infinity as a sentinel so the search always stops. */
  readonly #bounds: Float64Array;
  /** Per-bucket (not yet cumulative) counts; index i counts values in (bounds[i-1], bounds[i]]. */
  #buckets: Float64Array;
  #sum = 0;
  readonly #now: () => number;
  /**
   * The latest exemplar per bucket (OpenMetrics): its rendered label set, the value in the
   * recorded unit and when, in ms since the epoch. Allocated on the first exemplar only.
   */
  #exemplars: ({ labels: string; value: number; at: number } | undefined)[] | undefined;
  /** @internal When the series was created or last reset, ms since the epoch (`_created`). */
  created: number;

  /** @internal */
  constructor(key: SeriesKey, bounds: Float64Array, options: HistogramOptions, now: () => number) {
    this.labels = key.labels;
    this.rendered = key.rendered;
    this.histogram = new Histogram(options);
    this.#bounds = bounds;
    this.#buckets = new Float64Array(bounds.length);
    this.#now = now;
    this.created = wallClock.now();
  }

  /**
   * Records one value (microseconds for latencies); see {@link Histogram.record}. With
   * `exemplar` (e.g. `{ trace_id: 'a1b2' }`, at most 128 characters in all), the value is also
   * kept as its bucket's exemplar, exposed in OpenMetrics.
   */
  observe(value: number, exemplar?: Labels): void {
    const rendered = exemplar === undefined ? undefined : renderExemplarLabels(exemplar);
    this.histogram.record(value); // validates: throws before any state below changes
    const bounds = this.#bounds;
    let b = 0;
    while (value > bounds[b]!) b++;
    this.#buckets[b]!++;
    this.#sum += value;
    if (rendered !== undefined) {
      this.#exemplars ??= new Array(bounds.length).fill(undefined);
      this.#exemplars[b] = { labels: rendered, value, at: wallClock.now() };
    }
  }

  /** Starts a timer; calling the returned function records and returns the elapsed microseconds. */
  startTimer(): () => number {
    const start = this.#now();
    return () => {
      const us = (this.#now() - start) * 1000;
      this.observe(us);
      return us;
    };
  }

  /** Sum of the observed values (exact, unclamped). */
  get sum(): number {
    return this.#sum;
  }

  /** Cumulative counts per upper bound (the last is +Infinity, i.e. the count). */
  cumulativeCounts(): { le: number; count: number }[] {
    let running = 0;
    return Array.from(this.#bounds, (le, i) => ({ le, count: (running += this.#buckets[i]!) }));
  }

  /** @internal */
  reset(): void {
    this.histogram.reset();
    this.#buckets = new Float64Array(this.#bounds.length);
    this.#sum = 0;
    this.#exemplars = undefined;
    this.created = wallClock.now();
  }

  /** @internal Appends this series' bucket, sum and count lines (and, in OpenMetrics, exemplars and `_created`). */
  expose(name: string, les: readonly string[], scale: number, format: Format = 'text'): string {
    const sep = this.rendered ? `${this.rendered},` : '';
    const braces = this.rendered ? `{${this.rendered}}` : '';
    const exemplars = format === 'openmetrics' ? this.#exemplars : undefined;
    let out = '';
    let running = 0;
    for (let i = 0; i < les.length; i++) {
      running += this.#buckets[i]!;
      out += `${name}_bucket{${sep}le="${les[i]}"} ${running}`;
      const e = exemplars?.[i];
      if (e !== undefined) {
        out += ` # {${e.labels}} ${formatValue(Number((e.value * scale).toPrecision(12)))} ${epochSeconds(e.at)}`;
      }
      out += '\n';
    }
    out += `${name}_sum${braces} ${formatValue(this.#sum * scale)}\n${name}_count${braces} ${running}\n`;
    if (format === 'openmetrics') out += `${name}_created${braces} ${epochSeconds(this.created)}\n`;
    return out;
  }
}

/**
 * A latency (or any value) distribution by name and labels: HdrHistogram percentiles for
 * summaries and SLA checks, cumulative buckets for Prometheus.
 */
export class HistogramMetric extends Family<HistogramSeries> {
  readonly #bounds: Float64Array;
  readonly #les: readonly string[];
  readonly #scale: number;
  readonly #options: HistogramOptions;
  readonly #now: () => number;

  /** @internal */
  constructor(name: string, options: HistogramMetricOptions | undefined, now: () => number) {
    super(name, options, ['le']);
    const buckets = options?.buckets ?? DEFAULT_BUCKETS_US;
    if (!Array.isArray(buckets)) {
      throw new TypeError(
        `Expected \`buckets\` to be an array of numbers, got ${describe(buckets)}`,
      );
    }
    for (let i = 0; i < buckets.length; i++) {
      checkNumber('buckets[i]', buckets[i], Number.NEGATIVE_INFINITY, Number.MAX_VALUE);
      if (i > 0 && !(buckets[i]! > buckets[i - 1]!)) {
        throw new RangeError(
          `Expected \`buckets\` to be strictly ascending, got ${buckets[i - 1]} then ${buckets[i]}`,
        );
      }
    }
    this.#scale = checkNumber(
      'prometheusScale',
      options?.prometheusScale ?? 1e-6,
      Number.MIN_VALUE,
      Number.MAX_VALUE,
    );
    this.#bounds = Float64Array.from([...buckets, Number.POSITIVE_INFINITY]);
    // Rendered once: 5000 µs · 1e-6 prints as 0.005, not 0.005000000000000001.
    this.#les = Array.from(this.#bounds, (b) =>
      formatValue(Number((b * this.#scale).toPrecision(12))),
    );
    this.#options = {
      lowest: options?.lowest,
      highest: options?.highest,
      significantDigits: options?.significantDigits,
      overflow: options?.overflow,
    } as HistogramOptions;
    new Histogram(this.#options); // validate the histogram options now, not on first observe
    this.#now = now;
  }

  /**
   * Records one value into the series with these labels, or into the unlabelled series;
   * `exemplar` labels (e.g. a trace id) keep it as its bucket's OpenMetrics exemplar.
   */
  observe(labels: Labels, value: number, exemplar?: Labels): void;
  observe(value: number, exemplar?: Labels): void;
  observe(a: Labels | number, b?: number | Labels, c?: Labels): void {
    if (typeof a === 'object') this.labels(a).observe(b as number, c);
    else this.pick(undefined).observe(a, b as Labels | undefined);
  }

  /** Starts a timer on the series with these labels; see {@link HistogramSeries.startTimer}. */
  startTimer(labels?: Labels): () => number {
    return this.pick(labels).startTimer();
  }

  /** The series with these labels (created empty on first use). */
  get(labels?: Labels): HistogramSeries {
    return this.pick(labels);
  }

  /** Every series of this metric. */
  series(): readonly HistogramSeries[] {
    return this.tree.all();
  }

  /** @internal */
  protected createSeries(key: SeriesKey): HistogramSeries {
    return new HistogramSeries(key, this.#bounds, this.#options, this.#now);
  }

  /** @internal */
  summarize(): HistogramSeriesSummary[] {
    return this.tree
      .all()
      .map((s) => ({ name: this.name, labels: s.labels, ...s.histogram.summary() }));
  }

  /** @internal */
  expose(format: Format = 'text'): string {
    let out = this.header('histogram', format);
    for (const s of this.tree.all()) out += s.expose(this.name, this.#les, this.#scale, format);
    return out;
  }

  /** @internal */
  reset(): void {
    for (const s of this.tree.all()) s.reset();
  }
}
