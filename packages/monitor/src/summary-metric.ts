import { Histogram } from './histogram.js';
import { Family, type Format, wallClock } from './internal/family.js';
import { epochSeconds, formatValue, type SeriesKey } from './internal/labels.js';
import { checkNumber, describe } from './internal/validate.js';
import type { HistogramOptions, Labels, SummaryMetricOptions } from './types.js';

/** The default quantiles of a summary metric, as percentiles. */
const DEFAULT_PERCENTILES: readonly number[] = Object.freeze([50, 90, 99]);

/**
 * One labelled series of a {@link SummaryMetric}: an HdrHistogram (for the quantiles) plus
 * the exact sum and count.
 */
export class SummarySeries {
  /** The series' label values. */
  readonly labels: Labels;
  /** Every value observed. */
  readonly histogram: Histogram;
  /** @internal */
  readonly rendered: string;
  #sum = 0;
  /** @internal When the series was created or last reset, ms since the epoch (`_created`). */
  created: number;

  /** @internal */
  constructor(key: SeriesKey, options: HistogramOptions) {
    this.labels = key.labels;
    this.rendered = key.rendered;
    this.histogram = new Histogram(options);
    this.created = wallClock.now();
  }

  /** Records one value; see {@link Histogram.record}. */
  observe(value: number): void {
    this.histogram.record(value);
    this.#sum += value;
  }

  /** Sum of the observed values (exact, unclamped). */
  get sum(): number {
    return this.#sum;
  }

  /** @internal */
  reset(): void {
    this.histogram.reset();
    this.#sum = 0;
    this.created = wallClock.now();
  }

  /** @internal */
  expose(name: string, percentiles: readonly number[], scale: number, format: Format): string {
    const sep = this.rendered ? `${this.rendered},` : '';
    const braces = this.rendered ? `{${this.rendered}}` : '';
    const h = this.histogram;
    let out = '';
    for (const p of percentiles) {
      const v = h.count === 0 ? Number.NaN : h.percentile(p) * scale;
      out += `${name}{${sep}quantile="${formatValue(p / 100)}"} ${formatValue(v)}\n`;
    }
    out += `${name}_sum${braces} ${formatValue(this.#sum * scale)}\n${name}_count${braces} ${h.count}\n`;
    if (format === 'openmetrics') out += `${name}_created${braces} ${epochSeconds(this.created)}\n`;
    return out;
  }
}

/**
 * A Prometheus summary by name and labels: quantiles computed in this process from an
 * HdrHistogram per series (so they cannot be aggregated across processes: prefer a
 * {@link HistogramMetric} for that), plus `_sum` and `_count`.
 */
export class SummaryMetric extends Family<SummarySeries> {
  readonly #percentiles: readonly number[];
  readonly #scale: number;
  readonly #options: HistogramOptions;

  /** @internal */
  constructor(name: string, options: SummaryMetricOptions | undefined) {
    super(name, options, ['quantile']);
    const ps = options?.percentiles ?? DEFAULT_PERCENTILES;
    if (!Array.isArray(ps) || ps.length === 0) {
      throw new TypeError(
        `Expected \`percentiles\` to be a non-empty array of numbers, got ${describe(ps)}`,
      );
    }
    for (const p of ps) checkNumber('percentiles[i]', p, 0, 100);
    this.#percentiles = Object.freeze([...ps]);
    this.#scale = checkNumber(
      'prometheusScale',
      options?.prometheusScale ?? 1e-6,
      Number.MIN_VALUE,
      Number.MAX_VALUE,
    );
    this.#options = {
      lowest: options?.lowest,
      highest: options?.highest,
      significantDigits: options?.significantDigits,
      overflow: options?.overflow,
    } as HistogramOptions;
    new Histogram(this.#options);
  }

  /** Records one value into the series with these labels, or into the unlabelled series. */
  observe(labels: Labels, value: number): void;
  observe(value: number): void;
  observe(a: Labels | number, b?: number): void {
    if (typeof a === 'object') this.labels(a).observe(b as number);
    else this.pick(undefined).observe(a);
  }

  /** The series with these labels (created empty on first use). */
  get(labels?: Labels): SummarySeries {
    return this.pick(labels);
  }

  /** @internal */
  protected createSeries(key: SeriesKey): SummarySeries {
    return new SummarySeries(key, this.#options);
  }

  /** @internal */
  expose(format: Format = 'text'): string {
    let out = this.header('summary', format);
    for (const s of this.tree.all()) {
      out += s.expose(this.name, this.#percentiles, this.#scale, format);
    }
    return out;
  }

  /** @internal */
  reset(): void {
    for (const s of this.tree.all()) s.reset();
  }
}
