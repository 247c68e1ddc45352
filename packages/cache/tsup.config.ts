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

// quick-lru 7 is ESM-only: require() of it from our CJS build returns its namespace, so the
// CJS build carries its own copy (`noExternal`) while the ESM build imports it normally.
export default defineConfig([
  packageBuild({ format: ['esm'], clean: false }),
  packageBuild({ format: ['cjs'], clean: false, noExternal: ['quick-lru'] }),
  packageBuild({
    entry: { redis: 'src/redis/index.ts' },
    clean: false,
    esbuildPlugins: [errorsFromMain],
  }),
]);
