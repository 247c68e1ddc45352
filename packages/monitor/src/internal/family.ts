// What counters, gauges and histogram metrics share: a name, help text, label names and the
// tree of series.

import type { Labels, MetricOptions, ValueSeriesSummary } from '../types.js';
import {
  checkLabelNames,
  checkMetricName,
  epochSeconds,
  escapeHelp,
  escapeHelpOpenMetrics,
  formatValue,
  type SeriesKey,
  SeriesTree,
} from './labels.js';

/** The two exposition formats: Prometheus text 0.0.4 and OpenMetrics 1.0. */
export type Format = 'text' | 'openmetrics';

/** The wall clock series creation times (`_created`) are read from, in ms since the epoch. */
export const wallClock = { now: () => Date.now() };
import { checkOptions } from './validate.js';

export abstract class Family<S> {
  /** The metric name, as exposed. */
  readonly name: string;
  /** The `# HELP` text. */
  readonly help: string;
  /** Label names, in exposition order. */
  readonly labelNames: readonly string[];
  /** @internal */
  protected readonly tree: SeriesTree<S>;

  /** @internal */
  constructor(name: string, options: MetricOptions | undefined, reserved: readonly string[]) {
    checkOptions('options', options);
    this.name = checkMetricName(name);
    const help = options?.help ?? name;
    if (typeof help !== 'string') throw new TypeError('Expected `help` to be a string');
    this.help = help;
    this.labelNames = checkLabelNames(options?.labelNames, reserved);
    this.tree = new SeriesTree(this.labelNames, (key) => this.createSeries(key));
  }

  /** The series for these label values, created on first use. */
  labels(labels: Labels): S {
    return this.tree.get(this.name, labels);
  }

  /** @internal */
  protected abstract createSeries(key: SeriesKey): S;

  /** @internal `family` is the OpenMetrics family name (a counter's, without `_total`). */
  protected header(type: string, format: Format = 'text', family = this.name): string {
    if (format === 'text') {
      return `# HELP ${this.name} ${escapeHelp(this.help)}\n# TYPE ${this.name} ${type}\n`;
    }
    return `# TYPE ${family} ${type}\n# HELP ${family} ${escapeHelpOpenMetrics(this.help)}\n`;
  }

  /** @internal The series a call with optional leading labels addresses. */
  protected pick(labels: Labels | undefined): S {
    return labels === undefined
      ? this.tree.unlabelled(this.name)
      : this.tree.get(this.name, labels);
  }
}

/** What counter and gauge series share: identity, one number, and a reset. */
export abstract class ValueSeries {
  /** The series' label values. */
  readonly labels: Labels;
  /** @internal */
  readonly rendered: string;
  /** @internal Invariant: finite (counters also ≥ 0); only the subclass's checked methods write it. */
  protected current = 0;
  /** @internal When the series was created or last reset, ms since the epoch (`_created`). */
  created: number;

  /** @internal */
  constructor(key: SeriesKey) {
    this.labels = key.labels;
    this.rendered = key.rendered;
    this.created = wallClock.now();
  }

  /** The current value. */
  get value(): number {
    return this.current;
  }

  /** @internal */
  reset(): void {
    this.current = 0;
    this.created = wallClock.now();
  }
}

/** A family of single-value series (counters and gauges): one sample line per series. */
export abstract class ValueFamily<S extends ValueSeries> extends Family<S> {
  /** @internal */
  protected abstract readonly type: 'counter' | 'gauge';

  /** @internal */
  constructor(name: string, options?: MetricOptions) {
    super(name, options, []);
  }

  /** The value of the series with these labels (0 if never touched). */
  get(labels?: Labels): number {
    return this.pick(labels).value;
  }

  /** @internal */
  summarize(): ValueSeriesSummary[] {
    return this.tree.all().map((s) => ({ name: this.name, labels: s.labels, value: s.value }));
  }

  /** @internal */
  expose(format: Format = 'text'): string {
    if (format === 'text' || this.type === 'gauge') {
      let out = this.header(this.type, format);
      for (const s of this.tree.all()) {
        out += `${this.name}${s.rendered ? `{${s.rendered}}` : ''} ${formatValue(s.value)}\n`;
      }
      return out;
    }
    // OpenMetrics counters: the family drops `_total`, every sample carries it, plus `_created`.
    const family = this.name.endsWith('_total') ? this.name.slice(0, -6) : this.name;
    let out = this.header('counter', format, family);
    for (const s of this.tree.all()) {
      const braces = s.rendered ? `{${s.rendered}}` : '';
      out += `${family}_total${braces} ${formatValue(s.value)}\n`;
      out += `${family}_created${braces} ${epochSeconds(s.created)}\n`;
    }
    return out;
  }

  /** @internal */
  reset(): void {
    for (const s of this.tree.all()) s.reset();
  }
}
