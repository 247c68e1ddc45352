// Type-level tests of every package's public API through its built ESM and CJS entry points
// (types/*.mts and types/*.cts, written with vitest's expectTypeOf), compiled by tsc as a
// consumer would. Add <package>.esm.mts and <package>.cjs.cts to types/ for a package.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, root } from '../../scripts/lib.mjs';

const project = join(root, 'tests', 'repo', 'types', 'tsconfig.json');
const built = existsSync(join(root, 'packages', 'monitor', 'dist', 'index.d.ts'));

describe('public API types (ESM and CJS entry points)', () => {
  // Without a build there is nothing to check: a failure in CI, a skip with a reason locally.
  it.skipIf(!built && !process.env.CI)(
    'type-check as a consumer (tsc, NodeNext)',
    () => {
      expect(built, 'packages are not built: run `pnpm build` first').toBe(true);
      const r = spawnSync(bin('tsc'), ['--noEmit', '-p', project], {
        cwd: root,
        encoding: 'utf8',
        timeout: 240_000,
      });
      expect(r.stdout + r.stderr).toBe('');
      expect(r.status).toBe(0);
    },
    250_000,
  ); // one tsc over every package's files: 15-30 s here, more on a loaded machine
});
