import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

// quick-lru 7 is ESM-only: require() of it from our CJS build returns its namespace, so the
// CJS build carries its own copy (`noExternal`) while the ESM build imports it normally.
export default defineConfig([
  packageBuild({ format: ['esm'], clean: false }),
  packageBuild({ format: ['cjs'], clean: false, noExternal: ['quick-lru'] }),
]);
