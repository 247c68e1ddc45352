// Benchmarks of @perf/pool against what people use today, side by side in one process:
//   pnpm --filter @perf/pool bench      (or: cd packages/pool && npx tsx bench/index.ts)
// Add `--only=<suite>` to run one suite: slab, buffers, struct, bytes, files, gc
// (PERF_BENCH_ONLY=slab,buffers,bytes,struct runs a few, each in its own process).
// A run of several suites redraws docs/speed.svg from its own reports (docs/bench-results.json).
//
// Without --only, each suite runs in a fresh child process: a suite that leaves a big heap
// behind (struct builds 3M records) would otherwise charge its major GC to the next suite.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type BenchReport,
  barChartFromReports,
  formatMachine,
  machine,
  writeChart,
} from '@perf/monitor/bench';
import { bufferSuite } from './buffers.bench.js';
import { bytesSuite } from './bytes.bench.js';
import { filesSuite } from './files.bench.js';
import { gcSuite } from './gc.bench.js';
import { slabSuite } from './slab.bench.js';
import { structSuite } from './struct.bench.js';

const SUITES: Record<string, () => void | Promise<void>> = {
  slab: slabSuite,
  buffers: bufferSuite,
  struct: structSuite,
  bytes: bytesSuite,
  files: filesSuite,
  gc: gcSuite,
};

const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
if (only) {
  const suite = SUITES[only];
  if (!suite) throw new Error(`unknown suite ${only}; one of ${Object.keys(SUITES).join(', ')}`);
  await suite();
} else {
  console.log(`# @perf/pool benchmarks — ${formatMachine(machine())}`);
  console.log(
    "CPU time per operation, medians of interleaved rounds (@perf/monitor's harness); ratios × faster than each table's first row.",
  );
  const tmp = mkdtempSync(join(tmpdir(), 'perf-pool-bench-'));
  const sink = join(tmp, 'reports.jsonl');
  const names = process.env.PERF_BENCH_ONLY?.split(',') ?? Object.keys(SUITES);
  for (const name of names) {
    const r = spawnSync(
      process.execPath,
      [...process.execArgv, process.argv[1]!, `--only=${name}`],
      {
        stdio: 'inherit',
        env: { ...process.env, PERF_POOL_REPORTS: sink },
      },
    );
    if (r.status !== 0) process.exitCode = 1;
  }
  let reports: BenchReport[] = [];
  try {
    reports = readFileSync(sink, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as BenchReport);
  } catch {}
  rmSync(tmp, { recursive: true, force: true });
  await drawChart(reports);
}

/**
 * The README's chart: each charted suite's plain-JS baseline (its first row) against the
 * @perf/pool case that replaces it, and @thi.ng/malloc where it was measured.
 */
async function drawChart(reports: BenchReport[]): Promise<void> {
  // suite name prefix → [short group label, the @perf/pool case charted]
  const headline: Record<string, [string, string]> = {
    'Slab:': ['replace 1 of 1,024 blocks', '@perf/pool `Slab` alloc + free'],
    'BufferPool:': ['replace 1 of 64 buffers', '@perf/pool `BufferPool` acquire + release'],
    'Bytes:': ['100-byte slice', '@perf/pool `Bytes.slice` (no copy)'],
    'defineStruct:': ['scan 1M records', '@perf/pool struct-of-arrays, typed columns'],
  };
  const charted = Object.keys(headline).flatMap((p) => {
    const r = reports.find((x) => x.name.startsWith(p));
    return r ? [{ p, r }] : [];
  });
  if (charted.length < 2) return; // not enough suites in this run for the chart
  const pool = new Map(charted.map(({ p, r }) => [r, headline[p]![1]]));
  const peerOf = (name: string, r: BenchReport) =>
    name === r.cases[0]?.name
      ? 'plain JS (allocate / copy / objects)'
      : name === pool.get(r)
        ? '@perf/pool'
        : name.startsWith('@thi.ng/malloc')
          ? '@thi.ng/malloc 6.1.8'
          : undefined;
  const docs = fileURLToPath(new URL('../docs', import.meta.url));
  const bar = barChartFromReports(
    charted.map(({ r }) => r),
    {
      title: '@perf/pool against plain JS and @thi.ng/malloc (CPU time per operation)',
      peerOf,
      baseline: 'plain JS (allocate / copy / objects)',
      log: true,
      xLabel: 'workload',
    },
  );
  const groups = charted.map(({ p }) => headline[p]![0]);
  const id = await writeChart(docs, 'bench-results', { reports }, [
    { name: 'speed', bar: { ...bar, groups } },
  ]);
  console.log(`\nChart: docs/speed.svg (run ${id}, results docs/bench-results.json)`);
}
