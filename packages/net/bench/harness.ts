// A small side-by-side harness: every candidate of a table runs in the same process, in
// interleaved rounds (A B C, A B C, …) so drift of a shared, noisy machine hits all of them
// alike; we report the median of the rounds and the ratio to the table's baseline row.

export interface Row {
  name: string;
  /** Higher is better (ops/s) unless `lowerIsBetter`. */
  value: number;
  unit: string;
  extra?: string;
}

/** Keeps results observable so V8 cannot drop the work as dead code. */
export let sink: unknown;
export function consume(value: unknown): void {
  sink = value;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs each candidate `rounds` times, interleaved; returns the per-candidate samples. */
export async function rounds<T>(
  candidates: { name: string; run: () => Promise<T> | T }[],
  count: number,
): Promise<Map<string, T[]>> {
  const out = new Map<string, T[]>(candidates.map((c) => [c.name, []]));
  for (let r = 0; r < count; r++) {
    for (const c of candidates) out.get(c.name)!.push(await c.run());
  }
  return out;
}

/** Ops per second of `fn` called `n` times per sample (sync), median of `samples`. */
export function opsPerSec(fn: (i: number) => unknown, n: number): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) consume(fn(i));
  return n / ((performance.now() - t0) / 1000);
}

export function fmt(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return String(n);
  return n.toLocaleString('en-US', {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });
}

/** Prints a markdown table; ratio is value / baseline (or baseline / value when lower is better). */
export function table(
  title: string,
  rows: Row[],
  baseline: string,
  options: { lowerIsBetter?: boolean; digits?: number; extraHeader?: string } = {},
): void {
  const base = rows.find((r) => r.name === baseline)?.value ?? Number.NaN;
  console.log(`\n### ${title}\n`);
  const extra = options.extraHeader ? ` ${options.extraHeader} |` : '';
  console.log(`| candidate | median | ratio vs ${baseline} |${extra}`);
  console.log(`|---|---:|---:|${options.extraHeader ? '---:|' : ''}`);
  for (const r of rows) {
    const ratio = options.lowerIsBetter ? base / r.value : r.value / base;
    const cell = options.extraHeader ? ` ${r.extra ?? ''} |` : '';
    console.log(
      `| ${r.name} | ${fmt(r.value, options.digits ?? 0)} ${r.unit} | ${ratio.toFixed(2)}× |${cell}`,
    );
  }
}
