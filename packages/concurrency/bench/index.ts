// `pnpm --filter @perf/concurrency bench`: every suite against its peers, in one process.
// PERF_BENCH_ONLY=rings,sync,pool,parallel picks suites; PERF_BENCH_REPEATS sets runs per median.
import { availableParallelism, cpus } from 'node:os';

const suites: Record<string, () => Promise<{ run(): Promise<void> }>> = {
  rings: () => import('./rings.bench.js'),
  sync: () => import('./sync.bench.js'),
  pool: () => import('./pool.bench.js'),
  parallel: () => import('./parallel.bench.js'),
};
const only = process.env.PERF_BENCH_ONLY?.split(',') ?? Object.keys(suites);
console.log(
  `# @perf/concurrency benchmarks — Node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown'}), ${new Date().toISOString()}`,
);
console.log(
  'Medians of PERF_BENCH_REPEATS runs (default 5) after one warm-up; ratios vs the baseline row.',
);
for (const name of only) {
  const suite = suites[name];
  if (!suite) throw new Error(`unknown suite ${name}`);
  await (await suite()).run();
}
