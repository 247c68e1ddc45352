// Metrics whose storage is one SharedArrayBuffer: every thread records into its own shard with
// Atomics, and the thread that serves /metrics sums the shards when it renders, with no
// message passing (prom-client aggregates worker metrics by messaging every worker on every
// scrape, which stalls the primary under load).
//
// Buffer layout (all offsets in bytes; every region starts on a 64-byte cache line so two
// threads never write the same line):
//
//   0                 HEADER_BYTES              + OWNERS_BYTES
//   ┌─────────────────┬─────────────────────────┬──────────────┬──────────────┬───┐
//   │ magic, version, │ owner flag per shard    │ shard 0      │ shard 1      │ … │
//   │ shard count     │ (Int32, 0 = free)       │              │              │   │
//   └─────────────────┴─────────────────────────┴──────────────┴──────────────┴───┘
//
//   shard: ┌ cells: Uint32 pairs [lo, hi]: cell 0 is the carry generation, then one per
//          │        counter series, per histogram bucket and per histogram sum (exact to 2^53)
//          ├ gauge seqs: Uint32 per gauge series (a seqlock: odd while being written)
//          └ gauge values: Float64 per gauge series
//
// Invariant: a shard has one writer at a time, the thread that claimed it (`attach`), so a
// 64-bit add is a read and an Atomics.store of the low word; a carry into the high word is
// written inside the shard's generation seqlock, which readers check around every read.

import { MonitorError } from './errors.js';
import type { Format } from './internal/family.js';
import {
  checkLabelNames,
  checkMetricName,
  epochSeconds,
  escapeHelp,
  escapeHelpOpenMetrics,
  escapeLabelValue,
  formatValue,
} from './internal/labels.js';
import { checkInteger, checkNumber, checkOptions, describe } from './internal/validate.js';
import type { Labels } from './types.js';

const MAGIC = 0x70657266; // "perf"
const VERSION = 1;
const LINE = 64;
const HEADER_BYTES = LINE;
const H_MAGIC = 0;
const H_VERSION = 1;
const H_SHARDS = 2;
const TWO_32 = 2 ** 32;

const align = (n: number) => Math.ceil(n / LINE) * LINE;

/** One metric's plain description, as it travels to workers in the descriptor. */
export interface SharedMetricLayout {
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  /** Label values of every series, in order. */
  readonly series: readonly (readonly string[])[];
  /** Histograms: upper bounds in the recorded unit, ascending (no +Inf). */
  readonly buckets?: readonly number[];
  readonly scale?: number;
  /** First cell (counters, histograms) or gauge slot of series 0. */
  readonly first: number;
}

/** What a worker needs to attach: the buffer and the layout, both structured-cloneable. */
export interface SharedRegistryDescriptor {
  readonly buffer: SharedArrayBuffer;
  readonly maxThreads: number;
  readonly metrics: readonly SharedMetricLayout[];
  readonly cells: number;
  readonly gauges: number;
  readonly created: number;
}

/** Options of a metric of a {@link SharedRegistry}. */
export interface SharedMetricOptions {
  /** The `# HELP` text. @defaultValue the name */
  help?: string;
  /** Label names, in exposition order. @defaultValue [] */
  labelNames?: readonly string[];
  /**
   * Every label set the metric will record, fixed up front (the buffer cannot grow once
   * shared). Required when `labelNames` is not empty. @defaultValue [{}] (one unlabelled series)
   */
  series?: readonly Labels[];
}

/** Options of a shared histogram. */
export interface SharedHistogramOptions extends SharedMetricOptions {
  /** Upper bounds of the buckets in the recorded unit (µs for latencies). @defaultValue prom-client's 5 ms … 10 s */
  buckets?: readonly number[];
  /** Recorded unit → exposed unit. @defaultValue 1e-6 (µs → s) */
  prometheusScale?: number;
}

/** Options of a {@link SharedRegistry}. */
export interface SharedRegistryOptions {
  /** Threads that can be attached at once (each owns a shard). @defaultValue 64 */
  maxThreads?: number;
}

const DEFAULT_BUCKETS = [
  5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000,
  10_000_000,
];

const EMPTY_U32 = new Uint32Array(0);
const EMPTY_F64 = new Float64Array(0);

/**
 * @internal This thread's shard views. Empty until the buffer exists: the first record binds
 * them (`bind` allocates the buffer and claims a shard), so series handles can be taken
 * while metrics are still being declared.
 */
