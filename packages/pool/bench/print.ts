// Every pool suite times through @perf/monitor's harness: cases of one table run interleaved in
// this one process, in CPU time for the synchronous ones (other processes' time slices do not
// count), each case a throughput batch of `ops` operations; the first case is the baseline row
// and the ratio column reads "× faster than" it. Returned values go to the harness's blackhole.
import { appendFileSync } from 'node:fs';
import {
  Bench,
  type BenchOptions,
  benchOptionsFromEnv,
  markdownTable,
  toMarkdown,
} from '@perf/monitor/bench';

export interface Case {
  name: string;
  /** Runs `n` operations and returns something derived from them. */
  run: (n: number) => number;
}

/** Times `cases` (the first is the baseline), `ops` operations per call, and prints the table. */
export async function compare(
  title: string,
  cases: Case[],
  { ops, ...options }: { ops: number } & BenchOptions,
): Promise<void> {
  const bench = new Bench(title, benchOptionsFromEnv({ time: 1000, ...options }));
  for (const c of cases) bench.add(c.name, () => c.run(ops), { ops });
  const report = await bench.run();
  console.log(`\n### ${title}\n\n${toMarkdown(report)}`);
  // The parent process (bench/index.ts) draws the README chart from every suite's report.
  const sink = process.env.PERF_POOL_REPORTS;
  if (sink) appendFileSync(sink, `${JSON.stringify(report)}\n`);
}

/** A table of figures the harness does not time (heap sizes, GC counts). */
export function printTable(title: string, head: string[], rows: string[][]): void {
  console.log(`\n### ${title}\n\n${markdownTable(head, rows)}`);
}

export function fmt(x: number): string {
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}
