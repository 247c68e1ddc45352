#!/usr/bin/env node
// The package-quality gates CI runs after the tests. Each gate is a command; all run, and
// the script exits non-zero if any failed. Run one alone: `pnpm gates publint`.
import { spawnSync } from 'node:child_process';
import { bin, packages, root } from './lib.mjs';

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', NO_COLOR: '1' };
const pkgs = packages();
const gates = {
  skeleton: [['node', ['scripts/check-skeleton.mjs']]],
  cycles: [['node', ['scripts/check-cycles.mjs']]],
  lint: [[bin('biome'), ['check', '.']]],
  typecheck: [[bin('turbo'), ['run', 'typecheck', '--output-logs=errors-only']]],
  docs: [[bin('typedoc'), []]],
  publint: pkgs.map((p) => [bin('publint'), ['--strict', p.dir]]),
  attw: pkgs.map((p) => [bin('attw'), ['--pack', p.dir, '--format', 'ascii', '--no-summary']]),
  consumer: [['node', ['scripts/consumer.mjs']]],
  release: [['node', ['scripts/release-test.mjs']]],
};

const only = process.argv.slice(2);
const results = [];
for (const [name, cmds] of Object.entries(gates)) {
  if (only.length && !only.includes(name)) continue;
  const t0 = performance.now();
  let ok = true;
  for (const [cmd, args] of cmds) {
    const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
    if (r.status !== 0) ok = false;
  }
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(`gate ${name}: ${ok ? 'ok' : 'FAILED'} (${secs} s)`);
  results.push([name, ok]);
}
const failed = results.filter(([, ok]) => !ok).map(([n]) => n);
console.log(
  failed.length ? `gates failed: ${failed.join(', ')}` : `all ${results.length} gates ok`,
);
process.exit(failed.length ? 1 : 0);
