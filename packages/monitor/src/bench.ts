// A benchmark harness after criterion.rs's method: warm up, then many timed samples of a
// batch of iterations each, Tukey outlier classification, and median/mean with percentile
// bootstrap confidence intervals. Cases are sampled in interleaved rounds (sample 1 of every
// case, then sample 2, …) so that a burst of load from a neighbour on a shared machine
// lands on all cases alike instead of skewing whichever case happened to be running.

import { BenchCaseError } from './errors.js';
import {
  bootstrap,
  classifyOutliers,
  meanOf,
  medianOf,
  mulberry32,
  sortedCopy,
  stddev,
} from './internal/stats.js';
import {
  checkFunction,
  checkInteger,
  checkNumber,
  checkOptions,
  describe,
  isThenable,
} from './internal/validate.js';
import { machine } from './machine.js';
import type { BenchCaseOptions, BenchCaseResult, BenchOptions, BenchReport } from './types.js';

const NS_PER_MS = 1e6;
/** Rounds of the calibration loop: ~5–10 µs here, long enough to dwarf the call overhead. */
const CALIBRATION_ROUNDS = 4096;

/**
 * Process CPU time (user + system) in ms. Time while the OS runs someone else is not
 * counted, which removes most preemption noise on a shared machine; GC helper threads are.
 */
function wallNow(): number {
  return performance.now();
}

function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * The calibration workload: a fixed integer hash loop (no allocation, no memory traffic)
 * whose speed only the machine changes. Sampled in every round next to the cases, it tells
 * a comparison how much faster or slower the machine itself was during each round.
 */
function calibrationWork(): number {
  let acc = 0x9e3779b9;
  for (let i = 0; i < CALIBRATION_ROUNDS; i++)
    acc = (Math.imul(acc ^ (acc >>> 15), 0x2c1b3c6d) + i) | 0;
  return acc;
}
/** Warm-up batches start at 1 iteration and double, so a slow case is not run 1000× blind. */
const FIRST_WARMUP_BATCH = 1;
/**
 * Cap on iterations per batch: a clock too coarse to see a case (or a fake clock that does
 * not move for it) must end the warm-up, not double the batch forever.
 */
const MAX_ITERATIONS = 2 ** 24;

/**
 * Every result goes here so the JIT cannot prove a case's return value unused and delete the
 * work (mitata's and tinybench's dead-code-elimination caveat).
 */
const blackhole: { value: unknown } = { value: undefined };

interface Case {
  readonly name: string;
  readonly fn: () => unknown;
  readonly options: BenchCaseOptions;
  async: boolean;
  iterations: number;
  readonly samples: number[];
}

/** A set of benchmark cases measured side by side in one run. */
export class Bench {
  /** Name of the suite, shown in reports and used in baselines. */
  readonly name: string;
  readonly #time: number;
  readonly #warmup: number;
  readonly #samples: number;
  readonly #resamples: number;
  readonly #confidence: number;
  readonly #seed: number;
  /** The injected clock, if any; otherwise chosen per run from `#clock`. */
  readonly #injected: (() => number) | undefined;
  readonly #clock: 'auto' | 'wall' | 'cpu';
  #now: () => number = wallNow;
  #clockUsed: 'wall' | 'cpu' | 'custom' = 'wall';
  readonly #cases: Case[] = [];
  readonly #calibration: Case | undefined;

