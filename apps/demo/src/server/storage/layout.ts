/**
 * The shard layout of a data dir, kept in `<data-dir>/layout.json`, so that a restart with a
 * different `--shards` cannot silently place keys on shards that do not hold them (half the
 * keys would vanish, and switching back would serve stale values).
 *
 *   layout.json  { "version": 1, "shards": N, "engine": "lsm", "generation": G }
 *   generation 0: shard-0 … shard-(N-1)      generation G > 0: g<G>-shard-0 … (after a reshard)
 *
 * layout.json is replaced atomically (write a temp file, fsync, rename, fsync the dir): a crash
 * leaves the old layout or the new one, never a mix.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { KvError } from '../errors.js';

export interface Layout {
  version: 1;
  shards: number;
  engine: string;
  generation: number;
}

const FILE = 'layout.json';

export function shardDir(dataDir: string, layout: Layout, i: number): string {
  return join(dataDir, layout.generation === 0 ? `shard-${i}` : `g${layout.generation}-shard-${i}`);
}

/** The recorded layout; for a data dir written before layouts were recorded, the one on disk. */
export function readLayout(dataDir: string): Layout | undefined {
  const file = join(dataDir, FILE);
  if (existsSync(file)) {
    const l = JSON.parse(readFileSync(file, 'utf8')) as Layout;
    if (l.version !== 1 || !Number.isInteger(l.shards) || l.shards < 1) {
      throw new KvError('PERF_KV_LAYOUT', `${file} is not a perf-kv layout`);
    }
    return l;
  }
  if (!existsSync(dataDir)) return undefined;
  const legacy = readdirSync(dataDir).filter((d) => /^shard-\d+$/.test(d)).length;
  return legacy > 0 ? { version: 1, shards: legacy, engine: 'lsm', generation: 0 } : undefined;
}

export function writeLayout(dataDir: string, layout: Layout): void {
  mkdirSync(dataDir, { recursive: true });
  const tmp = join(dataDir, `${FILE}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, `${JSON.stringify(layout)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dataDir, FILE));
  const dir = openSync(dataDir, 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

/**
 * The layout to open `dataDir` with: the recorded one, which must match `--shards` and
 * `--engine`, or a new one for an empty dir.
 */
export function ensureLayout(dataDir: string, shards: number, engine: string): Layout {
  const found = readLayout(dataDir);
  if (found === undefined) {
    const fresh: Layout = { version: 1, shards, engine, generation: 0 };
    writeLayout(dataDir, fresh);
    return fresh;
  }
  if (found.shards !== shards) {
    throw new KvError(
      'PERF_KV_LAYOUT',
      `${dataDir} holds ${found.shards} shard(s) (written with --shards ${found.shards}); start with --shards ${found.shards}, or move the keys first: perf-kv reshard --data-dir ${dataDir} --shards ${shards}`,
    );
  }
  if (found.engine !== engine) {
    throw new KvError(
      'PERF_KV_LAYOUT',
      `${dataDir} was written with --engine ${found.engine}; start with --engine ${found.engine}`,
    );
  }
  if (!existsSync(join(dataDir, FILE))) writeLayout(dataDir, found);
  return found;
}
