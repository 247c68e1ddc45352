// The vocabulary of @perf/monitor: options and result shapes. Every option says its unit and
// its default.

/** Options of a {@link Histogram}. */
export interface HistogramOptions {
  /**
   * Smallest value that can be told apart from 0, in the histogram's unit. Values below it
   * share the lowest bucket. An integer from 1 and up.
   * @defaultValue 1
   */
  lowest?: number;
  /**
   * Largest value the histogram tracks, in its unit; at least `2 * lowest`. The default covers
   * one hour in microseconds (the unit of {@link Monitor} timers) and keeps the default
   * histogram under 100 KiB.
   * @defaultValue 3_600_000_000
   */
  highest?: number;
  /**
   * Decimal digits of precision kept for every value: 3 means a relative error of at most
   * 0.1 %. An integer from 1 to 5.
   * @defaultValue 3
   */
  significantDigits?: number;
  /**
   * What `record()` does with a finite value above `highest`: `'clamp'` records `highest`
   * instead and counts it in {@link Histogram.clampedCount}; `'throw'` throws a `RangeError`.
   * @defaultValue 'clamp'
   */
  overflow?: 'clamp' | 'throw';
}

/** One recorded bucket, as yielded by iterating a {@link Histogram}. */
export interface HistogramBucket {
  /** Smallest value that falls into this bucket. */
  readonly lowestValue: number;
  /** Largest value that falls into this bucket (what percentiles report). */
  readonly highestValue: number;
  /** How many values were recorded into it. */
  readonly count: number;
}

/** One entry of {@link Histogram.percentiles}. */
export interface PercentileValue {
  /** The percentile, 0–100. */
  readonly percentile: number;
  /** The value at that percentile, in the histogram's unit. */
  readonly value: number;
}

