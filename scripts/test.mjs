#!/usr/bin/env node
// The README's test command lands here: build every package (turbo caches it), run every
// test once with vitest, and print the plain summary line CI reads as the very last line.
// Extra arguments go to vitest: `pnpm test -- --project cache`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bin, root } from './lib.mjs';
import { ensureSystemDeps } from './system-deps.mjs';

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', NO_COLOR: '1' };
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env }).status ?? 1;

// Tests run real redis-server, etcd, prometheus and chromium: install them or say how.
const deps = ensureSystemDeps();
if (!deps.ok) {
  console.log(`missing test servers: ${deps.missing.join(' ')}. Run once:\n  ${deps.command}`);
  console.log('0 passed, 1 failed, 0 skipped');
  process.exit(1);
}

if (run(bin('turbo'), ['run', 'build', '--output-logs=errors-only']) !== 0) {
  console.log('build failed');
  console.log('0 passed, 1 failed, 0 skipped');
  process.exit(1);
}

const report = join(root, '.tmp', 'vitest-report.json');
mkdirSync(join(root, '.tmp'), { recursive: true });
rmSync(report, { force: true });
const status = run(bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  // `pnpm test -- --project cache` forwards the `--` too; vitest would read what follows as files.
  ...process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')),
]);

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests;
  failed = r.numFailedTests;
  skipped = r.numPendingTests + r.numTodoTests;
  // A file that fails to load has no tests in it but must still fail the run.
  failed += r.testResults.filter(
    (f) => f.status === 'failed' && f.assertionResults.length === 0,
  ).length;
} catch {
  failed = Math.max(failed, 1);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(status !== 0 || failed > 0 ? 1 : 0);
