// An HdrHistogram: log-linear buckets over one typed array.
// Provenance: Gil Tene's HdrHistogram (AbstractHistogram.java, public domain); the layout,
// index math, percentile rule and V2 serialisation follow it exactly so that encoded
// histograms interoperate with hdr-histogram-js and the other ports.
//
// Layout, for significantDigits = 3 (subBucketCount 2048, half 1024) and lowest = 1:
//
//   index:   0 ............ 1023 | 1024 ......... 2047 | 2048 ........ 3071 | 3072 ...
//   bucket:  0 (lower half)      | 0 (upper half)      | 1 (upper half)     | 2 (upper half)
//   values:  0 .. 1023, step 1   | 1024 .. 2047, step 1| 2048 .. 4094, st 2 | 4096 .. 8188, st 4
//
// Bucket b covers [1024·2^b, 2048·2^b) in 1024 sub-buckets of width 2^b, so every value is
// kept to within 1/1024 < 0.1 % of itself. Bucket 0 also owns the lower half [0, 1024) at
// width 1; each later bucket stores only its upper half (the lower half is bucket b-1).

import { CorruptHistogramError } from './errors.js';
import { encodeV2, openV2, readCounts } from './internal/hdr-codec.js';
import {
  badValue,
  checkInteger,
  checkNumber,
  checkOptions,
  describe,
} from './internal/validate.js';
import type {
  HistogramBucket,
  HistogramOptions,
  HistogramSummary,
  PercentileValue,
} from './types.js';

const DEFAULT_LOWEST = 1;
/** One hour in microseconds: 23,552 uint32 counts = 92 KiB at 3 digits. */
const DEFAULT_HIGHEST = 3_600_000_000;
const DEFAULT_DIGITS = 3;
const TWO_POW_31 = 2 ** 31;
const TWO_POW_32 = 2 ** 32;
/** Largest count a Uint32Array slot holds before the histogram widens to Float64Array. */
const UINT32_MAX = 0xffff_ffff;

/** The percentiles of {@link Histogram.percentiles}. */
export const STANDARD_PERCENTILES: readonly number[] = Object.freeze([
  0, 50, 75, 90, 95, 99, 99.9, 99.99, 100,
]);

/**
 * A high-dynamic-range histogram of non-negative values (HdrHistogram's design): fixed
 * memory, O(1) `record`, values kept to `significantDigits` decimal digits, percentiles by
 * HdrHistogram's nearest-rank rule. Values are integers in your unit (fractions are
 * truncated); the {@link Monitor} records microseconds.
 */
export class Histogram {
  // Layout, fixed at construction (names as in AbstractHistogram.java).
  readonly #lowest: number;
  readonly #highest: number;
  readonly #digits: number;
  readonly #unitMagnitude: number;
  readonly #subBucketHalfCountMagnitude: number;
  readonly #subBucketHalfCount: number;
  /** `(subBucketCount - 1) << unitMagnitude`: OR-ing it in pins small values to bucket 0. */
  readonly #subBucketMask: number;
  /** unitMagnitude + subBucketHalfCountMagnitude: floor(log2(v)) minus this is the bucket. */
  readonly #bucketShift: number;
  /** 2^31 when the int32 fast path of #indexOf is exact for this layout, else 0. */
  readonly #fastLimit: number;
  readonly #length: number;
  readonly #overflowThrows: boolean;

  // State. Invariant: #total === sum of #counts; #min/#max are Infinity/-Infinity when empty.
  /** Uint32Array until a slot would pass 2^32 - 1, then Float64Array (exact to 2^53). */
  #counts: Uint32Array | Float64Array;
  #countLimit = UINT32_MAX;
  #total = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = Number.NEGATIVE_INFINITY;
  #clamped = 0;

