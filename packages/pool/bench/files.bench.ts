import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BufferPool, Bytes, readChunks } from '../src/index.js';
import { Bench, benchOptionsFromEnv, nsPerOp, toMarkdown } from '@perf/monitor/bench';
import { fmt, printTable } from './print.js';

const SIZE = 64 * 1024 * 1024;
const CHUNK = 64 * 1024;

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
  // Wall clock: reads wait on the kernel, and the page cache copy is system time of other
  // threads; a few samples of one read each, as every read takes tens of ms.
  const title = 'Files: read 64 MiB (page cache warm) and touch every 64 KiB chunk';
  const bench = new Bench(title, benchOptionsFromEnv({ clock: 'wall', samples: 7, time: 1 }));
  for (const [name, run] of cases) bench.add(name, run);
  const report = await bench.run();
  rmSync(dir, { recursive: true, force: true });
  console.log(`\n### ${title}\n\n${toMarkdown(report)}`);
  printTable(
    'Files: bandwidth at the median',
    ['case', 'MiB/s'],
    report.cases.map((c) => [c.name, fmt(SIZE / 1024 / 1024 / (nsPerOp(c) / 1e9))]),
  );
}
