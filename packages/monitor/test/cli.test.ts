import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/internal/cli-main.js';

const dir = mkdtempSync(join(tmpdir(), 'perf-monitor-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const src = pathToFileURL(join(import.meta.dirname, '../src/index.ts')).href;

// A bench file whose one case costs globalThis.__perfCost ns on a virtual clock.
writeFileSync(
  join(dir, 'demo.bench.mjs'),
  `import { Bench } from ${JSON.stringify(src)};
export default (options) => {
  let t = 0;
  const cost = globalThis.__perfCost ?? 1000;
  const b = new Bench('demo', { now: () => t / 1e6, time: 1, warmup: 0.1, samples: 10, resamples: 200, calibration: () => { t += 1000; }, ...options });
  b.add('work', () => { t += cost; });
  b.add('fixed', () => { t += 500; });
  return b;
};
`,
);
writeFileSync(join(dir, 'not-a-bench.mjs'), 'export default 42;\n');

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, dir);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('perf-bench', () => {
  it('runs, saves a baseline, and exits 1 only when a case regressed', async () => {
    (globalThis as { __perfCost?: number }).__perfCost = 1000;
    const saved = await cli(
      '--save',
      'base.json',
      '--svg',
      'chart.svg',
      '--markdown',
      'table.md',
      'demo.bench.mjs',
    );
    expect(saved.code).toBe(0);
    expect(saved.out).toContain('| demo/work |');
    expect(existsSync(join(dir, 'base.json'))).toBe(true);
    expect(readFileSync(join(dir, 'chart.svg'), 'utf8')).toContain('<svg');
    expect(readFileSync(join(dir, 'table.md'), 'utf8')).toContain('demo/fixed');

    const same = await cli('--compare', 'base.json', 'demo.bench.mjs');
    expect(same.code).toBe(0);
    expect(same.out).toContain('unchanged');

    (globalThis as { __perfCost?: number }).__perfCost = 1300;
    const slower = await cli('--compare', 'base.json', 'demo.bench.mjs');
    expect(slower.code).toBe(1);
    expect(slower.out).toMatch(/demo\/work .*regressed \+30\.0 %/);
    expect(slower.err).toContain('demo/work');

    expect((await cli('--compare', 'base.json', '--threshold', '0.5', 'demo.bench.mjs')).code).toBe(
      0,
    );
  });

  it('compares two saved reports without running anything (--current)', async () => {
    (globalThis as { __perfCost?: number }).__perfCost = 1000;
    expect((await cli('--save', 'a.json', 'demo.bench.mjs')).code).toBe(0);
    (globalThis as { __perfCost?: number }).__perfCost = 1300;
    expect((await cli('--save', 'b.json', 'demo.bench.mjs')).code).toBe(0);
    const r = await cli('--compare', 'a.json', '--current', 'b.json');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/demo\/work .*regressed/);
    expect(r.out).toMatch(/Node v\d+.* cores · load /);
    // --current needs --compare and no bench files.
    expect((await cli('--current', 'b.json')).code).toBe(2);
    expect((await cli('--compare', 'a.json', '--current', 'b.json', 'demo.bench.mjs')).code).toBe(
      2,
    );
  });

  it('passes --time and --samples to bench factories', async () => {
    (globalThis as { __perfCost?: number }).__perfCost = 1000;
    await cli('--samples', '7', '--save', 'seven.json', 'demo.bench.mjs');
    const report = JSON.parse(readFileSync(join(dir, 'seven.json'), 'utf8')).report;
    expect(report.cases[0].samples).toHaveLength(7);
  });

  it('exits 2 on usage errors, a missing baseline, or a file that exports no bench', async () => {
    expect((await cli()).code).toBe(2);
    expect((await cli('--bogus', 'demo.bench.mjs')).code).toBe(2);
    expect((await cli('--samples', '2', 'demo.bench.mjs')).code).toBe(2);
    const missing = await cli('--compare', 'nope.json', 'demo.bench.mjs');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('PERF_MONITOR_BASELINE_NOT_FOUND');
    expect((await cli('not-a-bench.mjs')).code).toBe(2);
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: perf-bench');
  });
});

describe('perf-bench as built (dist/cli.js)', () => {
  const cliJs = join(import.meta.dirname, '../dist/cli.js');
  const distIndex = pathToFileURL(join(import.meta.dirname, '../dist/index.js')).href;
  // The root test command builds every package first; a bare `vitest run` may not have.
  it.skipIf(!existsSync(cliJs))('runs a bench file with node and exits 0', async () => {
    const { spawnSync } = await import('node:child_process');
    writeFileSync(
      join(dir, 'built.bench.mjs'),
      `import { Bench } from ${JSON.stringify(distIndex)};
let t = 0;
export default new Bench('built', { now: () => t / 1e6, time: 1, warmup: 0.1, samples: 5, resamples: 100, calibration: () => { t += 100; } }).add('x', () => { t += 100; });
`,
    );
    const r = spawnSync(process.execPath, [cliJs, '--save', 'built.json', 'built.bench.mjs'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('| built/x |');
    expect(existsSync(join(dir, 'built.json'))).toBe(true);
  });
});

describe('perf-bench bench-file shapes', () => {
  it('accepts an array of factories (the shape of this package’s own bench/*.bench.ts)', async () => {
    writeFileSync(
      join(dir, 'array.bench.mjs'),
      `import { Bench } from ${JSON.stringify(src)};
const make = (name) => (options) => { let t = 0; return new Bench(name, { now: () => t / 1e6, time: 1, warmup: 0.1, samples: 5, resamples: 100, ...options }).add('x', () => { t += 50; }); };
export default [make('one'), async (o) => [make('two')(o), make('three')(o)]];
`,
    );
    const r = await cli('array.bench.mjs');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    for (const n of ['one/x', 'two/x', 'three/x']) expect(r.out).toContain(`| ${n} |`);
  });
});
