// A small side-by-side harness: every case of a suite runs in the same process, interleaved
// round by round (so machine noise hits all of them alike), and the table reports the median
// ns/op per case and its ratio to the suite's baseline row. Each case returns a number that is
// folded into a global sink and printed at the end, so the JIT cannot drop the work (mitata's
// dead-code-elimination note).
//
// Time is the process's CPU time (`process.cpuUsage`, user + system, µs resolution), not wall
// time: on this shared 2-core machine (load average 15-18 while others build and test) a
// wall-clock round mostly measures how long the scheduler kept us off the CPU, which swung
// single cases by 5-10x between runs. CPU time still includes our own GC and compiler threads.

export interface Case {
  name: string;
  /** Runs `n` operations and returns something derived from them. */
  run: (n: number) => number;
}

export interface Row {
  name: string;
  medianNs: number;
  ratio: number;
}

let sink = 0;
const WARMUP_PAUSE_MS = 100;

/** CPU time of this process so far, µs. */
export function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Runs `cases` (the first is the baseline) for `rounds` rounds of `ops` operations each, after
 * `warmup` unmeasured rounds, and prints a markdown table.
 */
export async function compare(
  title: string,
  cases: Case[],
  { ops, rounds = 21, warmup = 4 }: { ops: number; rounds?: number; warmup?: number },
): Promise<Row[]> {
  const samples = cases.map(() => [] as number[]);
  for (let r = 0; r < warmup + rounds; r++) {
    // Pause after each warm-up round: TurboFan compiles on a background thread, which gets
    // little CPU on a loaded machine; measuring before it lands would time the interpreter.
    if (r > 0 && r <= warmup) await new Promise((done) => setTimeout(done, WARMUP_PAUSE_MS));
    cases.forEach((c, k) => {
      const t0 = cpuMicros();
      sink = (sink + c.run(ops)) % 1e9;
      const ns = ((cpuMicros() - t0) * 1e3) / ops;
      if (r >= warmup) samples[k]!.push(ns);
    });
  }
  const base = median(samples[0]!);
  const rows = cases.map((c, k) => {
    const m = median(samples[k]!);
    return { name: c.name, medianNs: m, ratio: base / m };
  });
  printTable(
    title,
    ['case', 'median CPU ns/op', 'vs baseline'],
    rows.map((r) => [r.name, fmt(r.medianNs), `${fmt(r.ratio)}×`]),
  );
  return rows;
}

export function printTable(title: string, head: string[], rows: string[][]): void {
  console.log(`\n### ${title}\n`);
  console.log(`| ${head.join(' | ')} |`);
  console.log(`| ${head.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}

export function fmt(x: number): string {
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

export function sinkValue(): number {
  return sink;
}
