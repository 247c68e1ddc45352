// One table per comparison, timed by @perf/monitor's harness (interleaved rounds, medians with
// confidence intervals); the first case is the baseline row and the ratio column reads
// "× faster than" it.
import {
  Bench,
  type BenchOptions,
  type BenchReport,
  benchOptionsFromEnv,
  toMarkdown,
} from '@perf/monitor/bench';

export interface Case {
  name: string;
  fn: () => unknown;
  /** Operations one call performs (throughput mode): items, loads, requests. */
  ops?: number;
}

export async function printBench(
  title: string,
  cases: Case[],
  options: BenchOptions = {},
): Promise<BenchReport> {
  const bench = new Bench(title, benchOptionsFromEnv({ time: 1000, samples: 10, ...options }));
  for (const c of cases) bench.add(c.name, c.fn, c.ops === undefined ? {} : { ops: c.ops });
  const report = await bench.run();
  console.log(`\n#### ${title}\n\n${toMarkdown(report)}`);
  return report;
}
