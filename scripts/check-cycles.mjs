#!/usr/bin/env node
// The import-cycle gate: madge (apps/demo's devDependency) builds the import graph of the
// demo's sources and of every package's src/, and this fails when it finds a cycle.
// - apps/demo/src: every import counts, type-only ones too: its layers import one way
//   (commands → dashboard, load → server/http → server/storage, server/vectors → server/types).
// - packages/*/src: runtime imports only. A type-only cycle (types.ts naming a class whose file
//   imports types.ts) is erased at compile time and cannot bite at load time.
import { createRequire } from 'node:module';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './lib.mjs';

const require = createRequire(join(root, 'apps/demo/package.json'));
const madge = require('madge');

const targets = [
  {
    name: 'apps/demo',
    dir: 'apps/demo/src',
    tsConfig: 'apps/demo/tsconfig.json',
    skipTypeImports: false,
  },
];
for (const p of readdirSync(join(root, 'packages'))) {
  const dir = join('packages', p, 'src');
  if (existsSync(join(root, dir))) {
    targets.push({
      name: `packages/${p}`,
      dir,
      tsConfig: 'tsconfig.base.json',
      skipTypeImports: true,
    });
  }
}

let failed = 0;
for (const t of targets) {
  const graph = await madge(join(root, t.dir), {
    fileExtensions: ['ts'],
    tsConfig: join(root, t.tsConfig),
    detectiveOptions: {
      ts: { skipTypeImports: t.skipTypeImports },
      es6: { skipTypeImports: t.skipTypeImports },
    },
  });
  const cycles = graph.circular();
  if (cycles.length === 0) continue;
  failed += cycles.length;
  for (const c of cycles) console.error(`import cycle in ${t.name}: ${[...c, c[0]].join(' → ')}`);
}
console.log(
  failed ? `${failed} import cycle(s)` : `no import cycles in ${targets.length} source trees`,
);
process.exit(failed ? 1 : 0);
