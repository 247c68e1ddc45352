import { ValueFamily, ValueSeries } from './internal/family.js';
import type { SeriesKey } from './internal/labels.js';
import { describe } from './internal/validate.js';
import type { Labels } from './types.js';

/** One labelled series of a {@link Gauge}. */
export class GaugeSeries extends ValueSeries {
  /** Sets the value (any number but NaN). */
  set(value: number): void {
    if (typeof value !== 'number' || Number.isNaN(value)) badGauge('value', value);
    this.current = value;
  }

  /** Adds `by` (default 1; may be negative). */
  inc(by = 1): void {
    if (typeof by !== 'number' || !Number.isFinite(by)) badGauge('by', by);
    this.current += by;
  }

  /** Subtracts `by` (default 1). */
  dec(by = 1): void {
    if (typeof by !== 'number' || !Number.isFinite(by)) badGauge('by', by);
    this.current -= by;
  }
}

/** A value that goes up and down, by name and labels (a Prometheus gauge). */
export class Gauge extends ValueFamily<GaugeSeries> {
  /** @internal */
  protected readonly type = 'gauge';

  /** Sets the series with these labels, or the unlabelled series. */
  set(labels: Labels, value: number): void;
  set(value: number): void;
  set(a: Labels | number, b?: number): void {
    if (typeof a === 'object') this.labels(a).set(b as number);
    else this.pick(undefined).set(a);
  }

  /** Adds `by` (default 1). */
  inc(labels?: Labels, by?: number): void;
  inc(by?: number): void;
  inc(a?: Labels | number, b?: number): void {
    if (typeof a === 'object') this.labels(a).inc(b);
    else this.pick(undefined).inc(a);
  }

  /** Subtracts `by` (default 1). */
  dec(labels?: Labels, by?: number): void;
  dec(by?: number): void;
  dec(a?: Labels | number, b?: number): void {
    if (typeof a === 'object') this.labels(a).dec(b);
    else this.pick(undefined).dec(a);
  }

  /** @internal */
  protected createSeries(key: SeriesKey): GaugeSeries {
    return new GaugeSeries(key);
  }
}

function badGauge(name: string, v: unknown): never {
  if (typeof v !== 'number')
    throw new TypeError(`Expected \`${name}\` to be a number, got ${describe(v)}`);
  throw new RangeError(`Expected \`${name}\` to be a finite number, got ${describe(v)}`);
}
