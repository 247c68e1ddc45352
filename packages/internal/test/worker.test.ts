import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { FROM_DIST, murmur3, startWorker, workerFile } from '../src/index.js';

function reply(w: Worker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    w.once('message', (m) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

describe('startWorker', () => {
  it('runs a TypeScript worker from source (imports of .ts modules included)', async () => {
    expect(FROM_DIST).toBe(false);
    const w = startWorker(new URL('./fixtures/echo-worker.ts', import.meta.url), {
      workerData: { key: 'abc' },
    });
    expect(await reply(w)).toEqual({ hash: murmur3('abc'), data: { key: 'abc' } });
  });

  it('runs a plain JS worker file as is', async () => {
    const w = startWorker(new URL('./fixtures/echo-worker.mjs', import.meta.url), {
      workerData: 7,
    });
    expect(await reply(w)).toEqual({ js: true, data: 7 });
  });

  it('workerFile picks the extension of the calling module', () => {
    expect(workerFile('file:///p/src/internal/a.ts', './w').href).toBe(
      'file:///p/src/internal/w.ts',
    );
    expect(workerFile('file:///p/dist/index.js', './w').href).toBe('file:///p/dist/w.js');
    expect(workerFile('file:///p/dist/index.cjs', './w').href).toBe('file:///p/dist/w.cjs');
  });

  it('a build with __PERF_DIST__ defined drops the tsx branch (ESM and CJS run)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'perf-worker-'));
    try {
      writeFileSync(
        join(dir, 'entry.ts'),
        `import { startWorker, workerFile, FROM_DIST } from ${JSON.stringify(new URL('../src/worker.ts', import.meta.url).pathname)};
         const w = startWorker(workerFile(import.meta.url, './w'), { workerData: 5 });
         w.once('message', (m) => { console.log(JSON.stringify({ m, FROM_DIST })); void w.terminate(); });`,
      );
      for (const [format, ext] of [
        ['esm', '.mjs'],
        ['cjs', '.cjs'],
      ] as const) {
        await build({
          entryPoints: [join(dir, 'entry.ts')],
          outfile: join(dir, `index${ext}`),
          bundle: true,
          platform: 'node',
          format,
          define: {
            __PERF_DIST__: 'true',
            ...(format === 'cjs' ? { 'import.meta.url': 'importMetaUrl' } : {}),
          },
          banner:
            format === 'cjs'
              ? { js: 'const importMetaUrl = require("url").pathToFileURL(__filename).href;' }
              : {},
          treeShaking: true,
          minifySyntax: true,
        });
        const text = readFileSync(join(dir, `index${ext}`), 'utf8');
        expect(text).not.toContain('tsx');
        writeFileSync(
          join(dir, `w${ext === '.mjs' ? '.js' : ext}`),
          ext === '.cjs'
            ? `require('node:worker_threads').parentPort.postMessage(require('node:worker_threads').workerData * 2);`
            : `import { parentPort, workerData } from 'node:worker_threads'; parentPort.postMessage(workerData * 2);`,
        );
        writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
        // ESM: index.mjs resolves ./w.js; CJS: index.cjs resolves ./w.cjs.
        const out = execFileSync(process.execPath, [join(dir, `index${ext}`)], {
          encoding: 'utf8',
        });
        expect(JSON.parse(out)).toEqual({ m: 10, FROM_DIST: true });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
