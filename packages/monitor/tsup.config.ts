import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

// Three entries: the library, the benchmark harness subpath (@perf/monitor/bench), and the
// perf-bench command (its own bundle, so the library stays free of argument parsing).
export default defineConfig(
  packageBuild({ entry: { index: 'src/index.ts', bench: 'src/bench-api.ts', cli: 'src/cli.ts' } }),
);
