// `pnpm --filter @perf/net bench`: every suite against its peers, in one process, timed by
// @perf/monitor's harness. PERF_BENCH_ONLY=compress,batch,loader,http,undici picks suites;
// PERF_BENCH_SAMPLES / PERF_BENCH_TIME change samples and time per case.
import { formatMachine, machine } from '@perf/monitor/bench';

const suites: Record<string, () => Promise<{ run(): Promise<void> }>> = {
  compress: () => import('./compress.bench.js'),
  batch: () => import('./batch.bench.js'),
  loader: () => import('./loader.bench.js'),
  http: () => import('./http.bench.js'),
  undici: () => import('./undici.bench.js'),
};
const only = process.env.PERF_BENCH_ONLY?.split(',') ?? Object.keys(suites);
console.log(`# @perf/net benchmarks · ${formatMachine(machine())}`);
console.log('Ratios: × faster than the first row of each table, per operation, from the same run.');
for (const name of only) {
  const suite = suites[name];
  if (!suite) throw new Error(`unknown suite ${name}`);
  await (await suite()).run();
}
console.log(`\nEnd · ${formatMachine(machine())}`);
