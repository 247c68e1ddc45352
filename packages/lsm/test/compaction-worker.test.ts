/**
 * Compaction runs in a worker thread that must load wherever the package runs: from the
 * TypeScript sources (this test suite), and from the published dist as ESM and as CJS.
 */
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LsmStore } from '../src/index.js';
import { key, tempDir } from './helpers/tmp.js';

const pkg = join(import.meta.dirname, '..');

describe('compaction in a worker thread', () => {
  it('merges tables off the main thread (loaded from source), keeping every key', async () => {
    const db = await LsmStore.open(tempDir(), { writeBufferSize: 16 * 1024, compaction: 'worker' });
    for (let i = 0; i < 3000; i++) await db.put(key(i % 1000), `v${i}`);
    await db.compact();
    const st = db.stats();
    expect(st.compactions).toBeGreaterThan(0);
    expect(st.levels[0]!.files).toBe(0);
    for (let i = 2000; i < 3000; i++) expect(db.getSync(key(i % 1000))?.toString()).toBe(`v${i}`);
    await db.close();
  });

  it('reports a corrupted input table from the worker as PERF_LSM_CORRUPTION with the file', async () => {
    const dir = tempDir();
    const db = await LsmStore.open(dir, { compaction: 'worker' });
    for (let i = 0; i < 500; i++) await db.put(key(i), `v${i}`);
    await db.flush();
    const sst = join(dir, readdirSync(dir).find((n) => n.endsWith('.sst'))!);
    const b = readFileSync(sst);
    b[50]! ^= 1;
    writeFileSync(sst, b);
    await expect(db.compact()).rejects.toMatchObject({
      code: 'PERF_LSM_CORRUPTION',
      file: sst,
      offset: 0,
    });
    await db.close();
  });

  describe('from the built package', () => {
    beforeAll(() => {
      // CI builds every package before testing; build here only when run on its own.
      if (!existsSync(join(pkg, 'dist/compaction-worker.cjs')))
        execSync('npx tsup', { cwd: pkg, stdio: 'ignore' });
    }, 180_000);

    const script = (load: string) => `
      ${load}
      const dir = require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'perf-lsm-dist-'));
      (async () => {
        const db = await LsmStore.open(dir, { writeBufferSize: 16 * 1024 });
        for (let i = 0; i < 2000; i++) await db.put('k' + (i % 500), 'v' + i);
        await db.compact();
        const ok = db.getSync('k7').toString() === 'v1507' && db.stats().compactions > 0;
        await db.close();
        require('node:fs').rmSync(dir, { recursive: true, force: true });
        process.stdout.write(ok ? 'ok' : 'bad');
      })();`;

    it('loads the worker from dist as CommonJS', () => {
      const out = execFileSync(process.execPath, [
        '-e',
        script(`const { LsmStore } = require(${JSON.stringify(join(pkg, 'dist/index.cjs'))});`),
      ]);
      expect(out.toString()).toBe('ok');
    });

    it('loads the worker from dist as an ES module', () => {
      const file = join(tempDir(), 'consumer.mjs');
      writeFileSync(
        file,
        `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);
         import { LsmStore } from ${JSON.stringify(join(pkg, 'dist/index.js'))};
         ${script('')}`,
      );
      expect(execFileSync(process.execPath, [file]).toString()).toBe('ok');
    });
  });
});
