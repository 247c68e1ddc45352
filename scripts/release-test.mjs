#!/usr/bin/env node
// The release test: a release as users meet it, through a real registry.
//
//   1. Start Verdaccio on a free loopback port with a temporary storage folder. It serves the
//      @perf scope only; every other dependency (quick-lru, denque…) still comes from the
//      normal registry, as it does for our users.
//   2. In a snapshot of this checkout (its files and built dist, in a throwaway git repo),
//      `changeset publish` publishes every package, exactly as a real release does: the
//      registry URL in .npmrc is the only difference.
//   3. For each package, a fresh plain npm project installs it alone, by name and semver range,
//      and runs its README Usage examples as ESM and as CJS.
//   4. An upgrade across a release: a changeset bumps a patch of @perf/monitor,
//      `changeset version` applies it, `changeset publish` publishes again. Only @perf/monitor
//      may move (nothing depends on it at run time), its CHANGELOG gets the entry, and
//      `npm update` in its consumer project picks the new version up.
//
// Everything it starts is stopped by pid; the temporary folder is removed (PERF_KEEP_RELEASE=1
// keeps it). Run it alone with `pnpm gates release`.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { toCjs, toEsm } from './examples.mjs';
import { codeBlocks, packages, root } from './lib.mjs';

const UPGRADED = '@perf/monitor';
const work = mkdtempSync(join(tmpdir(), 'perf-release-test-'));
const repo = join(work, 'repo');
let failures = 0;
let passes = 0;
const ok = (what) => {
  passes++;
  console.log(`ok   ${what}`);
};
const fail = (what, err) => {
  failures++;
  const cause = err?.cause ? ` (${err.cause.code ?? err.cause.message ?? err.cause})` : '';
  console.log(`FAIL ${what}\n${String(err?.stderr ?? err?.message ?? err).slice(0, 4000)}${cause}`);
};
const check = (cond, what, detail = '') => (cond ? ok(what) : fail(what, detail));

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** One HTTP request on a fresh connection (no keep-alive reuse racing the server's close). */
function http(method, url, body) {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method, agent: false, headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode, text }));
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

function sh(cmd, args, cwd, extraEnv = {}) {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    timeout: 180_000,
    env: { ...process.env, ...extraEnv },
  });
  if (r.status !== 0)
    throw { stderr: `${cmd} ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}` };
  return r.stdout;
}

