/**
 * close() does not wait for background work: a compaction in the worker is abandoned (its
 * unfinished outputs are removed by the next open), a flush stops at its next slice (its data
 * stays in the log). Either way every acknowledged write is there after reopening.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LsmStore } from '../src/index.js';
import { key, tempDir } from './helpers/tmp.js';

const value = (i: number) => `value-${i}-${'v'.repeat(60)}`;

describe('close during background work', () => {
  it('abandons a running compaction and a flush, losing nothing', async () => {
    const dir = tempDir();
    const opts = { writeBufferSize: 64 * 1024, l0CompactionTrigger: 2, tableFileSize: 32 * 1024 };
    const db = await LsmStore.open(dir, opts);
    const N = 20_000;
    for (let i = 0; i < N; i += 500) {
      await db.batch(
        Array.from({ length: 500 }, (_, j) => ({
          type: 'put' as const,
          key: key(((i + j) * 7919) % N),
          value: value(((i + j) * 7919) % N),
        })),
      );
    }
    await db.close(); // compactions are due (trigger 2) and likely mid-merge
    // Reopened with no compaction due, so no new table is being written while we count.
    const again = await LsmStore.open(dir, {
      ...opts,
      l0CompactionTrigger: 1000,
      l0StopWritesTrigger: 1000,
      levelBaseBytes: 1 << 30,
    });
    for (let i = 0; i < N; i++) expect(again.getSync(key(i))?.toString()).toBe(value(i));
    // Unfinished compaction outputs were removed: every table on disk is one the tree lists.
    const listed = again.stats().levels.reduce((a, l) => a + l.files, 0);
    expect(readdirSync(dir).filter((n) => n.endsWith('.sst'))).toHaveLength(listed);
    await again.compact();
    expect(again.iterator().nextvSync(N + 1)).toHaveLength(N);
    await again.close();
  });
});
