/**
 * Table format versions: tables written before blocks carried a codec byte (format 1) still
 * open and read back exactly, on their own and inside a store; new tables are format 2 and
 * compress blocks that shrink by at least an eighth.
 */
import { readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LsmStore, nodeFileSystem } from '../src/index.js';
import { KIND_PUT } from '../src/internal/iterator.js';
import {
  BlockCache,
  FORMAT_V1,
  FORMAT_V2,
  type Found,
  FOUND_VALUE,
  TableBuilder,
  TableReader,
} from '../src/internal/table.js';
import { key, tempDir } from './helpers/tmp.js';

const value = (i: number) => Buffer.from(`value-${i}-`.repeat(1 + (i % 7)));

/** Rewrites table `path` in format 1 (entries unchanged), as a build from before codecs would. */
function rewriteAsV1(path: string): void {
  const src = TableReader.open(nodeFileSystem, path, 0, null);
  const tmp = `${path}.v1`;
  const b = new TableBuilder(nodeFileSystem, tmp, {
    blockSize: 4096,
    bloomBitsPerKey: 10,
    formatVersion: FORMAT_V1,
  });
  const it = src.iterator();
  for (it.first(); it.valid; it.next()) b.add(it.key, it.seq, it.kind, it.value);
  b.finish();
  b.syncNow();
  b.close();
  src.close();
  renameSync(tmp, path);
}

describe('table format versions', () => {
  it('a format-1 table opens and reads back every entry, by lookup and by iteration', () => {
    const path = join(tempDir(), '000001.sst');
    const b = new TableBuilder(nodeFileSystem, path, {
      blockSize: 256,
      bloomBitsPerKey: 10,
      formatVersion: FORMAT_V1,
    });
    for (let i = 0; i < 500; i++) b.add(Buffer.from(key(i)), i + 1, KIND_PUT, value(i));
    b.finish();
    b.close();
    const t = TableReader.open(nodeFileSystem, path, 1, new BlockCache(1 << 20));
    expect(t.formatVersion).toBe(FORMAT_V1);
    const found: Found = { bytes: Buffer.alloc(0), offset: 0, length: 0 };
    for (let i = 0; i < 500; i++) {
      expect(t.find(Buffer.from(key(i)), Number.MAX_SAFE_INTEGER, found)).toBe(FOUND_VALUE);
      expect(Buffer.from(found.bytes.subarray(found.offset, found.offset + found.length))).toEqual(
        value(i),
      );
    }
    let n = 0;
    const it = t.iterator();
    for (it.last(); it.valid; it.prev()) n++;
    expect(n).toBe(500);
    t.close();
  });

  it('a store whose tables are format 1 opens, reads, and compacts them into format 2', async () => {
    const dir = tempDir();
    const db = await LsmStore.open(dir, { compaction: 'inline' });
    for (let i = 0; i < 3000; i++) await db.put(key(i), value(i));
    await db.flush();
    await db.close();
    const tables = readdirSync(dir).filter((n) => n.endsWith('.sst'));
    expect(tables.length).toBeGreaterThan(0);
    for (const n of tables) rewriteAsV1(join(dir, n));
    const again = await LsmStore.open(dir, { compaction: 'inline' });
    for (let i = 0; i < 3000; i += 7) expect(again.getSync(key(i))).toEqual(value(i));
    expect(again.iterator().nextvSync(5000)).toHaveLength(3000);
    await again.compact();
    for (let i = 0; i < 3000; i++) expect(again.getSync(key(i))).toEqual(value(i));
    await again.close();
    for (const n of readdirSync(dir).filter((x) => x.endsWith('.sst'))) {
      const t = TableReader.open(nodeFileSystem, join(dir, n), 0, null);
      expect(t.formatVersion).toBe(FORMAT_V2);
      t.close();
    }
  });
});