/** Everything a summary line shows about one histogram, in the histogram's unit. */
export interface HistogramSummary {
  readonly count: number;
  readonly min: number;
  readonly mean: number;
  readonly stddev: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

/** Label names to label values, e.g. `{ route: '/kv', method: 'GET' }`. */
export type Labels = Readonly<Record<string, string | number>>;

/** Options shared by every metric of a {@link Monitor}. */
export interface MetricOptions {
  /** The `# HELP` text of the metric. @defaultValue the metric's name */
  help?: string;
  /**
   * The label names the metric accepts, in exposition order. A labelled call must give
   * exactly these names.
   * @defaultValue [] (no labels)
   */
  labelNames?: readonly string[];
}

/** Options of a histogram metric of a {@link Monitor}. */
export interface HistogramMetricOptions extends MetricOptions, HistogramOptions {
  /**
   * Upper bounds of the cumulative Prometheus buckets, in the recorded unit, ascending.
   * `+Inf` is always added.
   * @defaultValue prom-client's default latency buckets (5 ms … 10 s), in microseconds
   */
  buckets?: readonly number[];
  /**
   * Multiplier from the recorded unit to the exposed unit in `toPrometheus()`: recorded
   * microseconds become Prometheus' base unit, seconds. Use 1 for unitless histograms.
   * @defaultValue 1e-6
   */
  prometheusScale?: number;
}

/** Options of a summary metric of a {@link Monitor}. */
export interface SummaryMetricOptions extends MetricOptions, HistogramOptions {
  /** The quantiles to expose, as percentiles (0–100). @defaultValue [50, 90, 99] */
  percentiles?: readonly number[];
  /** Multiplier from the recorded unit to the exposed unit (µs → s). @defaultValue 1e-6 */
  prometheusScale?: number;
}

/** Which exposition a scraper asked for, and the body in it (see `Monitor.exposition`). */
export interface Exposition {
  /** `text/plain; version=0.0.4; charset=utf-8` or `application/openmetrics-text; version=1.0.0; charset=utf-8`. */
  readonly contentType: string;
  readonly format: 'text' | 'openmetrics';
  readonly body: string;
}

/** Summary of one counter or gauge series. */
export interface ValueSeriesSummary {
  readonly name: string;
  readonly labels: Labels;
  readonly value: number;
}

/** Summary of one histogram series. */
export interface HistogramSeriesSummary extends HistogramSummary {
  readonly name: string;
  readonly labels: Labels;
}

/** Everything a {@link Monitor} holds, as plain data (what `GET /stats` would serve). */
export interface MonitorSummary {
  readonly counters: readonly ValueSeriesSummary[];
  readonly gauges: readonly ValueSeriesSummary[];
  readonly histograms: readonly HistogramSeriesSummary[];
}

/** Options of a {@link Monitor}. */
export interface MonitorOptions {
  /**
   * Clock used by `measure()` and timers, in milliseconds with a fractional part. Inject a
   * fake one in tests.
   * @defaultValue `performance.now`
   */
  now?: () => number;
  /** Default options of every histogram the monitor creates on first use. @defaultValue {} */
  histogram?: HistogramMetricOptions;
}

/** One SLA target: the value at `percentile` must stay strictly below `limitMs`. */
export interface SlaTarget {
  /** The percentile, 0–100 (e.g. 99.9). */
  readonly percentile: number;
  /** The limit, in milliseconds. */
  readonly limitMs: number;
}

/** The verdict on one {@link SlaTarget}. */
export interface SlaTargetResult extends SlaTarget {
  /** The measured value at the percentile, in milliseconds. */
  readonly measuredMs: number;
  /** `measuredMs < limitMs`. */
  readonly pass: boolean;
}

/** The verdict of {@link checkSla}. */
export interface SlaReport {
  /** True when every target passed (and at least one value was recorded). */
  readonly pass: boolean;
  /** How many values the verdict rests on. */
  readonly count: number;
  readonly results: readonly SlaTargetResult[];
}

/** Options of {@link checkSla}. */
export interface SlaOptions {
  /**
   * How many of the source's units make one millisecond: 1000 for microseconds (the
   * {@link Monitor}'s unit), 1e6 for nanoseconds, 1 for milliseconds.
   * @defaultValue 1000
   */
  unitsPerMs?: number;
}

/** Options of {@link Monitor.formatSummary}. */
export interface SummaryFormatOptions {
  /**
   * Divisor from the recorded unit to the displayed one: 1000 shows recorded microseconds
   * as milliseconds.
   * @defaultValue 1000
   */
  divisor?: number;
  /** Unit shown in the header. @defaultValue 'ms' */
  unit?: string;
  /** Decimals shown. @defaultValue 3 */
  decimals?: number;
}

/** A point estimate with its bootstrap confidence interval. */
export interface Estimate {
  readonly point: number;
  readonly lower: number;
  readonly upper: number;
}

/** Samples beyond Tukey's fences: mild past 1.5 IQR from the quartiles, severe past 3 IQR. */
export interface OutlierCounts {
  readonly lowSevere: number;
  readonly lowMild: number;
  readonly highMild: number;
  readonly highSevere: number;
}

/** Options of a {@link Bench}. */
export interface BenchOptions {
  /**
   * Measurement budget per case, in milliseconds, spread over `samples` samples.
   * @defaultValue 1000
   */
  time?: number;
  /** Warm-up per case before sampling, in milliseconds (lets the JIT settle). @defaultValue 250 */
  warmup?: number;
  /** Samples per case; each sample times a batch of iterations. From 5 and up. @defaultValue 50 */
  samples?: number;
  /** Bootstrap resamples for confidence intervals. @defaultValue 2000 */
  resamples?: number;
  /** Confidence level of the intervals, between 0 and 1. @defaultValue 0.95 */
  confidence?: number;
  /** Seed of the bootstrap's PRNG, so reports are reproducible. @defaultValue 1 */
  seed?: number;
  /**
   * `'wall'` measures elapsed time (`performance.now`); `'cpu'` measures this process's CPU
   * time (`process.cpuUsage`, µs resolution), which does not count time the OS gave to other
   * processes — far steadier on a shared machine, wrong for cases that wait on I/O.
   * `'auto'` uses `'cpu'` when every case is synchronous and `'wall'` otherwise.
   * @defaultValue 'auto'
   */
  clock?: 'auto' | 'wall' | 'cpu';
  /**
   * Clock in milliseconds with a fractional part, overriding `clock`; inject a fake one in
   * tests. It must
   * advance while cases (and the calibration workload) run, or warm-up grows batches to
   * 2^24 iterations looking for a measurable time.
   * @defaultValue `performance.now`
   */
  now?: () => number;
  /**
   * Sample a fixed calibration workload in every round next to the cases, so that
   * {@link compareReports} can divide out how fast the machine itself was (see the README).
   * `true` uses a built-in integer loop; a function uses that workload instead; `false`
   * turns calibration off.
   * @defaultValue true, or false when `now` is injected (give a workload that advances it)
   */
  calibration?: boolean | (() => unknown);
}

/** Options of one case of a {@link Bench}. */
export interface BenchCaseOptions {
  /**
   * Throughput mode: how many operations one call of `fn` performs (a batch of 1,000 gets,
   * 10,000 tasks…). Times and ops/s are then reported per operation, and ratios compare
   * cases per operation, so a case may batch differently from the baseline row.
   * @defaultValue 1 (per-call mode: one call is one operation)
   */
  ops?: number;
  /** Runs once before the case is warmed up and measured. @defaultValue none */
  setup?: () => unknown;
  /** Runs once after the case was measured. @defaultValue none */
  teardown?: () => unknown;
}

/** The measurements of one case. Times are nanoseconds per iteration. */
export interface BenchCaseResult {
  readonly name: string;
  /** Per-iteration time of every sample, in ns, in the order taken. */
  readonly samples: readonly number[];
  /** Iterations timed per sample. */
  readonly iterationsPerSample: number;
  /**
   * Operations one iteration performs (the case's `ops` option; absent = 1). `median`, `mean`
   * and `samples` are per iteration; divide by this for the time per operation.
   */
  readonly opsPerIteration?: number;
  readonly median: Estimate;
  readonly mean: Estimate;
  readonly stddev: number;
  /** Operations per second at the median (iterations × `opsPerIteration` per second). */
  readonly opsPerSecond: number;
  readonly outliers: OutlierCounts;
}

/** What {@link Bench.run} returns; also the content of a baseline file. */
export interface BenchReport {
  readonly name: string;
  readonly cases: readonly BenchCaseResult[];
  /**
   * Per-round times of the calibration workload, in ns, aligned with every case's
   * `samples` (round i of both was taken back to back). Absent with `calibration: false`.
   */
  readonly calibration?: { readonly samples: readonly number[] };
  /** Where and when: Node version, platform, CPU model and count, load average, ISO date. */
  readonly environment: {
    readonly node: string;
    readonly platform: string;
    /** Logical cores. */
    readonly cpus: number;
    /** `os.cpus()[0].model`. Absent in reports from before it was recorded. */
    readonly cpuModel?: string;
    /** `os.loadavg()` (1, 5 and 15 minutes) when the run ended. */
    readonly loadavg?: readonly number[];
    /** ISO date the run ended. */
    readonly date: string;
    /** The clock the samples were taken with (`custom` for an injected `now`). */
    readonly clock?: 'wall' | 'cpu' | 'custom';
  };
}

/** Verdict on one case against a baseline. */
export type ChangeStatus = 'improved' | 'regressed' | 'unchanged' | 'new' | 'missing';

/** One case compared with its baseline. */
export interface CaseComparison {
  readonly name: string;
  readonly status: ChangeStatus;
  /**
   * Relative change of the compared statistic (+0.1 = 10 % slower), with its CI; NaN for
   * new/missing.
   */
  readonly change: Estimate;
  /** Baseline median, ns (NaN when new). */
  readonly baselineMedian: number;
  /** Current median, ns (NaN when missing). */
  readonly currentMedian: number;
  /** True when the change was normalised by both runs' calibration samples. */
  readonly normalized: boolean;
}

/** Options of {@link compareReports}. */
export interface CompareOptions {
  /**
   * Noise threshold: a change is reported only when its CI excludes 0 and its point
   * estimate exceeds this fraction of the baseline median.
   * @defaultValue 0.05
   */
  threshold?: number;
  /** Confidence level of the change's CI. @defaultValue 0.95 */
  confidence?: number;
  /** Bootstrap resamples. @defaultValue 2000 */
  resamples?: number;
  /** PRNG seed. @defaultValue 1 */
  seed?: number;
  /**
   * When both reports carry calibration samples, divide each run's statistic by the same
   * statistic of its calibration samples before comparing, cancelling machine-wide speed drift between runs.
   * @defaultValue true
   */
  normalize?: boolean;
  /**
   * What is compared: the lower quartile of the samples (default) or their median.
   * Interference on a shared machine only ever adds time, so the lower quartile tracks the
   * undisturbed cost with far less noise (see the README's harness-quality figures).
   * @defaultValue 'lowerQuartile'
   */
  statistic?: 'lowerQuartile' | 'median';
}

/** Options of {@link toMarkdown} and {@link toSvg}. */
export interface ReportOptions {
  /**
   * The baseline row: every ratio reads "× faster than" this case (per operation; > 1 means
   * faster than the baseline row, < 1 slower). @defaultValue the first case
   */
  baseline?: string;
  /** Print the machine record (Node, CPU, cores, load average, date) under the table. @defaultValue true */
  machine?: boolean;
  /** Comparisons with a saved baseline, from {@link compareReports}, shown as a column. @defaultValue none */
  comparisons?: readonly CaseComparison[];
  /** Confidence level the report's intervals were computed at (for the chart's title). @defaultValue 0.95 */
  confidence?: number;
}

/** A V8 CPU profile (the DevTools protocol's `Profiler.Profile`), the content of a `.cpuprofile`. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: {
      readonly functionName: string;
      readonly scriptId: string;
      readonly url: string;
      readonly lineNumber: number;
      readonly columnNumber: number;
    };
    readonly hitCount?: number;
    readonly children?: readonly number[];
  }[];
  /** Start and end, in microseconds. */
  readonly startTime: number;
  readonly endTime: number;
  /** Node id of each sample. */
  readonly samples?: readonly number[];
  /** Microseconds between consecutive samples. */
  readonly timeDeltas?: readonly number[];
}

/** Options of {@link profile} and {@link startProfiling}. */
export interface ProfileOptions {
  /** Write the profile to this `.cpuprofile` path when it stops. @defaultValue not written */
  file?: string;
  /** Sampling interval in microseconds. @defaultValue 100 */
  samplingInterval?: number;
}

/** A running profile, from {@link startProfiling}. */
export interface Profiler {
  /** Stops the profiler (idempotent) and returns the profile. */
  stop(): Promise<CpuProfile>;
}

/** What {@link profile} returns. */
export interface ProfileResult<T> {
  readonly result: T;
  readonly profile: CpuProfile;
}

/** Options of a {@link WindowedHistogram}: its window, plus those of every interval histogram. */
export interface WindowedHistogramOptions extends HistogramOptions {
  /** Number of intervals kept; the window is `windows × intervalMs`. @defaultValue 6 */
  windows?: number;
  /** Length of one interval, in milliseconds. @defaultValue 10_000 */
  intervalMs?: number;
  /** Clock in milliseconds; inject a fake one in tests. @defaultValue `performance.now` */
  now?: () => number;
}
