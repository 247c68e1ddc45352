/**
 * A small side-by-side harness: every row of a table runs in this one process, on the same
 * inputs, and reports its median time per call and its ratio to the table's baseline row.
 *
 * Pitfalls handled (after mitata's notes): every result feeds a sink that is printed at the
 * end, so no call is dead code; inputs are allocated once, outside the timed region, so the
 * kernels' own allocation (none) is what is measured; calls are batched so each timed sample
 * lasts ≥ SAMPLE_NS (the clock's resolution is ~1 µs) and the median of the samples is
 * reported, which shrugs off GC pauses and the scheduler noise of a shared machine.
 */

const SAMPLE_NS = 250_000;

let sink = 0;
export function consume(x: unknown): void {
  sink += typeof x === 'number' ? x : 1;
}
export function sinkValue(): number {
  return sink;
}

export interface Row {
  name: string;
  medianNs: number;
  /** Extra column, e.g. bandwidth. */
  note?: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median ns per call of `fn`, sampling for about `budgetMs` and at least `minSamples` times. */
export function measure(fn: () => unknown, budgetMs = 300, minSamples = 5, warmup = 20): number {
  for (let i = 0; i < warmup; i++) consume(fn()); // tier up JS and wasm (Liftoff → TurboFan)
  let reps = 1;
  for (;;) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) consume(fn());
    const ns = Number(process.hrtime.bigint() - t);
    if (ns >= SAMPLE_NS || reps >= 1 << 24) break;
    reps *= 2;
  }
  const samples: number[] = [];
  const end = performance.now() + budgetMs;
  while (samples.length < minSamples || (performance.now() < end && samples.length < 200)) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) consume(fn());
    samples.push(Number(process.hrtime.bigint() - t) / reps);
  }
  return median(samples);
}

/** Same for an async `fn` (one call per sample). */
export async function measureAsync(fn: () => Promise<unknown>, samples = 15): Promise<number> {
  for (let i = 0; i < 3; i++) consume(await fn());
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = process.hrtime.bigint();
    consume(await fn());
    times.push(Number(process.hrtime.bigint() - t));
  }
  return median(times);
}

export function formatNs(ns: number): string {
  if (ns < 1_000) return `${ns.toFixed(1)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(2)} µs`;
  if (ns < 1_000_000_000) return `${(ns / 1_000_000).toFixed(2)} ms`;
  return `${(ns / 1_000_000_000).toFixed(2)} s`;
}

/**
 * Prints a markdown table; the first row is the baseline. `ratio` is baseline time / row time
 * (above 1 = faster than the baseline).
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
