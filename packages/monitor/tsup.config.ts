import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

// Two entries: the library, and the perf-bench command (its own bundle, so the library
// stays free of argument parsing).
export default defineConfig(packageBuild({ entry: ['src/index.ts', 'src/cli.ts'] }));
