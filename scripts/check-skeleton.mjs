#!/usr/bin/env node
// Checks that every package has the skeleton of STYLE.md, so the habit does not depend on
// memory: package.json shape, src/index.ts, errors in src/errors.ts, tests, benchmarks,
// README sections in order with a runnable Usage example. Prints one line per problem.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeBlocks, packages, README_SECTIONS, root } from './lib.mjs';

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
  need(
    !json.dependencies?.['@perf/internal'] && !json.peerDependencies?.['@perf/internal'],
    'package.json: @perf/internal is bundled, so it may only be a devDependency',
  );
  for (const file of distFiles(dir)) {
    if (readFileSync(file, 'utf8').includes('@perf/internal')) {
      problems.push(`${file.slice(dir.length + 1)}: names @perf/internal (it must be bundled)`);
    }
  }
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

/**
 * The private workspace packages under packages/ (@perf/internal): never published, so no
 * README/publish checks, but the same source and test layout.
 */
export function privateProblems(pkg) {
  const { dir, json } = pkg;
  const problems = [];
  const need = (ok, what) => ok || problems.push(what);
  need(json.private === true, 'package.json: must be "private": true');
  need(json.version === '0.0.0', 'package.json: a private package stays at version 0.0.0');
  need(
    !json.publishConfig && !json.files,
    'package.json: no publishConfig/files (never published)',
  );
  need(
    Object.keys(json.dependencies ?? {}).length === 0,
    'package.json: no runtime dependencies (it is bundled into published packages)',
  );
  for (const f of ['tsconfig.json', 'vitest.config.ts', 'README.md', 'src/index.ts']) {
    need(existsSync(join(dir, f)), `${f} missing`);
  }
  const tests = existsSync(join(dir, 'test')) ? listTs(join(dir, 'test')) : [];
  need(
    tests.some((f) => f.endsWith('.test.ts')),
    'test/ has no *.test.ts',
  );
  return problems;
}

/** Every private workspace package under packages/. */
export function privatePackages() {
  const base = join(root, 'packages');
  return readdirSync(base, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(base, d.name, 'package.json')))
    .map((d) => {
      const dir = join(base, d.name);
      const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return { name: json.name, folder: d.name, dir, json };
    })
    .filter((p) => p.json.private);
}

/** Built JavaScript and declaration files (not source maps, which quote the sources). */
function distFiles(dir) {
  const dist = join(dir, 'dist');
  if (!existsSync(dist)) return [];
  return readdirSync(dist, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(js|cjs|mjs|d\.ts|d\.cts|d\.mts)$/.test(e.name))
    .map((e) => join(e.parentPath ?? e.path, e.name));
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
  for (const pkg of privatePackages()) {
    const problems = privateProblems(pkg);
    for (const p of problems) console.log(`${pkg.name}: ${p}`);
    if (problems.length === 0) console.log(`${pkg.name}: skeleton ok (private)`);
    bad += problems.length;
  }
  process.exit(bad ? 1 : 0);
}
