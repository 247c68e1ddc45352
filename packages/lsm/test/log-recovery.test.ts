/**
 * The log-recovery rule: a torn tail is tolerated in the newest log only (the write in flight
 * when the process died). Any other damage — a truncated or corrupted record in an older log,
 * a missing log — fails `open` with PERF_LSM_CORRUPTION naming the file and the offset.
 */
import { readdirSync, readFileSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CorruptionError, LsmStore } from '../src/index.js';
import { key, tempDir } from './helpers/tmp.js';

const logs = (dir: string) =>
  readdirSync(dir)
    .filter((n) => n.endsWith('.log'))
    .sort()
    .map((n) => join(dir, n));

const value = (i: number) => `v${i}-${'x'.repeat(90)}`;

/**
 * A store closed with two live logs: batch A (keys 0..2999) fills the memtable, so the next
 * write rotates to a new log and starts a flush; batch B (3000..3999) goes to the new log and
 * close() cuts the flush short, leaving both logs on disk.
 */
async function twoLiveLogs(): Promise<string> {
  const dir = tempDir();
  const db = await LsmStore.open(dir, { compaction: 'inline', writeBufferSize: 256 * 1024 });
  const batch = (from: number, to: number) =>
    db.batch(
      Array.from({ length: to - from }, (_, j) => ({
        type: 'put' as const,
        key: key(from + j),
        value: value(from + j),
      })),
    );
  await batch(0, 3000);
  await batch(3000, 4000);
  await db.close();
  return dir;
}

describe('log recovery', () => {
  it('two logs are live after close() cut a flush short', async () => {
    const dir = await twoLiveLogs();
    expect(logs(dir)).toHaveLength(2);
    const db = await LsmStore.open(dir);
    for (const i of [0, 2999, 3000, 3999]) expect(db.getSync(key(i))?.toString()).toBe(value(i));
    await db.close();
  });

  it('a truncated tail of the older log fails open (it used to drop 3000 acknowledged keys)', async () => {
    const dir = await twoLiveLogs();
    const [older] = logs(dir);
    truncateSync(older!, statSync(older!).size - 100);
    const err = (await LsmStore.open(dir).catch((e: unknown) => e)) as CorruptionError;
    expect(err).toMatchObject({ code: 'PERF_LSM_CORRUPTION', file: older });
    expect(err.offset).toBeGreaterThanOrEqual(0);
    expect(err.offset).toBeLessThan(statSync(older!).size);
    expect(typeof err.reason).toBe('string');
  });

  it('the older log cut at a record boundary fails open too (its length is recorded)', async () => {
    const dir = await twoLiveLogs();
    const [older] = logs(dir);
    // The first record is the log's header record; cut right after it, dropping batch A whole.
    const data = readFileSync(older!);
    const headerRecord = 12 + data.readUInt32LE(0);
    truncateSync(older!, headerRecord);
    await expect(LsmStore.open(dir)).rejects.toMatchObject({
      code: 'PERF_LSM_CORRUPTION',
      file: older,
      offset: headerRecord,
    });
  });

  it('a missing older log fails open', async () => {
    const dir = await twoLiveLogs();
    const [older, newer] = logs(dir);
    truncateSync(older!, 0);
    const { rmSync } = await import('node:fs');
    rmSync(older!);
    await expect(LsmStore.open(dir)).rejects.toMatchObject({
      code: 'PERF_LSM_CORRUPTION',
      file: older,
    });
    expect(logs(dir)).toEqual([newer]);
  });

  it('a torn tail of the newest log is tolerated: every earlier batch survives', async () => {
    const dir = await twoLiveLogs();
    const [, newer] = logs(dir);
    truncateSync(newer!, statSync(newer!).size - 100);
    const db = await LsmStore.open(dir);
    for (let i = 0; i < 3000; i++) expect(db.getSync(key(i))?.toString()).toBe(value(i));
    expect(db.getSync(key(3000))).toBeUndefined(); // batch B was the write in flight
    await db.close();
  });
});
