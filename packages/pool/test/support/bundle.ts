import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

/**
 * Bundles a TypeScript entry (with the package source it imports) into one ESM file, so a
 * fresh `node --expose-gc --allow-natives-syntax` process can run it with no loader and no
 * prior build (a loader's own allocations would show in the GC counts) — from the GC-count
 * test and the GC benchmark alike. Worker threads use @perf/internal's `startWorker` instead.
 * Returns the file and a cleanup function.
 */
export function bundle(entry: URL): { file: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'perf-pool-bundle-'));
  const file = join(dir, 'entry.mjs');
  buildSync({
    entryPoints: [entry.pathname],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outfile: file,
    logLevel: 'error',
  });
  return { file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
