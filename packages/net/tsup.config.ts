import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

// `@perf/net/undici` is its own entry so that only it loads undici (an optional peer).
export default defineConfig(
  packageBuild({
    entry: { index: 'src/index.ts', undici: 'src/undici.ts' },
    external: ['undici'],
    // One shared chunk, so the Http2Pool of both entries is the same class.
    splitting: true,
  }),
);
