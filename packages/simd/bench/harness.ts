/**
 * A small side-by-side harness: the cases of one table run in this one process, on the same
 * inputs, interleaved round by round, and each reports its median time per call and its
 * ratio to the table's first (baseline) case.
 *
 * Pitfalls handled (after mitata's notes): every result feeds a sink that is printed at the
 * end, so no call is dead code; inputs are allocated once, outside the timed region, so the
 * kernels' own allocation (none) is what is measured; calls are batched so each timed sample
 * lasts ≥ SAMPLE_NS (the clock's resolution is ~1 µs); and the cases take turns, one sample
 * each per round, so a burst of load from other processes on this shared machine hits every
 * case alike instead of whichever happened to run then. Medians shrug off GC pauses.
 */

const SAMPLE_NS = 250_000;
const MAX_ROUNDS = 200;

let sink = 0;
export function consume(x: unknown): void {
  sink += typeof x === 'number' ? x : 1;
}
export function sinkValue(): number {
  return sink;
}

export interface Case {
  name: string;
  fn: () => unknown;
  /** Extra column from the median, e.g. bandwidth. */
  note?: (medianNs: number) => string | undefined;
}

export interface Row {
  name: string;
  medianNs: number;
  note?: string | undefined;
}

export interface CompareOptions {
  /** Time budget for the sampling rounds of the whole table. @defaultValue 300 ms per case */
  budgetMs?: number;
  /** Rounds to take at least, whatever the budget. @defaultValue 5 */
  minRounds?: number;
  /** Untimed calls per case first, to let JS and wasm tier up. @defaultValue 20 */
  warmup?: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function timed(fn: () => unknown, reps: number): number {
  const t = process.hrtime.bigint();
  for (let i = 0; i < reps; i++) consume(fn());
  return Number(process.hrtime.bigint() - t);
}

/** Median ns per call of every case, sampled in interleaved rounds. */
export function compare(cases: Case[], options: CompareOptions = {}): Row[] {
  const { budgetMs = 300 * cases.length, minRounds = 5, warmup = 20 } = options;
  const reps = cases.map(({ fn }) => {
    for (let i = 0; i < warmup; i++) consume(fn());
    // Calibrate the batch size; with no warm-up asked for, a call that is already long enough
    // (seconds, for a Set of 10M) is not repeated just to calibrate.
    if (warmup === 0) return 1;
    let r = 1;
    while (timed(fn, r) < SAMPLE_NS && r < 1 << 24) r *= 2;
    return r;
  });
  const samples = cases.map((): number[] => []);
  const end = performance.now() + budgetMs;
  for (
    let round = 0;
    round < minRounds || (performance.now() < end && round < MAX_ROUNDS);
    round++
  ) {
    for (const [i, { fn }] of cases.entries()) samples[i]!.push(timed(fn, reps[i]!) / reps[i]!);
  }
  return cases.map(({ name, note }, i) => {
    const medianNs = median(samples[i]!);
    return { name, medianNs, note: note?.(medianNs) };
  });
}

/** The same for cases that may return promises: one awaited call per sample. */
export async function compareAsync(
  cases: { name: string; fn: () => unknown }[],
  rounds = 15,
): Promise<Row[]> {
  for (const { fn } of cases) for (let i = 0; i < 3; i++) consume(await fn());
  const samples = cases.map((): number[] => []);
  for (let round = 0; round < rounds; round++) {
    for (const [i, { fn }] of cases.entries()) {
      const t = process.hrtime.bigint();
      consume(await fn());
      samples[i]!.push(Number(process.hrtime.bigint() - t));
    }
  }
  return cases.map(({ name }, i) => ({ name, medianNs: median(samples[i]!) }));
}

export function formatNs(ns: number): string {
  if (ns < 1_000) return `${ns.toFixed(1)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(2)} µs`;
  if (ns < 1_000_000_000) return `${(ns / 1_000_000).toFixed(2)} ms`;
  return `${(ns / 1_000_000_000).toFixed(2)} s`;
}

/**
 * Prints a markdown table; the first row is the baseline. The ratio is baseline time / row
 * time (above 1 = faster than the baseline).
 */
export function printTable(title: string, rows: Row[]): void {
  const base = rows[0]!.medianNs;
  const hasNote = rows.some((r) => r.note);
  console.log(`\n#### ${title}\n`);
  console.log(`| case | median | vs ${rows[0]!.name} |${hasNote ? ' note |' : ''}`);
  console.log(`|---|---:|---:|${hasNote ? '---|' : ''}`);
  for (const r of rows) {
    const ratio = `${(base / r.medianNs).toFixed(2)}×`;
    console.log(
      `| ${r.name} | ${formatNs(r.medianNs)} | ${ratio} |${hasNote ? ` ${r.note ?? ''} |` : ''}`,
    );
  }
}
