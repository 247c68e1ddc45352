import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LsmStore, MAX_KEY_SIZE, MAX_VALUE_SIZE } from '../src/index.js';
import { key, tempDir } from './helpers/tmp.js';

const s = (b: Uint8Array | undefined) => (b === undefined ? undefined : Buffer.from(b).toString());

describe('LsmStore basics', () => {
  it('puts, gets, deletes and overwrites, with string and byte keys', async () => {
    const db = await LsmStore.open(tempDir());
    await db.put('a', '1');
    await db.put(new Uint8Array([0x62]), new Uint8Array([0x32]));
    expect(s(await db.get('a'))).toBe('1');
    expect(s(db.getSync('b'))).toBe('2');
    await db.put('a', 'one');
    expect(s(await db.get('a'))).toBe('one');
    await db.delete('a');
    expect(await db.get('a')).toBeUndefined();
    expect(await db.has('a')).toBe(false);
    expect(await db.has('b')).toBe(true);
    expect((await db.getMany(['a', 'b', 'c'])).map(s)).toEqual([undefined, '2', undefined]);
    await db.close();
  });

  it('returns copies: mutating a returned value or an input never changes the store', async () => {
    const db = await LsmStore.open(tempDir());
    const v = new Uint8Array([1, 2, 3]);
    await db.put('k', v);
    v[0] = 9;
    const got = db.getSync('k')!;
    expect([...got]).toEqual([1, 2, 3]);
    got[1] = 9;
    expect([...db.getSync('k')!]).toEqual([1, 2, 3]);
    await db.close();
  });

  it('accepts the empty key and sorts it first; compares keys as unsigned bytes', async () => {
    const db = await LsmStore.open(tempDir());
    await db.put('', 'empty');
    await db.put(new Uint8Array([0xff]), 'ff');
    await db.put(new Uint8Array([0x7f]), '7f');
    await db.put(new Uint8Array([0x7f, 0]), '7f00');
    expect(s(db.getSync(''))).toBe('empty');
    const keys = db
      .iterator()
      .nextvSync(10)
      .map(([k]) => [...k]);
    expect(keys).toEqual([[], [0x7f], [0x7f, 0], [0xff]]);
    await db.flush();
    expect(
      db
        .iterator()
        .nextvSync(10)
        .map(([k]) => [...k]),
    ).toEqual(keys);
    await db.close();
  });

  it('applies a batch atomically with consecutive sequence numbers', async () => {
    const db = await LsmStore.open(tempDir());
    await db.put('x', 'old');
    const before = db.stats().sequence;
    await db.batch([
      { type: 'put', key: 'a', value: '1' },
      { type: 'del', key: 'x' },
      { type: 'put', key: 'a', value: '2' },
    ]);
    expect(db.stats().sequence).toBe(before + 3);
    expect(s(db.getSync('a'))).toBe('2');
    expect(db.getSync('x')).toBeUndefined();
    await db.batch([]);
    await db.close();
  });

  it('survives close and reopen, from the log and from tables', async () => {
    const dir = tempDir();
    let db = await LsmStore.open(dir, { writeBufferSize: 8 * 1024, compaction: 'inline' });
    for (let i = 0; i < 2000; i++) await db.put(key(i), `v${i}`);
    await db.close();
    db = await LsmStore.open(dir);
    for (let i = 0; i < 2000; i += 97) expect(s(db.getSync(key(i)))).toBe(`v${i}`);
    expect(db.stats().levels.reduce((a, l) => a + l.files, 0)).toBeGreaterThan(0);
    await db.close();
  });

  it('reads at a snapshot while writes continue, across flush and compaction', async () => {
    const db = await LsmStore.open(tempDir(), { compaction: 'inline' });
    await db.put('a', '1');
    await db.put('b', '1');
    const snap = db.snapshot();
    await db.put('a', '2');
    await db.delete('b');
    await db.put('c', '2');
    await db.flush();
    await db.compact();
    expect(s(db.getSync('a', { snapshot: snap }))).toBe('1');
    expect(s(db.getSync('b', { snapshot: snap }))).toBe('1');
    expect(db.getSync('c', { snapshot: snap })).toBeUndefined();
    expect(
      db
        .iterator({ snapshot: snap })
        .nextvSync(10)
        .map(([k, v]) => `${k}=${v}`),
    ).toEqual(['a=1', 'b=1']);
    expect(s(db.getSync('a'))).toBe('2');
    snap.close();
    expect(() => db.getSync('a', { snapshot: snap })).toThrow(
      expect.objectContaining({ code: 'PERF_LSM_CLOSED' }),
    );
    await db.compact();
    expect(
      db
        .iterator()
        .nextvSync(10)
        .map(([k, v]) => `${k}=${v}`),
    ).toEqual(['a=2', 'c=2']);
    await db.close();
  });

  it('clears a range, and flushes and compacts on demand', async () => {
    const db = await LsmStore.open(tempDir(), { compaction: 'inline' });
    for (let i = 0; i < 100; i++) await db.put(key(i), 'v');
    await db.clear({ gte: key(10), lt: key(90) });
    expect(db.iterator().nextvSync(1000).length).toBe(20);
    await db.clear({ limit: 5 });
    expect(db.iterator().nextvSync(1000)[0]![0].toString()).toBe(key(5));
    await db.flush();
    await db.compact({ gte: key(0), lte: key(50) });
    expect(db.iterator().nextvSync(1000).length).toBe(15);
    await db.clear();
    expect(db.iterator().nextvSync(1000).length).toBe(0);
    await db.close();
  });

  it('reports stats', async () => {
    const db = await LsmStore.open(tempDir(), { sync: true });
    await Promise.all(Array.from({ length: 32 }, (_, i) => db.put(key(i), 'v')));
    const st = db.stats();
    expect(st.writes).toBe(32);
    // group commit: concurrent synced writers share fsyncs
    expect(st.syncs).toBeGreaterThanOrEqual(1);
    expect(st.syncs).toBeLessThan(32);
    expect(st.userBytes).toBe(32 * 10);
    expect(st.memtableBytes).toBeGreaterThan(0);
    await db.close();
  });
});

