// `pnpm --filter @perf/simd bench` (or `npx tsx bench/index.ts [kernels|allocation|duplicates|parallel]`):
// every suite of @perf/simd against the plain-JS baselines and the `Set` people use today,
// side by side in this one process, timed by @perf/monitor's harness. Prints markdown tables
// of medians and ratios (× faster than each table's first row) with the machine line.
import { formatMachine, machine } from '@perf/monitor/bench';
import { benchAllocation } from './allocation.bench.js';
import { benchHasDuplicates } from './has-duplicates.bench.js';
import { benchDotMany, benchKernels } from './kernels.bench.js';
import { benchParallel } from './parallel.bench.js';

const only = process.argv[2];
const run = (name: string) => only === undefined || only === name;

console.log(`@perf/simd bench · ${formatMachine(machine())}`);
if (run('kernels')) {
  await benchKernels([1 << 10, 1 << 16, 1 << 24]);
  await benchDotMany();
}
if (run('allocation')) await benchAllocation();
if (run('duplicates')) await benchHasDuplicates([1_000_000, 10_000_000]);
if (run('parallel')) await benchParallel(1 << 24);
