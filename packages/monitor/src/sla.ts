import { Histogram } from './histogram.js';
import { checkNumber, checkOptions, describe } from './internal/validate.js';
import type {
  HistogramSummary,
  SlaOptions,
  SlaReport,
  SlaTarget,
  SlaTargetResult,
} from './types.js';

/** The seed design's latency targets: P50 < 10 ms, P95 < 50 ms, P99 < 100 ms, P99.9 < 500 ms. */
export const SEED_SLA_TARGETS: readonly SlaTarget[] = Object.freeze([
  Object.freeze({ percentile: 50, limitMs: 10 }),
  Object.freeze({ percentile: 95, limitMs: 50 }),
  Object.freeze({ percentile: 99, limitMs: 100 }),
  Object.freeze({ percentile: 99.9, limitMs: 500 }),
]);

/** The percentiles a {@link HistogramSummary} carries, by field. */
const SUMMARY_FIELDS: ReadonlyMap<number, keyof HistogramSummary> = new Map([
  [0, 'min'],
  [50, 'p50'],
  [90, 'p90'],
  [95, 'p95'],
  [99, 'p99'],
  [99.9, 'p999'],
  [100, 'max'],
]);

/**
 * Checks latency targets against a histogram or a summary of one. Each target passes when
 * the value at its percentile is strictly below its limit; the report passes when every
 * target does and at least one value was recorded (no data never passes an SLA).
 * Histogram values are converted with `unitsPerMs` (default 1000: microseconds).
 */
export function checkSla(
  source: Histogram | HistogramSummary,
  targets: readonly SlaTarget[] = SEED_SLA_TARGETS,
  options: SlaOptions = {},
): SlaReport {
  checkOptions('options', options);
  const unitsPerMs = checkNumber(
    'unitsPerMs',
    options.unitsPerMs ?? 1000,
    Number.MIN_VALUE,
    Number.MAX_VALUE,
  );
  if (!Array.isArray(targets)) {
    throw new TypeError(
      `Expected \`targets\` to be an array of SLA targets, got ${describe(targets)}`,
    );
  }
  const valueAt = sourceReader(source);
  const results: SlaTargetResult[] = targets.map((t) => {
    if (typeof t !== 'object' || t === null)
      throw new TypeError(`Expected an SLA target object, got ${describe(t)}`);
    const percentile = checkNumber('percentile', t.percentile, 0, 100);
    const limitMs = checkNumber('limitMs', t.limitMs, 0, Number.POSITIVE_INFINITY);
    const measuredMs = valueAt(percentile) / unitsPerMs;
    return { percentile, limitMs, measuredMs, pass: measuredMs < limitMs };
  });
  const count = source.count;
  return { pass: count > 0 && results.every((r) => r.pass), count, results };
}

function sourceReader(source: Histogram | HistogramSummary): (p: number) => number {
  if (source instanceof Histogram) return (p) => source.percentile(p);
  if (typeof source !== 'object' || source === null || typeof source.count !== 'number') {
    throw new TypeError(
      `Expected \`source\` to be a Histogram or a HistogramSummary, got ${describe(source)}`,
    );
  }
  return (p) => {
    const field = SUMMARY_FIELDS.get(p);
    if (field === undefined) {
      throw new RangeError(
        `Expected a percentile a summary carries (${[...SUMMARY_FIELDS.keys()].join(', ')}), got ${describe(p)}; pass the Histogram instead`,
      );
    }
    return source[field];
  };
}
