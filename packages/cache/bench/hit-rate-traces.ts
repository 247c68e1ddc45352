// Real access traces, read in place from the shared trace directory (never copied into the
// repository) and streamed through the decompressor: `xz -dc`, `zstd -dc`, or node:zlib.
// Every key is renumbered densely (0, 1, 2 … in order of first appearance), so each policy
// sees integer keys and Bélády's OPT can index per-key arrays.
//
// Sources (cite them beside every published figure):
// - LIRS traces: S. Jiang and X. Zhang, "LIRS: An Efficient Low Inter-reference Recency Set
//   Replacement Policy to Improve Buffer Cache Performance", ACM SIGMETRICS 2002.
// - cache2k traces: © headissue GmbH, Jens Wilke, CC BY 4.0, as published with the Caffeine
//   simulator.
// - Corda trace: as published with the Caffeine simulator (R3's Corda vault service).
// - ARC trace: N. Megiddo and D. S. Modha, "ARC: A Self-Tuning, Low Overhead Replacement
//   Cache", USENIX FAST 2003 (released on condition that this paper is cited).
import { spawn } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';

/** Where the traces live: `PERF_CACHE_TRACES`, or `../shared/cache-traces` from the repo root. */
export const TRACE_DIR =
  process.env.PERF_CACHE_TRACES ??
  resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../shared/cache-traces');

type Format = 'lirs' | 'int32be' | 'int64be' | 'arc';

export interface RealTrace {
  name: string;
  file: string;
  format: Format;
  /** The cache sizes the trace's README lists (the ones usually plotted; the goal's rows). */
  sizes: number[];
  /** More sizes for the hit-rate-vs-size chart only (docs/hit-rate-<name>.svg). */
  chartSizes: number[];
  source: 'LIRS' | 'cache2k' | 'ARC' | 'Corda';
}

export const realTraces: RealTrace[] = [
  {
    name: 'gli',
    file: 'lirs/gli.trace.gz',
    format: 'lirs',
    sizes: [500, 1000, 2000],
    chartSizes: [250, 1500, 2500],
    source: 'LIRS',
  },
  {
    name: 'loop',
    file: 'lirs/loop.trace.gz',
    format: 'lirs',
    sizes: [500, 1000],
    chartSizes: [250, 750, 1250],
    source: 'LIRS',
  },
  {
    name: 'multi2',
    file: 'lirs/multi2.trace.gz',
    format: 'lirs',
    sizes: [500, 1500],
    chartSizes: [250, 1000, 3000],
    source: 'LIRS',
  },
  {
    name: 'sprite',
    file: 'lirs/sprite.trace.gz',
    format: 'lirs',
    sizes: [100, 500],
    chartSizes: [50, 250, 1000],
    source: 'LIRS',
  },
  {
    name: 'web07',
    file: 'cache2k/web07.trace.xz',
    format: 'int32be',
    sizes: [1000, 4000],
    chartSizes: [500, 2000, 8000],
    source: 'cache2k',
  },
  {
    name: 'web12',
    file: 'cache2k/web12.trace.xz',
    format: 'int32be',
    sizes: [1000, 3000],
    chartSizes: [500, 2000, 6000],
    source: 'cache2k',
  },
  {
    name: 'orm-busy',
    file: 'cache2k/orm-busy.trace.xz',
    format: 'int32be',
    sizes: [5000, 20000],
    chartSizes: [10000],
    source: 'cache2k',
  },
  {
    name: 'OLTP',
    file: 'arc/OLTP.lis.zst',
    format: 'arc',
    sizes: [1000, 2000],
    chartSizes: [500, 4000],
    source: 'ARC',
  },
  {
    name: 'corda',
    file: 'corda/trace_vaultservice.gz',
    format: 'int64be',
    sizes: [500, 5000],
    chartSizes: [1000, 2500],
    source: 'Corda',
  },
];

export function tracesAvailable(): boolean {
  return existsSync(TRACE_DIR);
}

/** A growable Int32Array of dense key ids. */
class Ids {
  data = new Int32Array(1 << 16);
  length = 0;
  readonly #ids = new Map<number | string, number>();

  push(key: number | string): void {
    let id = this.#ids.get(key);
    if (id === undefined) this.#ids.set(key, (id = this.#ids.size));
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = id;
  }

  get unique(): number {
    return this.#ids.size;
  }
}

function decompressed(path: string): AsyncIterable<Buffer> {
  if (path.endsWith('.gz')) return createReadStream(path).pipe(createGunzip());
  const tool = path.endsWith('.xz') ? 'xz' : 'zstd';
  const child = spawn(tool, ['-dc', path], { stdio: ['ignore', 'pipe', 'inherit'] });
  return child.stdout;
}

/** Streams one trace into dense ids. */
export async function loadTrace(trace: RealTrace): Promise<{ keys: Int32Array; unique: number }> {
  const ids = new Ids();
  const width = trace.format === 'int32be' ? 4 : trace.format === 'int64be' ? 8 : 0;
  let carry: Buffer = Buffer.alloc(0);
  let text = '';
  const line = (l: string) => {
    if (l === '' || l.startsWith('*')) return;
    if (trace.format === 'lirs') {
      ids.push(Number(l));
      return;
    }
    // ARC: startBlock blockCount ignore requestNo — blockCount consecutive block reads.
    const [start, count] = l.trim().split(/\s+/).map(Number) as [number, number];
    for (let i = 0; i < count; i++) ids.push(start + i);
  };
  for await (const chunk of decompressed(resolve(TRACE_DIR, trace.file))) {
    if (width === 0) {
      text += chunk.toString('latin1');
      const lines = text.split('\n');
      text = lines.pop()!;
      for (const l of lines) line(l);
      continue;
    }
    const buf = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
    const whole = buf.length - (buf.length % width);
    for (let at = 0; at < whole; at += width) {
      if (width === 4) ids.push(buf.readInt32BE(at));
      else ids.push(`${buf.readUInt32BE(at)}:${buf.readUInt32BE(at + 4)}`);
    }
    carry = buf.subarray(whole);
  }
  if (text !== '') line(text);
  return { keys: ids.data.subarray(0, ids.length), unique: ids.unique };
}
