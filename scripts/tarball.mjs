// What a published tarball must and must not hold. Shared by the consumer gate and the
// release dry run.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const REQUIRED = [
  'package/package.json',
  'package/README.md',
  'package/dist/index.js',
  'package/dist/index.cjs',
  'package/dist/index.d.ts',
  'package/dist/index.d.cts',
];
const FORBIDDEN =
  /^package\/(src|test|bench|scripts|node_modules)\/|\.test\.|tsconfig|vitest\.config/;

/** The file list of a .tgz and the problems with it. */
export function inspectTarball(file) {
  const files = execFileSync('tar', ['tzf', file], { encoding: 'utf8' }).trim().split('\n');
  const problems = [
    ...REQUIRED.filter((f) => !files.includes(f)).map((f) => `missing ${f}`),
    ...files.filter((f) => FORBIDDEN.test(f)).map((f) => `should not ship ${f}`),
  ];
  return { files, problems };
}

/** Packs every package into `dest` as `pnpm publish` would; returns the tarball paths. */
export function packAll(pkgs, dest) {
  for (const p of pkgs) {
    execFileSync('npx', ['-y', 'pnpm@12.4.2', 'pack', '--pack-destination', dest], {
      cwd: p.dir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  return readdirSync(dest).map((f) => join(dest, f));
}
