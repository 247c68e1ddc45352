/**
 * The block cache recycles the memory of evicted blocks that only point lookups touched
 * (table.ts, BlockCache#take). With a cache of a few blocks, every get evicts: this interleaves
 * iterators (whose blocks must never be recycled under them) with gets, and checks every
 * value against the data written.
 */
import { describe, expect, it } from 'vitest';
import { LsmStore } from '../src/index.js';
import { key, tempDir } from './helpers/tmp.js';

const N = 4000;
const valueFor = (i: number) => {
  const v = Buffer.alloc(60);
  for (let j = 0; j < 30; j++) v[j] = v[j + 30] = (i * 31 + j * 7) & 0xff;
  return v;
};

describe('block memory recycling', () => {
  it('iterators and gets interleaved over a cache of a few blocks return the written values', async () => {
    const dir = tempDir();
    const opts = { blockSize: 256, blockCacheSize: 1 << 30, writeBufferSize: 64 * 1024 };
    let db = await LsmStore.open(dir, opts);
    for (let i = 0; i < N; i += 100) {
      await db.batch(
        Array.from({ length: 100 }, (_, j) => ({
          type: 'put' as const,
          key: key(i + j),
          value: valueFor(i + j),
        })),
      );
    }
    await db.compact();
    await db.close();
    // Room for the tables' resident index blocks and filters plus about ten data blocks.
    // (Measured with a cache that keeps no data block: tables open, and are charged, on use.)
    db = await LsmStore.open(dir, { ...opts, blockCacheSize: 0 });
    for (let i = 0; i < N; i += 20) db.getSync(key(i));
    const resident = db.stats().blockCache.bytes;
    await db.close();
    db = await LsmStore.open(dir, { ...opts, blockCacheSize: resident + 10 * 1200 });
    const its = [0, 1000, 2500].map((from) => ({ at: from, it: db.iterator({ gte: key(from) }) }));
    let seed = 7;
    for (let step = 0; step < 1000; step++) {
      for (const s of its) {
        if (s.at >= N) continue;
        const e = s.it.nextSync();
        expect(e).toBeDefined();
        // Hold the entry across later gets before checking it.
        const k = e![0];
        const v = e![1];
        for (let g = 0; g < 3; g++) {
          seed = (seed * 1103515245 + 12345) >>> 0;
          const i = seed % N;
          expect(db.getSync(key(i))).toEqual(valueFor(i));
        }
        expect(Buffer.from(k).toString()).toBe(key(s.at));
        expect(Buffer.from(v)).toEqual(valueFor(s.at));
        s.at++;
      }
    }
    expect(db.stats().blockCache.hits).toBeGreaterThan(0);
    for (const s of its) await s.it.close();
    await db.close();
  });
});
