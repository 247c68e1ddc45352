// One table per comparison, timed by @perf/monitor's harness: the first case is the baseline
// row, and the ratio column reads "× faster than" it. An optional per-case note (bandwidth at
// 16M elements) is computed from the same run's median and printed beside the table.
import {
  Bench,
  type BenchOptions,
  type BenchReport,
  benchOptionsFromEnv,
  markdownTable,
  nsPerOp,
  toMarkdown,
} from '@perf/monitor/bench';

/** Every report of this process, in order, for the README chart (bench/index.ts). */
export const reports: BenchReport[] = [];

export interface Case {
  name: string;
  fn: () => unknown;
  /** A column computed from the median ns per call, e.g. bandwidth. */
  note?: ((medianNs: number) => string) | undefined;
}

export async function printBench(
  title: string,
  cases: Case[],
  options: BenchOptions = {},
): Promise<void> {
  const bench = new Bench(title, benchOptionsFromEnv({ time: 500, ...options }));
  for (const c of cases) bench.add(c.name, c.fn);
  const report = await bench.run();
  reports.push(report);
  console.log(`\n#### ${title}\n\n${toMarkdown(report)}`);
  if (cases.some((c) => c.note)) {
    const rows = report.cases.map((r, i) => [r.name, cases[i]!.note?.(nsPerOp(r)) ?? '']);
    console.log(`\n${markdownTable(['case', 'bandwidth'], rows)}`);
  }
}
