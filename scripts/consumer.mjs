#!/usr/bin/env node
// The consumer test: how our users meet the packages. Packs every package, installs the
// tarballs into a fresh plain npm project in a temp folder (no workspace), then for each:
//   - import() (ESM) and require() (CJS) it and compare the export names,
//   - run its README Usage examples as ESM and as CJS,
//   - type-check a small TypeScript consumer (NodeNext, ESM and CJS files).
// Catches ESM-only dependencies bundled wrongly into CJS, missing files and broken exports.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toCjs, toEsm } from './examples.mjs';
import { codeBlocks, packages, root } from './lib.mjs';
import { inspectTarball, packAll } from './tarball.mjs';

const pkgs = packages();
const work = mkdtempSync(join(tmpdir(), 'perf-consumer-'));
const packs = join(work, 'packs');
const app = join(work, 'app');
mkdirSync(packs);
mkdirSync(app);
let failures = 0;
const fail = (what, err) => {
  failures++;
  console.log(`FAIL ${what}\n${String(err?.stderr ?? err?.message ?? err).slice(0, 4000)}`);
};

try {
  const tarballs = packAll(pkgs, packs);
  for (const t of tarballs) {
    const { problems } = inspectTarball(t);
    if (problems.length) fail(`tarball ${t}`, problems.join('\n'));
  }
  if (tarballs.length !== pkgs.length)
    fail('pack', `${tarballs.length} tarballs for ${pkgs.length} packages`);
  else console.log(`ok   ${tarballs.length} tarballs hold dist, types, README and nothing else`);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  execFileSync(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--no-package-lock',
      ...tarballs,
      `typescript@${rootPkg.devDependencies.typescript}`,
      `@types/node@${rootPkg.devDependencies['@types/node']}`,
    ],
    { cwd: app, stdio: ['ignore', 'ignore', 'inherit'] },
  );

  const node = (file) => {
    const r = spawnSync(process.execPath, [file], { cwd: app, encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw { stderr: `${r.stdout}\n${r.stderr}` };
    return r.stdout;
  };

  for (const p of pkgs) {
    const id = p.folder;
    writeFileSync(
      join(app, `${id}.keys.mjs`),
      `import * as m from '${p.name}';\nimport { createRequire } from 'node:module';\n` +
        `const c = createRequire(import.meta.url)('${p.name}');\n` +
        `const e = Object.keys(m).filter((k) => k !== 'default').sort();\n` +
        `const r = Object.keys(c).filter((k) => k !== 'default' && k !== '__esModule').sort();\n` +
        `if (JSON.stringify(e) !== JSON.stringify(r)) { console.error('ESM', e, 'CJS', r); process.exit(1); }\n` +
        `if (e.length === 0) { console.error('no exports'); process.exit(1); }\n` +
        `console.log(e.length);\n`,
    );
    try {
      const n = node(`${id}.keys.mjs`).trim();
      console.log(`ok   ${p.name}: import and require agree on ${n} exports`);
    } catch (e) {
      fail(`${p.name}: import/require`, e);
    }

    const md = readFileSync(join(p.dir, 'README.md'), 'utf8');
    codeBlocks(md, 'Usage').forEach((ts, i) => {
      for (const [kind, code] of [
        ['mjs', toEsm(ts)],
        ['cjs', toCjs(ts)],
      ]) {
        const file = `${id}.example${i}.${kind}`;
        writeFileSync(join(app, file), code);
        try {
          node(file);
          console.log(`ok   ${p.name}: README example ${i + 1} runs as ${kind.toUpperCase()}`);
        } catch (e) {
          fail(`${p.name}: README example ${i + 1} as ${kind}`, e);
        }
      }
    });
  }

  // Type-check a consumer in both module kinds against the published .d.ts / .d.cts.
  const lines = pkgs.map((p, i) => `import * as m${i} from '${p.name}';\nvoid m${i};`).join('\n');
  writeFileSync(join(app, 'consumer.mts'), `${lines}\nexport {};\n`);
  writeFileSync(
    join(app, 'consumer.cts'),
    `${pkgs.map((p, i) => `import m${i} = require('${p.name}');\nvoid m${i};`).join('\n')}\nexport {};\n`,
  );
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        strict: true,
        noEmit: true,
        types: ['node'],
        skipLibCheck: false,
      },
      files: ['consumer.mts', 'consumer.cts'],
    }),
  );
  try {
    execFileSync(join(app, 'node_modules', '.bin', 'tsc'), ['-p', '.'], {
      cwd: app,
      encoding: 'utf8',
    });
    console.log('ok   TypeScript consumer (ESM and CJS) type-checks');
  } catch (e) {
    fail('TypeScript consumer', { stderr: e.stdout });
  }
} catch (e) {
  fail('consumer setup', e);
} finally {
  if (!process.env.PERF_KEEP_CONSUMER) rmSync(work, { recursive: true, force: true });
  else console.log(`kept ${work}`);
}
process.exit(failures ? 1 : 0);
