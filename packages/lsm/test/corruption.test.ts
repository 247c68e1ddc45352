/**
 * Corruption: flip bytes in tables, the manifest, CURRENT and the log; the store must report
 * `PERF_LSM_CORRUPTION` naming the file and offset — or, for a torn log tail, recover to the
 * consistent earlier state — and never return an altered value.
 */
import { readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CorruptionError, LsmError, LsmStore } from '../src/index.js';
import { key, tempDir } from './helpers/tmp.js';

const RUNS = Number(process.env.PERF_FUZZ_RUNS ?? 40);
const value = (i: number) => `value-${i}-${'z'.repeat(i % 40)}`;

function flip(path: string, offset: number, mask = 0x20): void {
  const b = readFileSync(path);
  b[offset]! ^= mask;
  writeFileSync(path, b);
}

const files = (dir: string, re: RegExp) =>
  readdirSync(dir)
    .filter((n) => re.test(n))
    .map((n) => join(dir, n));

/** A store of `n` keys: in tables (flushed) or only in the log. */
async function build(n: number, where: 'tables' | 'log'): Promise<string> {
  const dir = tempDir();
  const db = await LsmStore.open(dir, { compaction: 'inline' });
  for (let i = 0; i < n; i++) await db.put(key(i), value(i));
  if (where === 'tables') await db.flush();
  await db.close();
  return dir;
}

/** Reads every key; returns the number of wrong values (must be 0) or throws. */
async function readAll(dir: string, n: number): Promise<number> {
  const db = await LsmStore.open(dir);
  try {
    let wrong = 0;
    for (let i = 0; i < n; i++) if (db.getSync(key(i))?.toString() !== value(i)) wrong++;
    const all = db.iterator().nextvSync(n + 10);
    if (all.length !== n) wrong++;
    for (const [k, v] of all) if (v.toString() !== value(Number(k.toString().slice(1)))) wrong++;
    return wrong;
  } finally {
    await db.close();
  }
}

describe('corruption is reported, never returned', () => {
  it('a flipped byte in a data block: PERF_LSM_CORRUPTION with the table and block offset', async () => {
    const dir = await build(500, 'tables');
    const [sst] = files(dir, /\.sst$/);
    flip(sst!, 100);
    const db = await LsmStore.open(dir);
    let err: unknown;
    for (let i = 0; i < 500 && err === undefined; i++) {
      try {
        expect(db.getSync(key(i))?.toString()).toBe(value(i));
      } catch (e) {
        err = e;
      }
    }
    expect(err).toBeInstanceOf(CorruptionError);
    expect(err).toMatchObject({
      code: 'PERF_LSM_CORRUPTION',
      file: sst,
      offset: 0,
      name: 'CorruptionError',
    });
    expect(() => db.iterator().nextvSync(1000)).toThrow(
      expect.objectContaining({ code: 'PERF_LSM_CORRUPTION' }),
    );
    await db.close();
  });

  it('a damaged table footer or index is reported when the table is opened', async () => {
    const dir = await build(300, 'tables');
    const [sst] = files(dir, /\.sst$/);
    const size = readFileSync(sst!).length;
    flip(sst!, size - 3); // inside the magic number
    const db = await LsmStore.open(dir);
    expect(() => db.getSync(key(1))).toThrow(
      expect.objectContaining({ code: 'PERF_LSM_CORRUPTION', file: sst, offset: size - 48 }),
    );
    await db.close();
  });

  it('a flipped byte in the manifest fails open with the manifest named', async () => {
    const dir = await build(100, 'tables');
    const [manifest] = files(dir, /^MANIFEST-/);
    flip(manifest!, 20);
    await expect(LsmStore.open(dir)).rejects.toMatchObject({
      code: 'PERF_LSM_CORRUPTION',
      file: manifest,
      offset: 0,
    });
  });

  it('a CURRENT that names no manifest, or a missing table, fails open', async () => {
    const dir = await build(100, 'tables');
    writeFileSync(join(dir, 'CURRENT'), 'garbage');
    await expect(LsmStore.open(dir)).rejects.toMatchObject({
      code: 'PERF_LSM_CORRUPTION',
      file: join(dir, 'CURRENT'),
    });
    const dir2 = await build(100, 'tables');
    const [sst] = files(dir2, /\.sst$/);
    truncateSync(sst!, 0);
    writeFileSync(sst!, '');
    await expect(readAll(dir2, 100)).rejects.toMatchObject({
      code: 'PERF_LSM_CORRUPTION',
      file: sst,
    });
  });

  it('a flipped byte mid-log fails open at that record (LevelDB silently dropped keys here)', async () => {
    const dir = await build(200, 'log');
    const [log] = files(dir, /\.log$/);
    const size = readFileSync(log!).length;
    flip(log!, Math.floor(size / 2));
    const err = await LsmStore.open(dir).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PERF_LSM_CORRUPTION', file: log });
    expect((err as CorruptionError).offset).toBeLessThanOrEqual(size / 2);
    expect((err as CorruptionError).offset).toBeGreaterThan(size / 2 - 200);
  });

  it('a torn log tail is dropped: recovery to the last whole record (point in time)', async () => {
    const dir = await build(200, 'log');
    const [log] = files(dir, /\.log$/);
    const size = readFileSync(log!).length;
    truncateSync(log!, size - 5);
    const db = await LsmStore.open(dir);
    for (let i = 0; i < 199; i++) expect(db.getSync(key(i))?.toString()).toBe(value(i));
    expect(db.getSync(key(199))).toBeUndefined();
    await db.put(key(199), 'again');
    await db.close();
    const db2 = await LsmStore.open(dir);
    expect(db2.getSync(key(199))?.toString()).toBe('again');
    await db2.close();
  });

  it('fuzz: any flipped byte in any live file gives a typed error or exactly the right data', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        async (flushed, fileIndex, offset, mask) => {
          const n = 150;
          const dir = await build(n, flushed ? 'tables' : 'log');
          const targets = files(dir, /\.(sst|log)$|^MANIFEST-|^CURRENT$/).filter(
            (p) => readFileSync(p).length > 0,
          );
          const target = targets[fileIndex % targets.length]!;
          flip(target, offset % readFileSync(target).length, mask);
          try {
            expect(await readAll(dir, n)).toBe(0);
          } catch (err) {
            if (!LsmError.is(err)) throw err;
            expect(err.code).toBe('PERF_LSM_CORRUPTION');
          }
        },
      ),
      { numRuns: Math.max(10, Math.round(RUNS / 2)) },
    );
  });
});
