// `pnpm --filter @perf/concurrency bench`: every suite against its peers, in one process, timed
// by @perf/monitor's harness. PERF_BENCH_ONLY=rings,sync,pool,parallel picks suites;
// PERF_BENCH_SAMPLES / PERF_BENCH_TIME change samples and time per case.
import { runSuites } from '@perf/monitor/bench';

const suites = {
  rings: () => import('./rings.bench.js'),
  sync: () => import('./sync.bench.js'),
  pool: () => import('./pool.bench.js'),
  parallel: () => import('./parallel.bench.js'),
};
await runSuites('@perf/concurrency', suites);