describe('LsmStore bad input', () => {
  it('throws TypeError/RangeError at once for programmer mistakes', async () => {
    const db = await LsmStore.open(tempDir());
    const bad: unknown[] = [1, null, undefined, {}, [1], 1n];
    for (const k of bad) {
      expect(() => db.put(k as string, 'v')).toThrow(TypeError);
      expect(() => db.getSync(k as string)).toThrow(TypeError);
      expect(() => db.delete(k as string)).toThrow(TypeError);
    }
    expect(() => db.put('k', 5 as unknown as string)).toThrow(TypeError);
    expect(() => db.put(new Uint8Array(MAX_KEY_SIZE + 1), 'v')).toThrow(RangeError);
    expect(() => db.put('k', new Uint8Array(MAX_VALUE_SIZE + 1))).toThrow(RangeError);
    expect(() => db.batch('x' as never)).toThrow(TypeError);
    expect(() => db.batch([{ type: 'nope', key: 'a' } as never])).toThrow(TypeError);
    expect(() => db.batch([null as never])).toThrow(TypeError);
    expect(() => db.iterator({ limit: -5 })).toThrow(RangeError);
    expect(() => db.iterator({ reverse: 'yes' as never })).toThrow(TypeError);
    expect(() => db.put('k', 'v', { sync: 1 as never })).toThrow(TypeError);
    // a rejected batch wrote nothing
    expect(db.stats().writes).toBe(0);
    await db.put(new Uint8Array(MAX_KEY_SIZE), new Uint8Array(1024 * 1024));
    expect(db.getSync(new Uint8Array(MAX_KEY_SIZE))!.length).toBe(1024 * 1024);
    await db.close();
  });

  it('rejects bad options with RangeError/TypeError', async () => {
    const dir = tempDir();
    await expect(LsmStore.open(dir, { writeBufferSize: 0 })).rejects.toThrow(RangeError);
    await expect(LsmStore.open(dir, { bloomBitsPerKey: 65 })).rejects.toThrow(RangeError);
    await expect(LsmStore.open(dir, { blockSize: 1.5 })).rejects.toThrow(RangeError);
    await expect(LsmStore.open(dir, { sync: 'yes' as never })).rejects.toThrow(TypeError);
    await expect(LsmStore.open(dir, { compaction: 'gpu' as never })).rejects.toThrow(TypeError);
    await expect(
      LsmStore.open(dir, { l0CompactionTrigger: 8, l0StopWritesTrigger: 4 }),
    ).rejects.toThrow(RangeError);
    await expect(LsmStore.open('' as string)).rejects.toThrow(TypeError);
  });

  it('fails every operation after close() with PERF_LSM_CLOSED', async () => {
    const db = await LsmStore.open(tempDir());
    await db.put('a', '1');
    const it = db.iterator();
    await db.close();
    await db.close(); // idempotent
    const closed = expect.objectContaining({ code: 'PERF_LSM_CLOSED', name: 'ClosedError' });
    await expect(db.put('a', '1')).rejects.toEqual(closed);
    await expect(db.delete('a')).rejects.toEqual(closed);
    await expect(db.batch([{ type: 'put', key: 'a', value: '1' }])).rejects.toEqual(closed);
    await expect(db.batch([])).rejects.toEqual(closed);
    await expect(db.get('a')).rejects.toEqual(closed);
    await expect(db.getMany(['a'])).rejects.toEqual(closed);
    await expect(db.has('a')).rejects.toEqual(closed);
    await expect(db.flush()).rejects.toEqual(closed);
    await expect(db.compact()).rejects.toEqual(closed);
    await expect(db.clear()).rejects.toEqual(closed);
    expect(() => db.getSync('a')).toThrow(closed);
    expect(() => db.iterator()).toThrow(closed);
    expect(() => db.snapshot()).toThrow(closed);
    expect(() => it.nextSync()).toThrow(closed);
    await expect(it.next()).rejects.toEqual(closed);
  });

  it('refuses a directory that is not a store, a missing one, and an existing one on request', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    await expect(LsmStore.open(dir)).rejects.toMatchObject({ code: 'PERF_LSM_NOT_FOUND' });
    await expect(
      LsmStore.open(join(dir, 'nope'), { createIfMissing: false }),
    ).rejects.toMatchObject({
      code: 'PERF_LSM_NOT_FOUND',
    });
    const fresh = join(dir, 'db');
    mkdirSync(fresh);
    await expect(LsmStore.open(fresh, { createIfMissing: false })).rejects.toMatchObject({
      code: 'PERF_LSM_NOT_FOUND',
    });
    const db = await LsmStore.open(fresh);
    await db.close();
    await expect(LsmStore.open(fresh, { errorIfExists: true })).rejects.toMatchObject({
      code: 'PERF_LSM_EXISTS',
    });
    await (await LsmStore.open(fresh)).close();
  });

  it('locks the directory: a second open fails with PERF_LSM_LOCKED until the first closes', async () => {
    const dir = tempDir();
    const db = await LsmStore.open(dir);
    await expect(LsmStore.open(dir)).rejects.toMatchObject({
      code: 'PERF_LSM_LOCKED',
      name: 'LockedError',
    });
    await db.close();
    await (await LsmStore.open(dir)).close();
  });

  it('locks against other processes, and takes over the lock of a dead one', async () => {
    const dir = tempDir();
    // pid 1 is always alive: another process holds the store
    writeFileSync(join(dir, 'LOCK'), '1\n');
    await expect(LsmStore.open(dir)).rejects.toMatchObject({ code: 'PERF_LSM_LOCKED', pid: 1 });
    // a pid that cannot be running: a crashed process left its lock behind
    writeFileSync(join(dir, 'LOCK'), '4194304\n');
    await (await LsmStore.open(dir)).close();
  });
});