/** Starts Verdaccio and resolves once it answers its ping. */
async function startRegistry(port) {
  const storage = join(work, 'storage');
  mkdirSync(storage);
  const config = join(work, 'verdaccio.yaml');
  writeFileSync(
    config,
    [
      `storage: ${storage}`,
      'auth:',
      '  htpasswd:',
      `    file: ${join(work, 'htpasswd')}`,
      '    max_users: 10',
      'uplinks: {}',
      'packages:',
      "  '@perf/*':",
      '    access: $all',
      '    publish: $authenticated',
      'web:',
      '  enable: false',
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );
  const entry = join(root, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
  const child = spawn(
    process.execPath,
    [entry, '--config', config, '--listen', `127.0.0.1:${port}`],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  const keep = (d) => {
    log = (log + d).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.on('exit', (code, signal) => {
    if (!stopping) console.log(`verdaccio exited early (${code ?? signal}):\n${log}`);
  });
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited ${child.exitCode}\n${log}`);
    try {
      const r = await http('GET', `${url}-/ping`);
      if (r.status === 200) return { child, url };
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`verdaccio did not answer within 30 s\n${log}`);
}

/** Creates the publishing user and returns its token. */
async function addUser(url) {
  const name = 'perf-release';
  const r = await http('PUT', `${url}-/user/org.couchdb.user:${name}`, {
    name,
    password: 'release-test-only',
    type: 'user',
    roles: [],
  });
  const body = JSON.parse(r.text);
  if (!body.token) throw new Error(`adduser failed: ${r.status} ${JSON.stringify(body)}`);
  return body.token;
}

/** The published versions of a package, or [] when it is not there. */
async function versions(url, name) {
  const r = await http('GET', `${url}${name.replace('/', '%2f')}`);
  if (r.status === 404) return [];
  const doc = JSON.parse(r.text);
  return Object.keys(doc.versions ?? {}).sort();
}

/** A snapshot of the checkout: tracked and untracked-not-ignored files, plus built dist. */
function snapshot(pkgs) {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean);
  for (const f of files) {
    const from = join(root, f);
    if (!existsSync(from)) continue; // deleted in the working tree
    mkdirSync(dirname(join(repo, f)), { recursive: true });
    cpSync(from, join(repo, f));
  }
  for (const p of pkgs) {
    const dist = join(p.dir, 'dist');
    if (!existsSync(dist)) throw new Error(`${p.name} is not built: run pnpm build first`);
    cpSync(dist, join(repo, 'packages', p.folder, 'dist'), { recursive: true });
  }
  // pnpm publish rewrites `workspace:*` (devDependencies on @perf/internal and @perf/monitor)
  // from the installed packages: the snapshot borrows the checkout's node_modules.
  for (const d of [
    '.',
    ...['packages', 'apps'].flatMap((t) => readdirSync(join(root, t)).map((x) => join(t, x))),
  ]) {
    const from = join(root, d, 'node_modules');
    if (existsSync(from) && existsSync(join(repo, d)))
      symlinkSync(from, join(repo, d, 'node_modules'));
  }
  // A pending changeset belongs to the next real release, not to this one.
  for (const f of readdirSync(join(repo, '.changeset')))
    if (f.endsWith('.md') && f !== 'README.md') rmSync(join(repo, '.changeset', f));
  const git = ['-c', 'user.name=release-test', '-c', 'user.email=release-test@localhost'];
  sh('git', ['init', '-q', '-b', 'main'], repo);
  sh('git', ['add', '-A'], repo);
  sh('git', [...git, 'commit', '-qm', 'snapshot for the release test'], repo);
}

const changeset = (args, extraEnv) =>
  sh(
    process.execPath,
    [join(root, 'node_modules', '@changesets', 'cli', 'bin.js'), ...args],
    repo,
    extraEnv,
  );

const readJson = (f) => JSON.parse(readFileSync(f, 'utf8'));

/** A plain npm project that installs one package from the registry and runs its examples. */
function consumer(p, range, url) {
  const dir = join(work, 'consumers', p.folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: `consumer-${p.folder}`, private: true }),
  );
  writeFileSync(join(dir, '.npmrc'), `@perf:registry=${url}\n`);
  sh('npm', ['install', '--no-audit', '--no-fund', `${p.name}@${range}`], dir);
  const installed = readJson(join(dir, 'node_modules', ...p.name.split('/'), 'package.json'));
  check(
    installed.version === p.json.version,
    `${p.name}@${range} installs ${p.json.version} from the registry`,
    `got ${installed.version}`,
  );
  const manifest = readJson(join(dir, 'package.json'));
  check(
    !JSON.stringify(installed).includes('workspace:'),
    `${p.name}: the published manifest has no workspace: ranges`,
    JSON.stringify(installed.dependencies),
  );
  check(
    Boolean(manifest.dependencies?.[p.name]),
    `${p.name} is recorded in the consumer's dependencies`,
  );
  const md = readFileSync(join(p.dir, 'README.md'), 'utf8');
  const examples = codeBlocks(md, 'Usage');
  check(examples.length > 0, `${p.name}: README has a Usage example`);
  examples.forEach((ts, i) => {
    for (const [kind, code] of [
      ['mjs', toEsm(ts)],
      ['cjs', toCjs(ts)],
    ]) {
      const file = `example${i}.${kind}`;
      writeFileSync(join(dir, file), code);
      try {
        sh(process.execPath, [file], dir);
        ok(
          `${p.name}: README example ${i + 1} runs as ${kind.toUpperCase()} from the registry install`,
        );
      } catch (e) {
        fail(`${p.name}: README example ${i + 1} as ${kind}`, e);
      }
    }
  });
  return dir;
}

const bumpPatch = (v) => {
  const [maj, min, pat] = v.split('-')[0].split('.').map(Number);
  return `${maj}.${min}.${pat + 1}`;
};

let registry;
let stopping = false;
try {
  const pkgs = packages();
  const port = await freePort();
  registry = await startRegistry(port);
  const { url } = registry;
  ok(`Verdaccio listens on ${url}`);
  const token = await addUser(url);
  snapshot(pkgs);
  const host = url.replace(/^http:/, '');
  writeFileSync(join(repo, '.npmrc'), `@perf:registry=${url}\n${host}:_authToken=${token}\n`);

  // 2. The real release path.
  changeset(['publish']);
  for (const p of pkgs) {
    const vs = await versions(url, p.name);
    check(
      vs.includes(p.json.version),
      `changeset publish published ${p.name}@${p.json.version}`,
      `registry has ${vs}`,
    );
  }

  // 3. One package per plain project, by semver range.
  const dirs = new Map();
  for (const p of pkgs) {
    try {
      dirs.set(p.name, consumer(p, `^${p.json.version}`, url));
    } catch (e) {
      fail(`${p.name}: consumer install`, e);
    }
  }

  // 4. A patch release of one package, and the upgrade.
  const before = new Map(pkgs.map((p) => [p.name, p.json.version]));
  const next = bumpPatch(before.get(UPGRADED));
  writeFileSync(
    join(repo, '.changeset', 'release-test-patch.md'),
    `---\n"${UPGRADED}": patch\n---\n\nRelease test: a patch of ${UPGRADED} alone.\n`,
  );
  changeset(['version']);
  for (const p of pkgs) {
    const v = readJson(join(repo, 'packages', p.folder, 'package.json')).version;
    const want = p.name === UPGRADED ? next : before.get(p.name);
    check(v === want, `changeset version: ${p.name} is at ${want}`, `got ${v}`);
  }
  const log = readFileSync(join(repo, 'packages', 'monitor', 'CHANGELOG.md'), 'utf8');
  check(
    log.includes(`## ${next}`) && log.includes(`Release test: a patch of ${UPGRADED} alone.`),
    `${UPGRADED} CHANGELOG has the ${next} entry`,
    log.slice(0, 600),
  );
  const counts = new Map();
  for (const p of pkgs) counts.set(p.name, (await versions(url, p.name)).length);
  changeset(['publish']);
  for (const p of pkgs) {
    const vs = await versions(url, p.name);
    if (p.name === UPGRADED)
      check(vs.includes(next), `${UPGRADED}@${next} is published`, `registry has ${vs}`);
    else
      check(vs.length === counts.get(p.name), `${p.name} is not republished`, `registry has ${vs}`);
  }
  const dir = dirs.get(UPGRADED);
  if (dir) {
    sh('npm', ['update', '--no-audit', '--no-fund'], dir);
    const v = readJson(join(dir, 'node_modules', '@perf', 'monitor', 'package.json')).version;
    check(v === next, `npm update upgrades ${UPGRADED} to ${next}`, `got ${v}`);
  }
} catch (e) {
  fail('release test', e);
} finally {
  stopping = true;
  if (registry && registry.child.exitCode === null && registry.child.signalCode === null) {
    registry.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    if (registry.child.exitCode === null && registry.child.signalCode === null)
      registry.child.kill('SIGKILL');
  }
  if (!process.env.PERF_KEEP_RELEASE) rmSync(work, { recursive: true, force: true });
  else console.log(`kept ${work}`);
}
console.log(`release test: ${passes} checks passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
