import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { CLI } from './helpers.js';

it('rejects an unknown command and a bad flag with a clear message and a non-zero exit', () => {
  const unknown = spawnSync(process.execPath, [CLI, 'frobnicate'], { encoding: 'utf8' });
  expect(unknown.status).toBe(2);
  expect(unknown.stderr).toContain('unknown command');
  const bad = spawnSync(process.execPath, [CLI, 'serve', '--shards', '0'], { encoding: 'utf8' });
  expect(bad.status).toBe(1);
  expect(bad.stderr).toContain('--shards');
});

it('runs a short demo end to end: load phases, SLA report, JSON and HTML files', () => {
  const r = spawnSync(
    process.execPath,
    [
      CLI,
      'demo',
      '--duration',
      '4',
      '--keys',
      '2000',
      '--concurrency',
      '8',
      '--report-dir',
      'test-results/demo-report',
    ],
    { encoding: 'utf8', timeout: 120_000 },
  );
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  for (const s of [
    'GET /kv/:key',
    'PUT /kv/:key',
    'POST /vectors/search',
    'SLA targets',
    'cache:',
    'compression:',
    'shards:',
    'GC (server)',
  ]) {
    expect(r.stdout).toContain(s);
  }
  expect(r.stdout).toMatch(/report\.json/);
});
