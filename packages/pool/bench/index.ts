// Benchmarks of @perf/pool against what people use today, side by side in one process:
//   pnpm --filter @perf/pool bench      (or: cd packages/pool && npx tsx bench/index.ts)
// Add `--only=<suite>` to run one suite: slab, buffers, struct, bytes, files, gc.
import { bufferSuite } from './buffers.bench.js';
import { bytesSuite } from './bytes.bench.js';
import { filesSuite } from './files.bench.js';
import { gcSuite } from './gc.bench.js';
import { sinkValue } from './harness.js';
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
console.log(
  `# @perf/pool benchmarks — Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
);
for (const [name, suite] of Object.entries(SUITES)) {
  if (only && only !== name) continue;
  await suite();
}
console.log(`\n(sink ${sinkValue()})`);
