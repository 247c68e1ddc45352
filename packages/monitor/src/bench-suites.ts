// What a package's bench/ folder needs around the harness: one printed table per comparison,
// and an index that runs the suites PERF_BENCH_ONLY names, with the machine record around them.

import { Bench } from './bench.js';
import { benchOptionsFromEnv } from './bench-env.js';
import { formatMachine, machine } from './machine.js';
import { toMarkdown } from './report.js';
import type { BenchOptions, BenchReport } from './types.js';

/** One case of {@link printBench}: the first one is the table's baseline row. */
export interface BenchCase {
  name: string;
  fn: () => unknown;
  /** Operations one call performs (throughput mode): messages, tasks, items, requests. */
  ops?: number;
}

/**
 * Runs one comparison and prints it as a Markdown table under a `####` title. `options` a
 * suite sets on purpose (a clock, few samples of a costly case) win over `PERF_BENCH_TIME` /
 * `PERF_BENCH_SAMPLES`, which set the rest (defaults: 500 ms and 10 samples per case).
 */
export async function printBench(
  title: string,
  cases: readonly BenchCase[],
  options: BenchOptions = {},
): Promise<BenchReport> {
  const bench = new Bench(title, {
    ...benchOptionsFromEnv({ time: 500, samples: 10 }),
    ...options,
  });
  for (const c of cases) bench.add(c.name, c.fn, c.ops === undefined ? {} : { ops: c.ops });
  const report = await bench.run();
  console.log(`\n#### ${title}\n\n${toMarkdown(report)}`);
  return report;
}

/** A suite module of a package's bench/ folder: `export async function run()`. */
export type BenchSuite = () => Promise<{ run(): Promise<void> }>;

/**
 * A package's `bench/index.ts`: runs every suite, or those named in `PERF_BENCH_ONLY`
 * (comma-separated), in one process, between two machine records.
 * @throws `TypeError` for a name in `PERF_BENCH_ONLY` that is not a suite.
 */
export async function runSuites(
  pkg: string,
  suites: Readonly<Record<string, BenchSuite>>,
): Promise<void> {
  const only = process.env.PERF_BENCH_ONLY?.split(',') ?? Object.keys(suites);
  const unknown = only.filter((n) => !(n in suites));
  if (unknown.length) {
    throw new TypeError(
      `Expected PERF_BENCH_ONLY to name suites of ${Object.keys(suites).join(', ')}, got \`${unknown.join(',')}\``,
    );
  }
  console.log(`# ${pkg} benchmarks · ${formatMachine(machine())}`);
  console.log(
    'Ratios: × faster than the first row of each table, per operation, from the same run.',
  );
  for (const name of only) await (await suites[name]!()).run();
  console.log(`\nEnd · ${formatMachine(machine())}`);
}