  constructor(options: HistogramOptions = {}) {
    checkOptions('options', options);
    const lowest = checkInteger(
      'lowest',
      options.lowest ?? DEFAULT_LOWEST,
      1,
      Number.MAX_SAFE_INTEGER,
    );
    const highest = checkInteger(
      'highest',
      options.highest ?? DEFAULT_HIGHEST,
      2 * lowest,
      Number.MAX_SAFE_INTEGER,
    );
    const digits = checkInteger(
      'significantDigits',
      options.significantDigits ?? DEFAULT_DIGITS,
      1,
      5,
    );
    const overflow = options.overflow ?? 'clamp';
    if (overflow !== 'clamp' && overflow !== 'throw') {
      throw new TypeError(
        `Expected \`overflow\` to be 'clamp' or 'throw', got ${describe(overflow)}`,
      );
    }
    this.#lowest = lowest;
    this.#highest = highest;
    this.#digits = digits;
    this.#overflowThrows = overflow === 'throw';

    const largestSingleUnit = 2 * 10 ** digits;
    const subBucketCountMagnitude = Math.ceil(Math.log2(largestSingleUnit));
    this.#subBucketHalfCountMagnitude = subBucketCountMagnitude - 1;
    const subBucketCount = 2 ** subBucketCountMagnitude;
    this.#subBucketHalfCount = subBucketCount / 2;
    this.#unitMagnitude = floorLog2(lowest);
    this.#subBucketMask = (subBucketCount - 1) * 2 ** this.#unitMagnitude;
    this.#bucketShift = this.#unitMagnitude + this.#subBucketHalfCountMagnitude;
    this.#fastLimit = this.#subBucketMask < TWO_POW_31 ? TWO_POW_31 : 0;

    // Buckets needed so that `highest` has a slot (getBucketsNeededToCoverValue).
    let smallestUntrackable = subBucketCount * 2 ** this.#unitMagnitude;
    let buckets = 1;
    while (smallestUntrackable <= highest) {
      smallestUntrackable *= 2;
      buckets++;
    }
    this.#length = (buckets + 1) * this.#subBucketHalfCount;
    this.#counts = new Uint32Array(this.#length);
  }