  constructor(name = 'bench', options: BenchOptions = {}) {
    if (typeof name !== 'string')
      throw new TypeError(`Expected \`name\` to be a string, got ${describe(name)}`);
    checkOptions('options', options);
    this.name = name;
    this.#time = checkNumber(
      'time',
      options.time ?? 1000,
      Number.MIN_VALUE,
      Number.MAX_SAFE_INTEGER,
    );
    this.#warmup = checkNumber('warmup', options.warmup ?? 250, 0, Number.MAX_SAFE_INTEGER);
    this.#samples = checkInteger('samples', options.samples ?? 50, 5, 1_000_000);
    this.#resamples = checkInteger('resamples', options.resamples ?? 2000, 100, 1_000_000);
    this.#confidence = checkNumber('confidence', options.confidence ?? 0.95, 0.5, 0.9999);
    this.#seed = checkInteger('seed', options.seed ?? 1, 0, 2 ** 32 - 1);
    const clock = options.clock ?? 'auto';
    if (clock !== 'auto' && clock !== 'wall' && clock !== 'cpu') {
      throw new TypeError(
        `Expected \`clock\` to be 'auto', 'wall' or 'cpu', got ${describe(clock)}`,
      );
    }
    this.#clock = clock;
    if (options.now !== undefined) checkFunction('now', options.now);
    this.#injected = options.now;
    // With an injected clock the built-in workload would be invisible to it: off unless given.
    const calibration = options.calibration ?? options.now === undefined;
    if (typeof calibration !== 'boolean') checkFunction('calibration', calibration);
    this.#calibration =
      calibration === false
        ? undefined
        : {
            name: '_calibration',
            fn: calibration === true ? calibrationWork : calibration,
            options: {},
            async: false,
            iterations: 1,
            samples: [],
          };
  }

  /**
   * Adds a case; `fn` may be sync or async (its promise is awaited every iteration). The
   * first case added is the baseline row of the report's ratios unless the report names
   * another. With `ops`, one call of `fn` is a batch of that many operations (throughput mode).
   */
  add(name: string, fn: () => unknown, options: BenchCaseOptions = {}): this {
    if (typeof name !== 'string' || name === '') {
      throw new TypeError(`Expected \`name\` to be a non-empty string, got ${describe(name)}`);
    }
    if (this.#cases.some((c) => c.name === name)) {
      throw new TypeError(`Expected case names to be unique, got "${name}" twice`);
    }
    checkFunction('fn', fn);
    checkOptions('options', options);
    if (options.setup !== undefined) checkFunction('setup', options.setup);
    if (options.teardown !== undefined) checkFunction('teardown', options.teardown);
    if (options.ops !== undefined) checkNumber('ops', options.ops, Number.MIN_VALUE, 2 ** 53);
    this.#cases.push({ name, fn, options, async: false, iterations: 1, samples: [] });
    return this;
  }

  /** Names of the cases, in the order added. */
  get cases(): readonly string[] {
    return this.#cases.map((c) => c.name);
  }

  /**
   * Warms up every case, takes `samples` interleaved samples of each, and analyses them.
   * A case that throws rejects with {@link BenchCaseError} (`PERF_MONITOR_BENCH_CASE_FAILED`).
   */
  async run(): Promise<BenchReport> {
    const cases = this.#cases;
    // The calibration case is sampled first in every round, so sample i of every case
    // has a calibration sample taken moments before it.
    const all = this.#calibration ? [this.#calibration, ...cases] : cases;
    for (const c of all) c.samples.length = 0;
    try {
      for (const c of all) await guarded(c, () => c.options.setup?.());
      await this.#chooseClock(cases);
      for (const c of all) await this.#warmUp(c);
      for (let s = 0; s < this.#samples; s++) {
        for (const c of all) {
          const ms = await guarded(c, () => (c.async ? this.#sampleAsync(c) : this.#sampleSync(c)));
          c.samples.push((ms * NS_PER_MS) / c.iterations);
        }
      }
    } finally {
      for (const c of cases) await guarded(c, () => c.options.teardown?.()).catch(() => undefined);
    }
    const random = mulberry32(this.#seed);
    return {
      name: this.name,
      cases: cases.map((c) => this.#analyse(c, random)),
      ...(this.#calibration ? { calibration: { samples: [...this.#calibration.samples] } } : {}),
      environment: machine(this.#clockUsed),
    };
  }

  /**
   * 'auto' measures CPU time when every case is synchronous (preemption by other processes
   * is then invisible) and wall time as soon as one case is async (waiting must count).
   * One untimed probe call per case tells which.
   */
  async #chooseClock(cases: readonly Case[]): Promise<void> {
    if (this.#injected) {
      this.#now = this.#injected;
      this.#clockUsed = 'custom';
      return;
    }
    let clock = this.#clock;
    if (clock === 'auto') {
      clock = 'cpu';
      for (const c of cases) {
        const isAsync = await guarded(c, async () => {
          const out = c.fn();
          if (!isThenable(out)) return false;
          await out;
          return true;
        });
        if (isAsync) clock = 'wall';
      }
    }
    this.#now = clock === 'cpu' ? cpuNow : wallNow;
    this.#clockUsed = clock;
  }

  /** Runs the case in doubling batches for `warmup` ms, then sizes its sample batches. */
  async #warmUp(c: Case): Promise<void> {
    const first = await guarded(c, async () => {
      const start = this.#now();
      const r = c.fn();
      if (isThenable(r)) {
        c.async = true;
        await r;
      }
      return this.#now() - start;
    });
    let spent = first;
    // The least disturbed batch sizes the samples: one preemption or GC pause during a
    // short warm-up must not shrink every sample to a single iteration.
    let perIteration = first > 0 ? first : Number.POSITIVE_INFINITY;
    let batch = FIRST_WARMUP_BATCH;
    while (spent < this.#warmup && batch <= MAX_ITERATIONS) {
      c.iterations = batch;
      const ms = await guarded(c, () => (c.async ? this.#sampleAsync(c) : this.#sampleSync(c)));
      spent += ms;
      // A batch the clock did not see says nothing about the speed; skip it.
      if (ms > 0) perIteration = Math.min(perIteration, ms / batch);
      batch *= 2;
    }
    c.iterations = Number.isFinite(perIteration)
      ? Math.min(MAX_ITERATIONS, Math.max(1, Math.round(this.#time / this.#samples / perIteration)))
      : Math.min(batch, MAX_ITERATIONS);
  }

  #sampleSync(c: Case): number {
    const fn = c.fn;
    const n = c.iterations;
    const start = this.#now();
    for (let i = 0; i < n; i++) blackhole.value = fn();
    return this.#now() - start;
  }

  async #sampleAsync(c: Case): Promise<number> {
    const fn = c.fn;
    const n = c.iterations;
    const start = this.#now();
    for (let i = 0; i < n; i++) blackhole.value = await fn();
    return this.#now() - start;
  }

  #analyse(c: Case, random: () => number): BenchCaseResult {
    const median = bootstrap(c.samples, medianOf, this.#resamples, this.#confidence, random);
    const ops = c.options.ops ?? 1;
    return {
      name: c.name,
      samples: [...c.samples],
      iterationsPerSample: c.iterations,
      ...(ops === 1 ? {} : { opsPerIteration: ops }),
      median,
      mean: bootstrap(c.samples, meanOf, this.#resamples, this.#confidence, random),
      stddev: stddev(c.samples),
      opsPerSecond: (1e9 * ops) / median.point,
      outliers: classifyOutliers(sortedCopy(c.samples)),
    };
  }
}

async function guarded<T>(c: Case, f: () => T | Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (cause) {
    throw new BenchCaseError(c.name, { cause });
  }
}
