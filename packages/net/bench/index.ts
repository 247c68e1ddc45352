// `pnpm --filter @perf/net bench`: every suite against its peers, side by side in one process.
// BENCH_ONLY=http,batch,loader,compress picks suites; BENCH_HTTP_MS / BENCH_ROUNDS tune length.
import { batchBench } from './batch.bench.js';
import { compressBench } from './compress.bench.js';
import { httpBench } from './http.bench.js';
import { loaderBench } from './loader.bench.js';

const only = new Set((process.env.BENCH_ONLY ?? 'http,batch,loader,compress').split(','));
console.log(
  `@perf/net benchmarks — Node ${process.version}, ${process.platform}/${process.arch}, ${new Date().toISOString()}`,
);
if (only.has('compress')) await compressBench();
if (only.has('batch')) await batchBench();
if (only.has('loader')) await loaderBench();
if (only.has('http')) await httpBench();
