import type { Options } from 'tsup';

/**
 * The one build every @perf package shares: ESM + CJS + .d.ts/.d.cts from
 * src/index.ts, targeting the oldest Node we support. A package passes its
 * own overrides (extra entries, `noExternal` for ESM-only dependencies).
 */
export function packageBuild(overrides: Options = {}): Options {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    treeshake: true,
    ...overrides,
  };
}
