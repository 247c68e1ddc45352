// `pnpm --filter @perf/net bench`: every suite against its peers, in one process, timed by
// @perf/monitor's harness. PERF_BENCH_ONLY=compress,batch,loader,http,undici picks suites;
// PERF_BENCH_SAMPLES / PERF_BENCH_TIME change samples and time per case.
import { runSuites } from '@perf/monitor/bench';

const suites = {
  compress: () => import('./compress.bench.js'),
  batch: () => import('./batch.bench.js'),
  loader: () => import('./loader.bench.js'),
  http: () => import('./http.bench.js'),
  undici: () => import('./undici.bench.js'),
};
await runSuites('@perf/net', suites);