export interface ShardState {
  cells: Uint32Array;
  seq: Uint32Array;
  values: Float64Array;
  bind(): void;
}

/** A series of a shared counter: `inc(by)` with an integer `by` in [0, 2^32). */
export class SharedCounter {
  readonly #s: ShardState;
  readonly #at: number;
  /** @internal */
  constructor(state: ShardState, at: number) {
    this.#s = state;
    this.#at = at;
  }
  /** Adds `by` (an integer from 0 to 2^32 − 1; default 1). */
  inc(by = 1): void {
    if (!(by >= 0 && by < TWO_32 && by === Math.floor(by))) {
      throw new RangeError(
        `Expected \`by\` to be an integer from 0 to 2^32 - 1, got ${describe(by)}`,
      );
    }
    if (this.#s.cells.length === 0) this.#s.bind();
    add64(this.#s.cells, this.#at, by);
  }
}

/** A series of a shared gauge: this thread's contribution; the exposed value sums all threads'. */
export class SharedGauge {
  readonly #s: ShardState;
  readonly #at: number;
  /** @internal */
  constructor(state: ShardState, at: number) {
    this.#s = state;
    this.#at = at;
  }
  /** Sets this thread's contribution (any number but NaN). */
  set(value: number): void {
    if (typeof value !== 'number' || Number.isNaN(value)) {
      throw new TypeError(`Expected \`value\` to be a number, got ${describe(value)}`);
    }
    const s = this.#s;
    if (s.values.length === 0) s.bind();
    Atomics.add(s.seq, this.#at, 1); // odd: a write is in progress
    s.values[this.#at] = value;
    Atomics.add(s.seq, this.#at, 1);
  }
  /** This thread's contribution. */
  get value(): number {
    return this.#s.values.length === 0 ? 0 : this.#s.values[this.#at]!;
  }
  /** Adds `by` (default 1) to this thread's contribution. */
  inc(by = 1): void {
    this.set(this.value + by);
  }
  /** Subtracts `by` (default 1). */
  dec(by = 1): void {
    this.set(this.value - by);
  }
}

/** A series of a shared histogram: `observe(v)` counts `v` in its bucket and adds it to the sum. */
export class SharedHistogram {
  readonly #s: ShardState;
  readonly #at: number;
  readonly #bounds: Float64Array;
  /** @internal */
  constructor(state: ShardState, at: number, bounds: Float64Array) {
    this.#s = state;
    this.#at = at;
    this.#bounds = bounds;
  }
  /** Records a non-negative value in the recorded unit (µs for latencies); the sum keeps its integer part. */
  observe(value: number): void {
    if (!(value >= 0 && value < 2 ** 53)) {
      throw new RangeError(
        `Expected \`value\` to be a number from 0 to 2^53, got ${describe(value)}`,
      );
    }
    const bounds = this.#bounds;
    let b = 0;
    while (value > bounds[b]!) b++;
    if (this.#s.cells.length === 0) this.#s.bind();
    const cells = this.#s.cells;
    const bi = (this.#at + b) << 1;
    const si = (this.#at + bounds.length) << 1;
    const v = Math.floor(value);
    const count = cells[bi]! + 1;
    const sum = cells[si]! + v;
    if (count < TWO_32 && sum < TWO_32) {
      // The common case: one plain store, then one Atomics.store, which publishes both
      // (a reader's Atomics.load of the sum sees the count written before it).
      cells[bi] = count;
      Atomics.store(cells, si, sum);
      return;
    }
    add64(cells, this.#at + b, 1);
    add64(cells, this.#at + bounds.length, v);
  }
}

/** Word 0 of a shard's cells: its carry generation, odd while a carry is being written. */
const GEN = 0;

/**
 * Adds `v` (an integer in [0, 2^53)) to the 64-bit cell `cell` of this thread's shard. The
 * shard has one writer, so the add is a read and one `Atomics.store` of the low word; only a
 * carry into the high word (once per 2^32 counts) takes the generation seqlock, so a reader
 * never pairs a wrapped low word with a stale high word.
 */
function add64(cells: Uint32Array, cell: number, v: number): void {
  const i = cell << 1;
  const lo = v % TWO_32;
  const sum = cells[i]! + lo;
  if (sum < TWO_32 && v < TWO_32) {
    Atomics.store(cells, i, sum);
    return;
  }
  Atomics.add(cells, GEN, 1);
  Atomics.store(cells, i, sum % TWO_32);
  Atomics.store(cells, i + 1, cells[i + 1]! + (v - lo) / TWO_32 + (sum >= TWO_32 ? 1 : 0));
  Atomics.add(cells, GEN, 1);
}

/** A consistent read of a 64-bit cell written by another thread. */
function read64(cells: Uint32Array, cell: number): number {
  const i = cell << 1;
  for (;;) {
    const gen = Atomics.load(cells, GEN);
    if (gen & 1) continue;
    const hi = Atomics.load(cells, i + 1);
    const lo = Atomics.load(cells, i);
    if (Atomics.load(cells, GEN) === gen) return hi * TWO_32 + lo;
  }
}

function readGauge(seq: Uint32Array, values: Float64Array, at: number): number {
  for (;;) {
    const s = Atomics.load(seq, at);
    if (s & 1) continue;
    const v = values[at]!;
    if (Atomics.load(seq, at) === s) return v;
  }
}

/**
 * A registry of counters, gauges and histograms stored in one SharedArrayBuffer. Declare the
 * metrics on one thread, pass `descriptor` to workers (`workerData`), and each worker calls
 * `SharedRegistry.attach(descriptor)` to record into its own shard with Atomics. Any thread
 * renders `toPrometheus()`/`toOpenMetrics()` by summing the shards, with no message passing;
 * register it with a `Monitor` through `monitor.addCollector((f) => registry.expose(f))`.
 * Declare every metric first: the first record, scrape or `descriptor` allocates the buffer,
 * which cannot grow.
 */
export class SharedRegistry {
  readonly #metrics: SharedMetricLayout[];
  readonly #byName = new Map<string, SharedMetricLayout>();
  readonly #maxThreads: number;
  #buffer: SharedArrayBuffer | undefined;
  /** Cells per shard; cell 0 holds the carry generation. */
  #cells = 1;
  #gauges = 0;
  #created = Date.now();
  /** This thread's shard, once the buffer exists. */
  #shard = -1;
  readonly #state: ShardState = {
    cells: EMPTY_U32,
    seq: EMPTY_U32,
    values: EMPTY_F64,
    bind: () => this.#ensureBuffer(),
  };
  readonly #handles = new Map<string, unknown>();
  #views: ReturnType<SharedRegistry['descriptorViews']> | undefined;

  constructor(options: SharedRegistryOptions = {}) {
    checkOptions('options', options);
    this.#maxThreads = checkInteger('maxThreads', options.maxThreads ?? 64, 1, 4096);
    this.#metrics = [];
  }

  /**
   * Attaches this thread to a registry created elsewhere: it claims a free shard (throws
   * `MonitorError` `PERF_MONITOR_SHARED_THREADS_EXHAUSTED` when all `maxThreads` are taken).
   */
  static attach(descriptor: SharedRegistryDescriptor): SharedRegistry {
    if (
      typeof descriptor !== 'object' ||
      descriptor === null ||
      !(descriptor.buffer instanceof SharedArrayBuffer)
    ) {
      throw new TypeError(`Expected a SharedRegistry descriptor, got ${describe(descriptor)}`);
    }
    const header = new Uint32Array(descriptor.buffer, 0, HEADER_BYTES / 4);
    if (header[H_MAGIC] !== MAGIC || header[H_VERSION] !== VERSION) {
      throw new TypeError('Expected a SharedRegistry descriptor (bad magic or version)');
    }
    const r = new SharedRegistry({ maxThreads: descriptor.maxThreads });
    for (const m of descriptor.metrics) {
      r.#metrics.push(m);
      r.#byName.set(m.name, m);
    }
    r.#cells = descriptor.cells;
    r.#gauges = descriptor.gauges;
    r.#created = descriptor.created;
    r.#buffer = descriptor.buffer;
    r.#claim();
    return r;
  }

  /** Declares a counter (before the descriptor is taken), or returns this thread's handle to it. */
  counter(name: string, options?: SharedMetricOptions): SharedSeriesSet<SharedCounter> {
    return this.#metric('counter', name, options) as SharedSeriesSet<SharedCounter>;
  }

  /** Declares a gauge, or returns this thread's handle to it. Exposed value: the sum over threads. */
  gauge(name: string, options?: SharedMetricOptions): SharedSeriesSet<SharedGauge> {
    return this.#metric('gauge', name, options) as SharedSeriesSet<SharedGauge>;
  }

  /** Declares a histogram, or returns this thread's handle to it. */
  histogram(name: string, options?: SharedHistogramOptions): SharedSeriesSet<SharedHistogram> {
    return this.#metric('histogram', name, options) as SharedSeriesSet<SharedHistogram>;
  }

  /**
   * The buffer and layout, for `SharedRegistry.attach` in a worker. Taking it freezes the set
   * of metrics (the buffer is allocated then, and this thread claims shard 0).
   */
  get descriptor(): SharedRegistryDescriptor {
    this.#ensureBuffer();
    return {
      buffer: this.#buffer!,
      maxThreads: this.#maxThreads,
      metrics: this.#metrics,
      cells: this.#cells,
      gauges: this.#gauges,
      created: this.#created,
    };
  }

  /** Gives this thread's shard back (its counts stay, and the next attaching thread adds to them). */
  detach(): void {
    if (this.#shard < 0 || this.#buffer === undefined) return;
    const owners = new Int32Array(this.#buffer, HEADER_BYTES, this.#maxThreads);
    Atomics.store(owners, this.#shard, 0);
    this.#shard = -1;
    // Records after detach would write a shard another thread may own: unbind them.
    this.#state.cells = EMPTY_U32;
    this.#state.seq = EMPTY_U32;
    this.#state.values = EMPTY_F64;
    this.#state.bind = () => {
      throw new TypeError('Expected a SharedRegistry that is attached, got one after detach()');
    };
  }

  /** Classic Prometheus text of every shared metric, summed over all threads. */
  toPrometheus(): string {
    return this.expose('text');
  }

  /** OpenMetrics text of every shared metric (closing `# EOF` included). */
  toOpenMetrics(): string {
    return `${this.expose('openmetrics')}# EOF\n`;
  }

  /** The families in `format`, without `# EOF` (what a `Monitor` collector appends). */
  expose(format: Format): string {
    this.#ensureBuffer();
    const buffer = this.#buffer!;
    this.#views ??= this.#shardViews(buffer);
    const shards = this.#views;
    const created = epochSeconds(this.#created);
    let out = '';
    for (const m of this.#metrics) {
      const omName =
        m.type === 'counter' && m.name.endsWith('_total') ? m.name.slice(0, -6) : m.name;
      const family = format === 'openmetrics' ? omName : m.name;
      out +=
        format === 'text'
          ? `# HELP ${m.name} ${escapeHelp(m.help)}\n# TYPE ${m.name} ${m.type}\n`
          : `# TYPE ${family} ${m.type}\n# HELP ${family} ${escapeHelpOpenMetrics(m.help)}\n`;
      m.series.forEach((values, s) => {
        const rendered = values
          .map((v, i) => `${m.labelNames[i]}="${escapeLabelValue(v)}"`)
          .join(',');
        const braces = rendered ? `{${rendered}}` : '';
        if (m.type === 'counter') {
          let total = 0;
          for (const sh of shards) total += read64(sh.cells, m.first + s);
          const sample = format === 'openmetrics' ? `${family}_total` : m.name;
          out += `${sample}${braces} ${total}\n`;
          if (format === 'openmetrics') out += `${family}_created${braces} ${created}\n`;
        } else if (m.type === 'gauge') {
          let total = 0;
          for (const sh of shards) total += readGauge(sh.seq, sh.values, m.first + s);
          out += `${m.name}${braces} ${formatValue(total)}\n`;
        } else {
          const buckets = m.buckets!;
          const per = buckets.length + 2; // buckets, +Inf, sum
          const at = m.first + s * per;
          const sep = rendered ? `${rendered},` : '';
          let running = 0;
          for (let b = 0; b <= buckets.length; b++) {
            for (const sh of shards) running += read64(sh.cells, at + b);
            const le =
              b === buckets.length
                ? '+Inf'
                : formatValue(Number((buckets[b]! * m.scale!).toPrecision(12)));
            out += `${m.name}_bucket{${sep}le="${le}"} ${running}\n`;
          }
          let sum = 0;
          for (const sh of shards) sum += read64(sh.cells, at + buckets.length + 1);
          out += `${m.name}_sum${braces} ${formatValue(sum * m.scale!)}\n${m.name}_count${braces} ${running}\n`;
          if (format === 'openmetrics') out += `${m.name}_created${braces} ${created}\n`;
        }
      });
    }
    return out;
  }

  #metric(
    type: SharedMetricLayout['type'],
    name: string,
    options: SharedHistogramOptions | undefined,
  ): SharedSeriesSet<unknown> {
    const existing = this.#byName.get(name);
    if (existing !== undefined) {
      if (existing.type !== type) {
        throw new TypeError(
          `Expected shared metric "${name}" to be a ${type}, but it is a ${existing.type}`,
        );
      }
      return this.#handle(existing);
    }
    if (this.#buffer !== undefined) {
      throw new TypeError(
        `Expected shared metric "${name}" to be declared before the registry was first used (its first record, scrape or descriptor allocates the buffer, which cannot grow)`,
      );
    }
    checkOptions('options', options);
    checkMetricName(name);
    const help = options?.help ?? name;
    if (typeof help !== 'string') throw new TypeError('Expected `help` to be a string');
    const reserved = type === 'histogram' ? ['le'] : [];
    const labelNames = checkLabelNames(options?.labelNames, reserved);
    const list = options?.series ?? (labelNames.length === 0 ? [{}] : undefined);
    if (!Array.isArray(list) || list.length === 0) {
      throw new TypeError(
        `Expected \`series\` to list the label sets of "${name}" up front, got ${describe(list)}`,
      );
    }
    const series = list.map((labels: Labels) => {
      if (
        typeof labels !== 'object' ||
        labels === null ||
        Object.keys(labels).length !== labelNames.length
      ) {
        throw new TypeError(
          `Expected every series of "${name}" to have the labels {${labelNames.join(', ')}}, got ${describe(labels)}`,
        );
      }
      return labelNames.map((n) => {
        const v = labels[n];
        if (typeof v !== 'string' && typeof v !== 'number') {
          throw new TypeError(
            `Expected label "${n}" of "${name}" to be a string or number, got ${describe(v)}`,
          );
        }
        return String(v);
      });
    });
    let layout: SharedMetricLayout;
    if (type === 'histogram') {
      const buckets = options?.buckets ?? DEFAULT_BUCKETS;
      if (!Array.isArray(buckets))
        throw new TypeError(`Expected \`buckets\` to be an array, got ${describe(buckets)}`);
      buckets.forEach((b, i) => {
        checkNumber('buckets[i]', b, 0, Number.MAX_VALUE);
        if (i > 0 && !(b > buckets[i - 1]!))
          throw new RangeError('Expected `buckets` to be strictly ascending');
      });
      const scale = checkNumber(
        'prometheusScale',
        options?.prometheusScale ?? 1e-6,
        Number.MIN_VALUE,
        Number.MAX_VALUE,
      );
      layout = {
        type,
        name,
        help,
        labelNames,
        series,
        buckets: [...buckets],
        scale,
        first: this.#cells,
      };
      this.#cells += series.length * (buckets.length + 2);
    } else if (type === 'counter') {
      layout = { type, name, help, labelNames, series, first: this.#cells };
      this.#cells += series.length;
    } else {
      layout = { type, name, help, labelNames, series, first: this.#gauges };
      this.#gauges += series.length;
    }
    this.#metrics.push(layout);
    this.#byName.set(name, layout);
    return new SharedSeriesSet(layout, () => this.#handle(layout));
  }

  #handle(m: SharedMetricLayout): SharedSeriesSet<unknown> {
    let h = this.#handles.get(m.name) as SharedSeriesSet<unknown> | undefined;
    if (h === undefined) {
      h = new SharedSeriesSet(m, undefined, this.#series(m));
      this.#handles.set(m.name, h);
    }
    return h;
  }

  #series(m: SharedMetricLayout): unknown[] {
    const st = this.#state;
    if (m.type === 'counter') return m.series.map((_, s) => new SharedCounter(st, m.first + s));
    if (m.type === 'gauge') return m.series.map((_, s) => new SharedGauge(st, m.first + s));
    const bounds = Float64Array.from([...m.buckets!, Number.POSITIVE_INFINITY]);
    return m.series.map(
      (_, s) => new SharedHistogram(st, m.first + s * (m.buckets!.length + 2), bounds),
    );
  }

  #shardBytes(): { cells: number; seq: number; values: number; total: number } {
    const cells = align(this.#cells * 8);
    const seq = align(this.#gauges * 4);
    const values = align(this.#gauges * 8);
    return { cells, seq, values, total: cells + seq + values };
  }

  #base(): number {
    return HEADER_BYTES + align(this.#maxThreads * 4);
  }

  #ensureBuffer(): void {
    if (this.#buffer !== undefined) return;
    const { total } = this.#shardBytes();
    this.#buffer = new SharedArrayBuffer(this.#base() + total * this.#maxThreads);
    const header = new Uint32Array(this.#buffer, 0, HEADER_BYTES / 4);
    header[H_MAGIC] = MAGIC;
    header[H_VERSION] = VERSION;
    header[H_SHARDS] = this.#maxThreads;
    this.#claim();
  }

  #claim(): void {
    const buffer = this.#buffer!;
    const owners = new Int32Array(buffer, HEADER_BYTES, this.#maxThreads);
    for (let i = 0; i < this.#maxThreads; i++) {
      if (Atomics.compareExchange(owners, i, 0, 1) === 0) {
        this.#shard = i;
        const v = this.#shardView(buffer, i);
        // Empty regions still get a non-empty view, so `length === 0` always means unbound.
        this.#state.cells = v.cells.length ? v.cells : new Uint32Array(2);
        this.#state.seq = v.seq.length ? v.seq : new Uint32Array(1);
        this.#state.values = v.values.length ? v.values : new Float64Array(1);
        return;
      }
    }
    throw new MonitorError(
      'PERF_MONITOR_SHARED_THREADS_EXHAUSTED',
      `All ${this.#maxThreads} shards of the shared registry are attached; raise maxThreads`,
    );
  }

  #shardView(buffer: SharedArrayBuffer, i: number) {
    const sizes = this.#shardBytes();
    const at = this.#base() + i * sizes.total;
    return {
      cells: new Uint32Array(buffer, at, sizes.cells / 4),
      seq: new Uint32Array(buffer, at + sizes.cells, sizes.seq / 4),
      values: new Float64Array(buffer, at + sizes.cells + sizes.seq, sizes.values / 8),
    };
  }

  #shardViews(buffer: SharedArrayBuffer) {
    return Array.from({ length: this.#maxThreads }, (_, i) => this.#shardView(buffer, i));
  }

  /** @internal The per-shard views every exposition reads. */
  descriptorViews(): { cells: Uint32Array; seq: Uint32Array; values: Float64Array }[] {
    return this.#shardViews(this.#buffer!);
  }
}

/**
 * A shared metric's series on this thread: `get()` for the unlabelled one, `labels(l)` for a
 * declared label set (look it up once and keep the handle on hot paths).
 */
export class SharedSeriesSet<S> {
  readonly #layout: SharedMetricLayout;
  readonly #resolve: (() => SharedSeriesSet<unknown>) | undefined;
  #series: S[] | undefined;
  #index: Map<string, number> | undefined;

  /** @internal */
  constructor(
    layout: SharedMetricLayout,
    resolve?: () => SharedSeriesSet<unknown>,
    series?: unknown[],
  ) {
    this.#layout = layout;
    this.#resolve = resolve;
    this.#series = series as S[] | undefined;
  }

  /** The metric's name. */
  get name(): string {
    return this.#layout.name;
  }

  /** The unlabelled series. */
  get(): S {
    if (this.#layout.labelNames.length > 0) {
      throw new TypeError(
        `Expected labels {${this.#layout.labelNames.join(', ')}} for "${this.#layout.name}"`,
      );
    }
    return this.#all()[0]!;
  }

  /** The series of a declared label set. */
  labels(labels: Labels): S {
    const names = this.#layout.labelNames;
    if (this.#index === undefined) {
      this.#index = new Map(this.#layout.series.map((v, i) => [v.join('\u0000'), i]));
    }
    const key = names.map((n) => String(labels?.[n])).join('\u0000');
    const i = this.#index.get(key);
    if (i === undefined) {
      throw new TypeError(
        `Expected one of the label sets declared for "${this.#layout.name}", got ${describe(labels)}`,
      );
    }
    return this.#all()[i]!;
  }

  #all(): S[] {
    if (this.#series === undefined) {
      // Declared on this thread before the buffer existed: bind to this thread's shard now.
      const bound = this.#resolve!();
      this.#series = (bound as SharedSeriesSet<S>).#all();
    }
    return this.#series;
  }
}
