// `pnpm --filter @perf/simd bench` (or `npx tsx bench/index.ts [kernels|allocation|duplicates|parallel]`):
// every suite of @perf/simd against the plain-JS baselines and the `Set` people use today,
// side by side in this one process. Prints markdown tables of medians and ratios.
import { arch, cpus } from 'node:os';
import { benchAllocation } from './allocation.bench.js';
import { benchHasDuplicates } from './has-duplicates.bench.js';
import { sinkValue } from './harness.js';
import { benchDotMany, benchKernels } from './kernels.bench.js';
import { benchParallel } from './parallel.bench.js';

const only = process.argv[2];
const run = (name: string) => only === undefined || only === name;

console.log(
  `@perf/simd bench · Node ${process.version} · ${arch()} · ${cpus().length} cores (${cpus()[0]?.model ?? '?'}) · ${new Date().toISOString().slice(0, 10)}`,
);
if (run('kernels')) {
  benchKernels([1 << 10, 1 << 16, 1 << 24]);
  benchDotMany();
}
if (run('allocation')) await benchAllocation();
if (run('duplicates')) benchHasDuplicates([1_000_000, 10_000_000]);
if (run('parallel')) await benchParallel(1 << 24);
console.log(`\n(sink ${sinkValue() === 0 ? 0 : 1})`);
