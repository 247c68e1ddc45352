// Benchmarks of @perf/pool against what people use today, side by side in one process:
//   pnpm --filter @perf/pool bench      (or: cd packages/pool && npx tsx bench/index.ts)
// Add `--only=<suite>` to run one suite: slab, buffers, struct, bytes, files, gc.
//
// Without --only, each suite runs in a fresh child process: a suite that leaves a big heap
// behind (struct builds 3M records) would otherwise charge its major GC to the next suite.
import { spawnSync } from 'node:child_process';
import { formatMachine, machine } from '@perf/monitor/bench';
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
  for (const name of Object.keys(SUITES)) {
    const r = spawnSync(
      process.execPath,
      [...process.execArgv, process.argv[1]!, `--only=${name}`],
      {
        stdio: 'inherit',
      },
    );
    if (r.status !== 0) process.exitCode = 1;
  }
}
