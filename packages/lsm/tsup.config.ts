import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

// Two extra entries: the compaction worker, loaded at run time from the file next to
// dist/index.js (.cjs next to dist/index.cjs), and the abstract-level adapter subpath.
// `shims` gives the CJS build an `import.meta.url`, which the worker path is resolved from.
export default defineConfig(
  packageBuild({
    entry: {
      index: 'src/index.ts',
      'compaction-worker': 'src/internal/compaction-worker.ts',
      level: 'src/level.ts',
    },
    shims: true,
  }),
);
