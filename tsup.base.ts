import { fileURLToPath } from 'node:url';
import type { Options } from 'tsup';

/** The private workspace package every @perf package bundles: code and types, never a dependency. */
const INTERNAL = '@perf/internal';
/**
 * Its sources by real path: the d.ts bundler treats a file reached through node_modules (the
 * workspace symlink) as an external library and would leave `import … from './errors.js'`
 * pointing nowhere; mapped with `paths`, the files are inlined like the package's own.
 */
const INTERNAL_SRC = fileURLToPath(new URL('./packages/internal/src/', import.meta.url));

/**
 * The one build every @perf package shares: ESM + CJS + .d.ts/.d.cts from
 * src/index.ts, targeting the oldest Node we support. A package passes its
 * own overrides (extra entries, `noExternal` for ESM-only dependencies).
 *
 * `@perf/internal` is always bundled (`noExternal`), its declarations inlined into the
 * package's .d.ts/.d.cts, so a published package never names it.
 * `keepNames` keeps class names (error `name`s) intact when bundling renames same-named classes.
 * `__PERF_DIST__` tells shared code it runs from a build (the worker runner drops its
 * run-from-TypeScript branch); `shims` gives CJS builds `import.meta.url` for worker files.
 */
export function packageBuild(overrides: Options = {}): Options {
  const { noExternal = [], define = {}, ...rest } = overrides;
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: {
      compilerOptions: {
        paths: {
          [INTERNAL]: [`${INTERNAL_SRC}index.ts`],
          [`${INTERNAL}/*`]: [`${INTERNAL_SRC}*`],
        },
      },
    },
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    treeshake: true,
    shims: true,
    // A package's `ClosedError` extends @perf/internal's `ClosedError`: bundled together,
    // esbuild renames one (`ClosedError2`), and `name = new.target.name` would say so.
    keepNames: true,
    ...rest,
    noExternal: [INTERNAL, ...(Array.isArray(noExternal) ? noExternal : [noExternal])],
    define: { __PERF_DIST__: 'true', ...define },
  };
}
