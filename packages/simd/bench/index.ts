// `pnpm --filter @perf/simd bench` (or `npx tsx bench/index.ts [kernels|allocation|duplicates|parallel]`):
// every suite of @perf/simd against the plain-JS baselines and the `Set` people use today,
// side by side in this one process, timed by @perf/monitor's harness. Prints markdown tables
// of medians and ratios (× faster than each table's first row) with the machine line.
import { fileURLToPath } from 'node:url';
import {
  type BenchReport,
  barChartFromReports,
  formatMachine,
  machine,
  writeChart,
} from '@perf/monitor/bench';
import { benchAllocation } from './allocation.bench.js';
import { benchHasDuplicates } from './has-duplicates.bench.js';
import { benchDotMany, benchKernels } from './kernels.bench.js';
import { benchParallel } from './parallel.bench.js';
import { reports } from './print.js';

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

// The README's chart, from this run's kernel tables (docs/kernels.svg embeds the hash of
// docs/bench-results.json): the plain JS loop against the wasm kernels, on arrays in module
// memory and on foreign arrays copied in.
const kernels = reports.filter((r) => /^f32 (add|sum|dot|min \/ argmin), n = /.test(r.name));
if (kernels.length > 0) {
  const peerOf = (name: string, r: BenchReport) =>
    name === r.cases[0]?.name
      ? 'plain JS loop'
      : /^@perf\/simd wasm(, arrays? in memory| min \()/.test(name)
        ? '@perf/simd wasm, arrays in module memory'
        : /^@perf\/simd wasm, foreign/.test(name)
          ? '@perf/simd wasm, foreign arrays (copied in)'
          : undefined;
  const bar = barChartFromReports(kernels, {
    title: 'f32 kernels: @perf/simd (WebAssembly SIMD) against a plain JS loop',
    peerOf,
    baseline: 'plain JS loop',
    log: true,
    xLabel: 'kernel and array length',
  });
  const groups = kernels.map((r) => r.name.replace(/^f32 (\w+)(?: \/ argmin)?, n = /, '$1 '));
  const docs = fileURLToPath(new URL('../docs', import.meta.url));
  const id = await writeChart(docs, 'bench-results', { reports }, [
    { name: 'kernels', bar: { ...bar, groups } },
  ]);
  console.log(`\nChart: docs/kernels.svg (run ${id}, results docs/bench-results.json)`);
}
