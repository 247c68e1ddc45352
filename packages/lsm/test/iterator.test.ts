import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LsmStore } from '../src/index.js';
import { key, tempDir } from './helpers/tmp.js';

describe('LsmIterator', () => {
  it('reads a point in time while compaction replaces the tables under it', async () => {
    const dir = tempDir();
    const db = await LsmStore.open(dir, { compaction: 'inline', writeBufferSize: 4096 });
    for (let i = 0; i < 300; i++) await db.put(key(i), `a${i}`);
    await db.flush();
    const it = db.iterator();
    const first = it.nextvSync(10);
    for (let i = 0; i < 300; i++) await db.put(key(i), `b${i}`);
    await db.compact();
    const tablesNow = () => readdirSync(dir).filter((n) => n.endsWith('.sst')).length;
    const pinned = tablesNow();
    const rest = it.nextvSync(1000);
    expect([...first, ...rest].map(([, v]) => v.toString())).toEqual(
      Array.from({ length: 300 }, (_, i) => `a${i}`),
    );
    it.close();
    // the tables only the iterator still read are deleted once it closes
    expect(tablesNow()).toBeLessThan(pinned);
    expect(db.getSync(key(5))?.toString()).toBe('b5');
    await db.close();
  });

  it('supports for await, for…of, next(), nextv(), all() and limit', async () => {
    const db = await LsmStore.open(tempDir());
    for (let i = 0; i < 50; i++) await db.put(key(i), `v${i}`);
    const viaAsync: string[] = [];
    for await (const [k] of db.iterator({ limit: 5 })) viaAsync.push(k.toString());
    expect(viaAsync).toEqual([0, 1, 2, 3, 4].map(key));
    const viaSync = [...db.iterator({ reverse: true, limit: 2 })].map(([k]) => k.toString());
    expect(viaSync).toEqual([key(49), key(48)]);
    const it = db.iterator({ gt: key(10), lte: key(20) });
    expect((await it.next())![0].toString()).toBe(key(11));
    expect((await it.nextv(3)).map(([k]) => k.toString())).toEqual([key(12), key(13), key(14)]);
    expect((await it.all()).length).toBe(6);
    expect(it.closed).toBe(true);
    expect(db.iterator({ limit: 0 }).nextSync()).toBeUndefined();
    await db.close();
  });

  it('seeks forward and backward within its range', async () => {
    const db = await LsmStore.open(tempDir());
    for (let i = 0; i < 100; i += 2) await db.put(key(i), 'v');
    const fwd = db.iterator({ gte: key(10), lt: key(50) });
    fwd.seek(key(31));
    expect(fwd.nextSync()![0].toString()).toBe(key(32));
    fwd.seek(key(0)); // below the range: clamps to its start
    expect(fwd.nextSync()![0].toString()).toBe(key(10));
    fwd.seek(key(60)); // beyond it: exhausted
    expect(fwd.nextSync()).toBeUndefined();
    const rev = db.iterator({ reverse: true });
    rev.seek(key(31));
    expect(rev.nextSync()![0].toString()).toBe(key(30));
    expect(() => rev.seek(5 as never)).toThrow(TypeError);
    await db.close();
  });
});
