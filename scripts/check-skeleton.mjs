#!/usr/bin/env node
// Checks that every package has the skeleton of STYLE.md, so the habit does not depend on
// memory: package.json shape, src/index.ts, errors in src/errors.ts, tests, benchmarks,
// README sections in order with a runnable Usage example. Prints one line per problem.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeBlocks, packages, README_SECTIONS } from './lib.mjs';

export function skeletonProblems(pkg) {
  const { dir, json } = pkg;
  const problems = [];
  const need = (ok, what) => ok || problems.push(what);

  need(json.type === 'module', 'package.json: "type" must be "module"');
  need(json.sideEffects === false, 'package.json: "sideEffects" must be false');
  need(JSON.stringify(json.files) === '["dist"]', 'package.json: "files" must be ["dist"]');
  need(
    json.publishConfig?.access === 'public',
    'package.json: publishConfig.access must be public',
  );
  need(json.engines?.node, 'package.json: engines.node missing');
  const dot = json.exports?.['.'];
  for (const cond of ['import', 'require']) {
    const keys = Object.keys(dot?.[cond] ?? {});
    need(keys[0] === 'types', `package.json: exports["."].${cond} must list "types" first`);
  }
  for (const s of ['build', 'typecheck', 'test', 'bench'])
    need(json.scripts?.[s], `script "${s}" missing`);
  for (const f of [
    'tsconfig.json',
    'tsup.config.ts',
    'vitest.config.ts',
    'README.md',
    'src/index.ts',
  ]) {
    need(existsSync(join(dir, f)), `${f} missing`);
  }

  const src = existsSync(join(dir, 'src')) ? listTs(join(dir, 'src')) : [];
  for (const file of src) {
    const text = readFileSync(file, 'utf8');
    if (!file.endsWith('errors.ts') && /class \w+ extends (?:\w*Error)\b/.test(text)) {
      problems.push(`${file.slice(dir.length + 1)}: error classes belong in src/errors.ts`);
    }
    if (/['"]PERF_[A-Z_]+['"]/.test(text) && !existsSync(join(dir, 'src/errors.ts'))) {
      problems.push('throws coded errors but has no src/errors.ts');
    }
  }
  const tests = existsSync(join(dir, 'test')) ? listTs(join(dir, 'test')) : [];
  need(
    tests.some((f) => f.endsWith('.test.ts')),
    'test/ has no *.test.ts',
  );
  const benches = existsSync(join(dir, 'bench')) ? listTs(join(dir, 'bench')) : [];
  need(benches.length > 0, 'bench/ is empty');

  if (existsSync(join(dir, 'README.md'))) {
    const md = readFileSync(join(dir, 'README.md'), 'utf8');
    need(md.startsWith(`# ${json.name}`), `README must start with "# ${json.name}"`);
    let at = -1;
    for (const s of README_SECTIONS) {
      const i = md.search(new RegExp(`^## ${s}\\s*$`, 'm'));
      if (i < 0) problems.push(`README: section "## ${s}" missing`);
      else if (i < at) problems.push(`README: section "## ${s}" out of order`);
      else at = i;
    }
    need(codeBlocks(md, 'Usage').length > 0, 'README: Usage has no ```ts example');
    need(/docs\/api/.test(md), 'README: no link to the API reference (docs/api)');
  }
  return problems;
}

function listTs(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mts|cts)$/.test(e.name))
    .map((e) => join(e.parentPath ?? e.path, e.name));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let bad = 0;
  for (const pkg of packages()) {
    const problems = skeletonProblems(pkg);
    for (const p of problems) console.log(`${pkg.name}: ${p}`);
    if (problems.length === 0) console.log(`${pkg.name}: skeleton ok`);
    bad += problems.length;
  }
  process.exit(bad ? 1 : 0);
}
