import { ValueFamily, ValueSeries } from './internal/family.js';
import type { SeriesKey } from './internal/labels.js';
import { describe } from './internal/validate.js';
import type { Labels } from './types.js';

/** One labelled series of a {@link Counter}. */
export class CounterSeries extends ValueSeries {
  /** Adds `by` (a finite number ≥ 0; default 1). Counters only go up. */
  inc(by = 1): void {
    if (!(by >= 0 && by !== Number.POSITIVE_INFINITY)) badIncrement(by);
    this.current += by;
  }
}

/** A monotonically increasing count, by name and labels (a Prometheus counter). */
export class Counter extends ValueFamily<CounterSeries> {
  /** @internal */
  protected readonly type = 'counter';

  /** Adds `by` (default 1) to the series with these labels, or to the unlabelled series. */
  inc(labels?: Labels, by?: number): void;
  inc(by?: number): void;
  inc(a?: Labels | number, b?: number): void {
    if (typeof a === 'object') this.labels(a).inc(b);
    else this.pick(undefined).inc(a);
  }

  /** @internal */
  protected createSeries(key: SeriesKey): CounterSeries {
    return new CounterSeries(key);
  }
}

function badIncrement(by: unknown): never {
  if (typeof by !== 'number')
    throw new TypeError(`Expected \`by\` to be a number, got ${describe(by)}`);
  throw new RangeError(`Expected \`by\` to be a finite number from 0 and up, got ${describe(by)}`);
}
