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
  /** Operations one call performs (throughput mode): messages, tasks, elements. */
  ops?: number;
}

/**
 * Runs and prints one table. `options` a suite sets on purpose (a clock, few samples of a
 * costly case) win over PERF_BENCH_TIME / PERF_BENCH_SAMPLES, which set the rest.
 */
export async function printBench(
  title: string,
  cases: Case[],
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

/**
 * A clock that advances only while a cross-thread transfer is being timed: the cases start
 * their workers and wait at a start line untimed, then add the transfer's own duration here.
 * Given to the harness as its `now`, so worker start-up never counts.
 */
export function transferClock(): { now: () => number; add: (ms: number) => void } {
  let elapsed = 0;
  return {
    now: () => elapsed,
    add: (ms) => {
      elapsed += ms;
    },
  };
}
