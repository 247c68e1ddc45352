/**
 * `perf-kv reshard`: moves every key of a data dir to a new number of shards, offline.
 *
 * 1. the new shards are written in the next generation's directories, every batch synced
 *    (the same durability as a PUT);
 * 2. layout.json is switched to the new generation atomically;
 * 3. the old generation's directories are removed.
 *
 * A crash before 2 leaves the old layout in force (a rerun starts the new generation afresh);
 * a crash after 2 leaves only old directories to remove, which a rerun does.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Entry, Shard } from '../types.js';
import { type Layout, readLayout, shardDir, writeLayout } from './layout.js';
import { shardPlacement } from './backend.js';
import { ClassicLevelShard, LocalShard } from './shard.js';

const PAGE = { limit: 10_000, maxBytes: 4 << 20 };

function open(engine: string, dir: string): Promise<Shard> {
  return engine === 'classic-level' ? ClassicLevelShard.open(dir) : LocalShard.open(dir);
}

/** Reshards `dataDir` to `shards`; resolves with the number of keys moved. */
export async function reshard(
  dataDir: string,
  shards: number,
): Promise<{ keys: number; from: number }> {
  const old = readLayout(dataDir);
  if (old === undefined)
    throw new TypeError(`Expected a perf-kv data dir, got \`${dataDir}\` (no shards in it)`);
  if (old.shards === shards) return { keys: 0, from: old.shards };
  const next: Layout = { version: 1, shards, engine: old.engine, generation: old.generation + 1 };
  for (let i = 0; i < 4096; i++) {
    const d = shardDir(dataDir, next, i);
    if (existsSync(d)) rmSync(d, { recursive: true, force: true }); // a rerun after a crash
  }
  const from = await Promise.all(
    Array.from({ length: old.shards }, (_, i) => open(old.engine, shardDir(dataDir, old, i))),
  );
  const to = await Promise.all(
    Array.from({ length: shards }, (_, i) => open(next.engine, shardDir(dataDir, next, i))),
  );
  const placement = shardPlacement(shards);
  let keys = 0;
  try {
    for (const s of from) {
      let gt: string | undefined;
      for (;;) {
        const page = await s.scan({ ...PAGE, reverse: false, ...(gt !== undefined ? { gt } : {}) });
        if (page.entries.length === 0) break;
        const groups: Entry[][] = to.map(() => []);
        for (const e of page.entries) groups[Number(placement.pick(e[0]))]!.push(e);
        await Promise.all(groups.map((g, i) => (g.length ? to[i]!.write(g, []) : undefined)));
        keys += page.entries.length;
        gt = page.entries[page.entries.length - 1]![0];
      }
    }
  } finally {
    await Promise.all([...from, ...to].map((s) => s.close()));
  }
  writeLayout(dataDir, next);
  for (const d of readdirSync(dataDir)) {
    const old0 =
      old.generation === 0 ? /^shard-\d+$/ : new RegExp(`^g${old.generation}-shard-\\d+$`);
    if (old0.test(d)) rmSync(join(dataDir, d), { recursive: true, force: true });
  }
  return { keys, from: old.shards };
}