  /**
   * Records one value. Fractions are truncated to the unit. A finite value above `highest`
   * is clamped to `highest` and counted in {@link clampedCount} (or throws `RangeError` with
   * `overflow: 'throw'`). Throws `TypeError` for a non-number and `RangeError` for NaN,
   * ±Infinity or a negative value.
   */
  record(value: number): void {
    // One comparison pair rejects NaN, negatives, infinities and overflow; all rare.
    if (typeof value !== 'number' || !(value >= 0 && value <= this.#highest)) {
      value = this.#outOfRange(value);
    }
    const i = this.#indexOf(value);
    const counts = this.#counts;
    const n = counts[i]! + 1;
    counts[i] = n;
    if (n > this.#countLimit) this.#widen(i, n);
    this.#total++;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
  }

  /** Records every value of `values` (an array or typed array); see {@link record}. */
  recordMany(values: ArrayLike<number>): void {
    if (typeof values !== 'object' || values === null || typeof values.length !== 'number') {
      throw new TypeError(
        `Expected \`values\` to be an array-like of numbers, got ${describe(values)}`,
      );
    }
    for (let i = 0; i < values.length; i++) this.record(values[i]!);
  }

  /**
   * Records `value` and corrects for coordinated omission (HdrHistogram's
   * recordValueWithExpectedInterval): when a measurement took longer than the interval at
   * which requests should have been issued, the requests that a stalled load generator
   * never sent are back-filled as `value - interval`, `value - 2·interval`, … down to
   * `interval`. `expectedInterval` is in the same unit, greater than 0.
   */
  recordCorrected(value: number, expectedInterval: number): void {
    checkNumber('expectedInterval', expectedInterval, Number.MIN_VALUE, Number.MAX_SAFE_INTEGER);
    this.record(value);
    // `value` may have been clamped; back-fill from what was actually recorded.
    const recorded = Math.min(value, this.#highest);
    for (
      let missing = recorded - expectedInterval;
      missing >= expectedInterval;
      missing -= expectedInterval
    ) {
      this.record(missing);
    }
  }

  /** The value at percentile `p` (0–100): the largest value equivalent to the nearest-rank sample. */
  percentile(p: number): number {
    checkNumber('p', p, 0, 100);
    if (this.#total === 0) return 0;
    const rank = rankOf(p, this.#total);
    const counts = this.#counts;
    let seen = 0;
    for (let i = 0; i < this.#length; i++) {
      seen += counts[i]!;
      if (seen >= rank) return p === 0 ? this.#lowestAt(i) : this.#highestAt(i);
    }
    return 0;
  }

  /**
   * The values at several percentiles in one pass over the counts, in the order given
   * (default {@link STANDARD_PERCENTILES}).
   */
  percentiles(list: readonly number[] = STANDARD_PERCENTILES): PercentileValue[] {
    if (!Array.isArray(list)) {
      throw new TypeError(`Expected \`list\` to be an array of numbers, got ${describe(list)}`);
    }
    for (const p of list) checkNumber('p', p, 0, 100);
    const order = list.map((_, i) => i).sort((a, b) => list[a]! - list[b]!);
    const values = new Array<number>(list.length).fill(0);
    if (this.#total > 0) {
      const counts = this.#counts;
      let seen = 0;
      let i = 0;
      for (const k of order) {
        const p = list[k]!;
        const rank = rankOf(p, this.#total);
        // Ranks are non-decreasing in sorted order, so the scan resumes where it stopped.
        while (seen + counts[i]! < rank && i < this.#length - 1) seen += counts[i++]!;
        values[k] = p === 0 ? this.#lowestAt(i) : this.#highestAt(i);
      }
    }
    return list.map((percentile, k) => ({ percentile, value: values[k]! }));
  }

  /** Count, min, mean, stddev, P50, P90, P95, P99, P99.9 and max, in one object. */
  summary(): HistogramSummary {
    const [p50, p90, p95, p99, p999] = this.percentiles([50, 90, 95, 99, 99.9]).map((x) => x.value);
    return {
      count: this.#total,
      min: this.min,
      mean: this.mean,
      stddev: this.stddev,
      p50: p50!,
      p90: p90!,
      p95: p95!,
      p99: p99!,
      p999: p999!,
      max: this.max,
    };
  }

  /** How many values were recorded. */
  get count(): number {
    return this.#total;
  }

  /** Smallest value recorded (exact, before truncation), or 0 when empty. */
  get min(): number {
    return this.#total === 0 ? 0 : this.#min;
  }

  /** Largest value recorded (exact, before truncation), or 0 when empty. */
  get max(): number {
    return this.#total === 0 ? 0 : this.#max;
  }

  /** Mean of the recorded values, from bucket midpoints (as HdrHistogram), or 0 when empty. */
  get mean(): number {
    if (this.#total === 0) return 0;
    const counts = this.#counts;
    let sum = 0;
    for (let i = 0; i < this.#length; i++) {
      const c = counts[i]!;
      if (c !== 0) sum += c * this.#medianAt(i);
    }
    return sum / this.#total;
  }

  /** Population standard deviation, from bucket midpoints, or 0 when empty. */
  get stddev(): number {
    if (this.#total === 0) return 0;
    const mean = this.mean;
    const counts = this.#counts;
    let sum = 0;
    for (let i = 0; i < this.#length; i++) {
      const c = counts[i]!;
      if (c !== 0) {
        const d = this.#medianAt(i) - mean;
        sum += c * d * d;
      }
    }
    return Math.sqrt(sum / this.#total);
  }

  /** How many recorded values were above `highest` and clamped to it. */
  get clampedCount(): number {
    return this.#clamped;
  }

  /** The `lowest` option this histogram was built with. */
  get lowest(): number {
    return this.#lowest;
  }

  /** The `highest` option this histogram was built with. */
  get highest(): number {
    return this.#highest;
  }

  /** The `significantDigits` option this histogram was built with. */
  get significantDigits(): number {
    return this.#digits;
  }

  /** Bytes held by the counts array. */
  get memoryBytes(): number {
    return this.#counts.byteLength;
  }

  /**
   * Adds every count of `other` into this histogram. Histograms with the same layout add
   * slot by slot; otherwise each of `other`'s buckets is recorded at its lowest value
   * (clamped, or throwing, per this histogram's `overflow`).
   */
  merge(other: Histogram): this {
    if (!(other instanceof Histogram)) {
      throw new TypeError(`Expected \`other\` to be a Histogram, got ${describe(other)}`);
    }
    if (other.#total === 0) return this;
    if (
      other.#lowest === this.#lowest &&
      other.#digits === this.#digits &&
      other.#length <= this.#length
    ) {
      const src = other.#counts;
      for (let i = 0; i < other.#length; i++) {
        const c = src[i]!;
        if (c === 0) continue;
        const n = this.#counts[i]! + c;
        this.#counts[i] = n;
        if (n > this.#countLimit) this.#widen(i, n);
      }
      this.#total += other.#total;
      this.#clamped += other.#clamped;
      if (other.#min < this.#min) this.#min = other.#min;
      if (other.#max > this.#max) this.#max = other.#max;
      return this;
    }
    for (let i = 0; i < other.#length; i++) {
      const c = other.#counts[i]!;
      if (c !== 0) this.#recordCount(other.#lowestAt(i), c);
    }
    return this;
  }

  /** Forgets every value; keeps the layout and memory. */
  reset(): void {
    this.#counts = new Uint32Array(this.#length);
    this.#countLimit = UINT32_MAX;
    this.#total = 0;
    this.#min = Number.POSITIVE_INFINITY;
    this.#max = Number.NEGATIVE_INFINITY;
    this.#clamped = 0;
  }

  /** A copy with the same layout and counts. */
  clone(): Histogram {
    return this.#empty().merge(this);
  }

  /** The non-empty buckets, lowest first. */
  *buckets(): IterableIterator<HistogramBucket> {
    const counts = this.#counts;
    for (let i = 0; i < this.#length; i++) {
      const count = counts[i]!;
      if (count !== 0)
        yield { lowestValue: this.#lowestAt(i), highestValue: this.#highestAt(i), count };
    }
  }

  /** Same as {@link buckets}. */
  [Symbol.iterator](): IterableIterator<HistogramBucket> {
    return this.buckets();
  }

  /**
   * The standard HdrHistogram V2 compressed base64 form (`encodeIntoCompressedBase64`),
   * readable by hdr-histogram-js and the Java/C/Go/Rust ports. Min, max and clamped counts
   * are not part of the format: a decoded histogram derives min/max from its buckets.
   */
  encode(): string {
    let limit = this.#length;
    while (limit > 0 && this.#counts[limit - 1] === 0) limit--;
    return encodeV2(this.#digits, this.#lowest, this.#highest, this.#counts, limit);
  }

  /**
   * Reads the V2 compressed base64 form written by {@link encode}, hdr-histogram-js or any
   * HdrHistogram port. Throws {@link CorruptHistogramError} (`PERF_MONITOR_CORRUPT_HISTOGRAM`)
   * for anything else; never returns a half-read histogram.
   */
  static decode(encoded: string): Histogram {
    if (typeof encoded !== 'string') {
      throw new TypeError(`Expected \`encoded\` to be a string, got ${describe(encoded)}`);
    }
    const { bytes, header } = openV2(encoded);
    let h: Histogram;
    try {
      h = new Histogram({
        lowest: header.lowest,
        highest: header.highest,
        significantDigits: header.digits,
      });
    } catch (cause) {
      throw new CorruptHistogramError(
        `Header describes no valid layout (lowest ${header.lowest}, highest ${header.highest}, digits ${header.digits})`,
        12,
        { cause },
      );
    }
    let first = -1;
    let last = -1;
    readCounts(bytes, header, h.#length, (i, c) => {
      if (c > h.#countLimit) {
        h.#counts = Float64Array.from(h.#counts);
        h.#countLimit = Number.MAX_SAFE_INTEGER;
      }
      h.#counts[i] = c;
      h.#total += c;
      if (first < 0) first = i;
      last = i;
    });
    if (h.#total > Number.MAX_SAFE_INTEGER) {
      throw new CorruptHistogramError('Total count is beyond 2^53', -1);
    }
    if (first >= 0) {
      h.#min = h.#lowestAt(first);
      h.#max = h.#highestAt(last);
    }
    return h;
  }

  /** Index into #counts for a value already known to be in [0, highest]. */
  #indexOf(value: number): number {
    let bucket: number;
    let sub: number;
    if (value < this.#fastLimit) {
      // floor(log2(value | mask)) - shift, in int32 arithmetic; `>>>` truncates fractions.
      bucket = 31 - Math.clz32(value | this.#subBucketMask) - this.#bucketShift;
      sub = value >>> (bucket + this.#unitMagnitude);
    } else {
      bucket = Math.max(floorLog2(value) - this.#bucketShift, 0);
      sub = Math.floor(value / 2 ** (bucket + this.#unitMagnitude));
    }
    return ((bucket + 1) << this.#subBucketHalfCountMagnitude) + sub - this.#subBucketHalfCount;
  }

  #lowestAt(index: number): number {
    let bucket = (index >> this.#subBucketHalfCountMagnitude) - 1;
    let sub = (index & (this.#subBucketHalfCount - 1)) + this.#subBucketHalfCount;
    if (bucket < 0) {
      sub -= this.#subBucketHalfCount;
      bucket = 0;
    }
    return sub * 2 ** (bucket + this.#unitMagnitude);
  }

  #widthAt(index: number): number {
    const bucket = Math.max((index >> this.#subBucketHalfCountMagnitude) - 1, 0);
    return 2 ** (bucket + this.#unitMagnitude);
  }

  #highestAt(index: number): number {
    return this.#lowestAt(index) + this.#widthAt(index) - 1;
  }

  #medianAt(index: number): number {
    return this.#lowestAt(index) + Math.floor(this.#widthAt(index) / 2);
  }

  /** Slow path of record(): returns the value to record instead, or throws. */
  #outOfRange(value: unknown): number {
    if (typeof value !== 'number' || !(value >= 0) || value === Number.POSITIVE_INFINITY) {
      throw badValue(value);
    }
    if (this.#overflowThrows) {
      throw new RangeError(
        `Expected \`value\` to be at most the histogram's \`highest\` (${this.#highest}), got ${describe(value)}`,
      );
    }
    this.#clamped++;
    return this.#highest;
  }

  #recordCount(value: number, count: number): void {
    if (!(value <= this.#highest)) {
      value = this.#outOfRange(value);
      this.#clamped += count - 1;
    }
    const i = this.#indexOf(value);
    const n = this.#counts[i]! + count;
    this.#counts[i] = n;
    if (n > this.#countLimit) this.#widen(i, n);
    this.#total += count;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
  }

  /** A Uint32 slot overflowed: move to Float64 counts (exact to 2^53) and store `n`. */
  #widen(index: number, n: number): void {
    const wide = new Float64Array(this.#length);
    wide.set(this.#counts);
    wide[index] = n;
    this.#counts = wide;
    this.#countLimit = Number.MAX_SAFE_INTEGER;
  }

  #empty(): Histogram {
    return new Histogram({
      lowest: this.#lowest,
      highest: this.#highest,
      significantDigits: this.#digits,
      overflow: this.#overflowThrows ? 'throw' : 'clamp',
    });
  }
}

/** HdrHistogram's nearest rank: ceil(p/100 · n) minus one ulp of slack, at least 1. */
function rankOf(p: number, total: number): number {
  const fp = (p / 100) * total;
  return Math.max(Math.ceil(fp - ulp(fp)), 1);
}

function ulp(x: number): number {
  return x === 0 ? 0 : 2 ** (Math.floor(Math.log2(x)) - 52);
}

/** floor(log2(v)) for v >= 1, exact for every double (no Math.log2 rounding at 2^k - ε). */
function floorLog2(v: number): number {
  if (v < TWO_POW_32) return 31 - Math.clz32(v);
  return 63 - Math.clz32(Math.floor(v / TWO_POW_32));
}
