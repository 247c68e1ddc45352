#!/usr/bin/env node
// Checks that every package has the skeleton of STYLE.md, so the habit does not depend on
// memory: package.json shape, src/index.ts, errors in src/errors.ts, tests, benchmarks,
// README sections in order with a runnable Usage example; benchmarks through the shared
// harness (no bench/harness.ts); tests that never import bench/; docs that name files which
// exist and speak to a reader, not to a tracker. Prints one line per problem (and per warning).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
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
  need(
    !existsSync(join(dir, 'bench/harness.ts')),
    'bench/harness.ts: benchmark through @perf/monitor/bench, not a harness of your own',
  );
  for (const file of tests) {
    for (const spec of importSpecifiers(readFileSync(file, 'utf8'))) {
      if (/(^|\/)bench(\/|$)/.test(spec) && spec.startsWith('.')) {
        problems.push(
          `${rel(dir, file)}: imports ${spec} (tests never import bench/; move shared code to src/internal or a test helper)`,
        );
      }
    }
  }
  for (const [file, text, isCode] of docsOf(dir, src, benches)) {
    for (const ref of missingFileRefs(dir, file, isCode ? comments(text) : text)) {
      problems.push(`${rel(dir, file)}: names ${ref}, which does not exist`);
    }
  }

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
 * Text that speaks to an issue tracker rather than to a reader: "issue #4", "the issue asks",
 * "the source design". Problems (they were warnings while packages were being cleaned up;
 * `STRICT_TRACKER_REFS`).
 */
export const TRACKER_REFS = [
  /\bissues?\s*#\s*\d+/i,
  /\bthe\s+issue\b/i,
  /\bthis\s+issue\b/i,
  /\bthe\s+source\s+design\b/i,
];
/** True since no package has tracker references left (2026-12-04): new ones are problems. */
export const STRICT_TRACKER_REFS = true;

/** Tracker references in src/, README.md and bench/ of a package, one `file:line: text` each. */
export function trackerRefs(pkg) {
  const { dir } = pkg;
  const src = existsSync(join(dir, 'src')) ? listTs(join(dir, 'src')) : [];
  const benches = existsSync(join(dir, 'bench')) ? listTs(join(dir, 'bench')) : [];
  const found = [];
  for (const [file, text] of docsOf(dir, src, benches)) {
    text.split('\n').forEach((line, i) => {
      if (TRACKER_REFS.some((re) => re.test(line))) {
        found.push(`${rel(dir, file)}:${i + 1}: ${line.trim().slice(0, 100)}`);
      }
    });
  }
  return found;
}

/** [file, text, isCode] for a package's README, src and bench files. */
function docsOf(dir, src, benches) {
  const out = [];
  const readme = join(dir, 'README.md');
  if (existsSync(readme)) out.push([readme, readFileSync(readme, 'utf8'), false]);
  for (const f of [...src, ...benches]) out.push([f, readFileSync(f, 'utf8'), true]);
  return out;
}

const rel = (dir, file) => relative(dir, file);

/** The module specifiers a TypeScript file imports (static, dynamic, and `new URL(…)`). */
function importSpecifiers(text) {
  const specs = [];
  const re =
    /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*|new URL\(\s*)['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(re)) specs.push(m[1]);
  return specs;
}

/** The comments of a source file (line and block), joined by newlines. */
function comments(text) {
  const out = [];
  for (const m of text.matchAll(/\/\*[\s\S]*?\*\/|(?<![:'"`\\])\/\/[^\n]*/g)) out.push(m[0]);
  return out.join('\n');
}

/**
 * Paths a comment or README names (`pool/src/shared-slab.ts`, `bench/index.ts`, `PEERS.md`)
 * that exist nowhere it could mean: next to the file, in the package, in packages/ or at the
 * repo root. Built output (`dist/`),
 * URLs and `node_modules` are not checked; a `.js` may name its `.ts` source.
 */
const REPO_FOLDERS = new Set([
  'src',
  'test',
  'tests',
  'bench',
  'docs',
  'scripts',
  'packages',
  'apps',
  'wasm',
  ...readdirSync(join(root, 'packages')),
]);

export function missingFileRefs(dir, file, text) {
  const missing = new Set();
  const re =
    /(?<![\w@/.:-])((?:\.{1,2}\/)*(?:[\w.-]+\/)*[\w-][\w.-]*\.(?:ts|mts|cts|md|mjs|cjs|json|wat|wasm))(?![\w/])/g;
  for (const m of text.matchAll(re)) {
    const ref = m[1];
    const before = text.slice(Math.max(0, m.index - 12), m.index);
    if (/https?:\/\/\S*$|\]\($/.test(before) && /:\/\//.test(before)) continue;
    if (/(^|\/)(dist|node_modules|docs\/api)\//.test(ref) || ref.startsWith('dist/')) continue;
    if (/^(package|tsconfig|tsconfig\.base|biome|turbo|typedoc)\.json$/.test(ref)) continue;
    // Only paths that can only mean this repo: they start at a folder of a package or of the
    // repo (`src/…`, `pool/src/…`, `./x.ts`), or are a top-level note (`PEERS.md`). Other
    // projects' files (LevelDB's `db/log_format.md`) are not ours to check.
    const first = ref.split('/')[0];
    const ours =
      first === '.' ||
      first === '..' ||
      REPO_FOLDERS.has(first) ||
      (!ref.includes('/') && /^[A-Z][A-Z0-9_-]*\.md$/.test(ref));
    if (!ours) continue;
    const bases = [dirname(file), dir, join(root, 'packages'), root];
    const candidates = [ref];
    if (/\.js$/.test(ref)) candidates.push(ref.replace(/\.js$/, '.ts'));
    if (/\.mjs$/.test(ref)) candidates.push(ref.replace(/\.mjs$/, '.mts'));
    if (/\.cjs$/.test(ref)) candidates.push(ref.replace(/\.cjs$/, '.cts'));
    const ok = bases.some((b) => candidates.some((c) => existsSync(join(b, c))));
    if (!ok) missing.add(ref);
  }
  return [...missing];
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
  let warned = 0;
  for (const pkg of packages()) {
    for (const ref of trackerRefs(pkg)) {
      console.log(`${pkg.name}: ${STRICT_TRACKER_REFS ? '' : 'warning: '}tracker reference ${ref}`);
      if (STRICT_TRACKER_REFS) bad++;
      else warned++;
    }
  }
  for (const pkg of packages()) {
    for (const ext of ['esm.mts', 'cjs.cts']) {
      if (!existsSync(join(root, 'tests', 'repo', 'types', `${pkg.folder}.${ext}`))) {
        console.log(
          `${pkg.name}: warning: no type-level test of its built entry points (tests/repo/types/${pkg.folder}.${ext})`,
        );
        warned++;
      }
    }
  }
  if (warned) console.log(`${warned} warning(s): tracker references, missing type-level tests`);
  for (const pkg of privatePackages()) {
    const problems = privateProblems(pkg);
    for (const p of problems) console.log(`${pkg.name}: ${p}`);
    if (problems.length === 0) console.log(`${pkg.name}: skeleton ok (private)`);
    bad += problems.length;
  }
  process.exit(bad ? 1 : 0);
}
