// Every package README's Usage examples run as tests, against the built workspace packages,
// so the examples cannot rot. (The consumer gate runs them again against the packed tarballs,
// as ESM and CJS.)
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toEsm } from '../../scripts/examples.mjs';
import { codeBlocks, packages, root } from '../../scripts/lib.mjs';

const out = join(root, '.tmp', 'readme-examples');
mkdirSync(out, { recursive: true });

for (const pkg of packages()) {
  const blocks = codeBlocks(readFileSync(join(pkg.dir, 'README.md'), 'utf8'), 'Usage');
  describe(`${pkg.name} README`, () => {
    blocks.forEach((ts, i) => {
      it(`Usage example ${i + 1} runs`, () => {
        const file = join(out, `${pkg.folder}-${i}.mjs`);
        writeFileSync(file, toEsm(ts));
        const r = spawnSync(process.execPath, [file], {
          cwd: out,
          encoding: 'utf8',
          timeout: 60_000,
        });
        expect(r.stderr, r.stdout).toBe('');
        expect(r.status).toBe(0);
      });
    });
  });
}
