import { defineConfig, type Options } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

type Plugin = NonNullable<Options['esbuildPlugins']>[number];

// The `./redis` entry throws the main entry's error classes: import them from `@perf/cache`
// itself instead of bundling a second copy, so `instanceof` holds across the two entries.
const errorsFromMain: Plugin = {
  name: 'errors-from-main',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/errors\.js$/ }, (args) =>
      /[\\/]src[\\/]redis[\\/]/.test(args.importer)
        ? { path: '@perf/cache', external: true }
        : undefined,
    );
  },
};

// No runtime dependencies (LruCache holds quick-lru's two generations itself), so the ESM and
// CJS builds of the main entry differ in format only.
export default defineConfig([
  packageBuild({ format: ['esm'], clean: false }),
  packageBuild({ format: ['cjs'], clean: false }),
  packageBuild({
    entry: { redis: 'src/redis/index.ts' },
    clean: false,
    esbuildPlugins: [errorsFromMain],
  }),
]);
