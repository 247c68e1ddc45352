/**
 * A long synchronous read loop after a write burst sees compactions installed. `getSync` in a
 * loop never turns the event loop, so a merge the worker has finished must be installed from
 * the read path itself (a synchronous manifest append + fsync), or every read keeps going
 * through the level-0 tables the merge already replaced. The loop below has no `await`
 * between its first and its last read.
 */
import { mulberry32 } from '@perf/internal';
import { describe, expect, it } from 'vitest';
import { LsmStore } from '../src/index.js';
import { MemoryFs } from './helpers/memory-fs.js';
import { key, tempDir } from './helpers/tmp.js';

const N = 4000;
const value = (i: number, round: number) => `v${i}.${round}.${'x'.repeat(i % 50)}`;
/** A bound on the wait for the worker, so a regression fails instead of hanging. */
const GIVE_UP_MS = 60_000;

/** Four flushes of overlapping keys: level 0 reaches the trigger and a merge starts. */
async function burst(db: LsmStore, model: Map<string, string>): Promise<void> {
  const next = mulberry32(14);
  for (let round = 0; round < 4; round++) {
    for (let b = 0; b < 4; b++) {
      await db.batch(
        Array.from({ length: 250 }, () => {
          const i = Math.floor(next() * N);
          const k = key(i);
          if (next() < 0.1) {
            model.delete(k);
            return { type: 'del' as const, key: k };
          }
          const v = value(i, round);
          model.set(k, v);
          return { type: 'put' as const, key: k, value: v };
        }),
      );
    }
    await db.flush(); // the fourth flush starts the level-0 compaction (trigger 4)
  }
}

describe('synchronous reads install finished compactions', () => {
  it('a getSync loop after a write burst sees level 0 compacted, results equal the model', async () => {
    const db = await LsmStore.open(tempDir(), { compaction: 'worker', l0CompactionTrigger: 4 });
    const model = new Map<string, string>();
    await burst(db, model);
    // From here on: synchronous until the end of the checks.
    const before = db.stats();
    expect(before.levels[0]!.files).toBe(4);
    expect(before.compactions).toBe(0);
    // An iterator opened now pins the version with the four level-0 tables: the merge's
    // install must not delete them under it.
    const snapshot = [...model].sort(([a], [b]) => (a < b ? -1 : 1));
    const pinned = db.iterator();
    const next = mulberry32(7);
    const start = Date.now();
    let reads = 0;
    while (db.stats().levels[0]!.files > 0) {
      const k = key(Math.floor(next() * N));
      expect(db.getSync(k)?.toString()).toBe(model.get(k));
      reads++;
      if (Date.now() - start > GIVE_UP_MS) break;
    }
    const after = db.stats();
    expect(after.levels[0]!.files, `level 0 after ${reads} synchronous reads`).toBe(0);
    expect(after.compactions).toBeGreaterThan(0);
    expect(after.levels[1]!.files).toBeGreaterThan(0);
    for (let i = 0; i < N; i++) expect(db.getSync(key(i))?.toString()).toBe(model.get(key(i)));
    for (let i = 0; i < 200; i++) expect(db.getSync(`absent${i}`)).toBeUndefined();
    const seen = [...pinned].map(([k, v]) => [k.toString(), v.toString()]);
    expect(seen).toEqual(snapshot);
    // Still no event-loop turn: everything above ran in one synchronous stretch.
    await db.close();
  });

  it('installs from the read path on the power-cut file system too (inline compactor)', async () => {
    // The inline compactor finishes the merge inside the flush; a getSync issued before the
    // event loop runs installs it (manifest record via syncNow), and a power cut right after
    // keeps exactly the acknowledged data.
    let fs = new MemoryFs();
    const db = await LsmStore.open('/db', {
      fs,
      sync: true,
      writeBufferSize: 4096,
      l0CompactionTrigger: 2,
    });
    const model = new Map<string, string>();
    let installedBySyncRead = 0;
    for (let i = 0; i < 3000; i++) {
      const k = key((i * 7919) % 1500);
      const v = value(i, 0);
      await db.put(k, v);
      model.set(k, v);
      // Synchronous from here to the count: a compaction counted was installed by getSync.
      const before = db.stats().compactions;
      expect(db.getSync(k)?.toString()).toBe(v);
      if (db.stats().compactions > before) installedBySyncRead++;
    }
    expect(installedBySyncRead).toBeGreaterThan(0);
    fs = fs.powerCut();
    const again = await LsmStore.open('/db', { fs });
    for (const [k, v] of model) expect(again.getSync(k)?.toString()).toBe(v);
    expect([...again.iterator()].length).toBe(model.size);
    await again.close();
    await db.close().catch(() => {});
  });
});
