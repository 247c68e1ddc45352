import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BufferPool, Bytes, readChunks } from '../src/index.js';
import { fmt, median, printTable } from './harness.js';

const SIZE = 64 * 1024 * 1024;
const CHUNK = 64 * 1024;
const ROUNDS = 5;

/** Reads a 64 MiB file (from the page cache after the first round) and touches every chunk. */
export async function filesSuite(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'perf-pool-bench-'));
  const path = join(dir, 'data.bin');
  writeFileSync(path, Buffer.alloc(SIZE, 1));
  const pool = new BufferPool({ minSize: CHUNK, maxSize: CHUNK, budget: 4 * CHUNK });
  const cases: [string, () => Promise<number>][] = [
    [
      'baseline: `fs.createReadStream` (64 KiB chunks, fresh buffers)',
      async () => {
        let s = 0;
        for await (const c of createReadStream(path, { highWaterMark: CHUNK }))
          s += (c as Buffer)[0]!;
        return s;
      },
    ],
    [
      '`fs.readFile` whole file, then `Bytes` slices',
      async () => {
        const all = Bytes.wrap(await readFile(path));
        let s = 0;
        for (let at = 0; at < all.length; at += CHUNK) s += all.slice(at, at + CHUNK).get(0);
        return s;
      },
    ],
    [
      '@perf/pool `readChunks` (pooled 64 KiB buffers → `Bytes`)',
      async () => {
        let s = 0;
        for await (const c of readChunks(path, { chunkSize: CHUNK, pool })) s += c.get(0);
        return s;
      },
    ],
  ];
  const ms = cases.map(() => [] as number[]);
  for (let r = 0; r < ROUNDS + 1; r++) {
    for (const [k, [, run]] of cases.entries()) {
      const t0 = performance.now();
      await run();
      if (r > 0) ms[k]!.push(performance.now() - t0);
    }
  }
  rmSync(dir, { recursive: true, force: true });
  const base = median(ms[0]!);
  printTable(
    'Files: read 64 MiB (page cache warm) and touch every 64 KiB chunk',
    ['case', 'median ms', 'MiB/s', 'vs baseline'],
    cases.map(([name], k) => {
      const m = median(ms[k]!);
      return [name, fmt(m), fmt(SIZE / 1024 / 1024 / (m / 1000)), `${fmt(base / m)}×`];
    }),
  );
}
