import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BufferPool, type Bytes, readChunks } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'perf-pool-chunks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, data: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

describe('readChunks', () => {
  it('yields the whole file in chunks from pooled buffers, reusing them', async () => {
    const data = randomBytes(300_001);
    const path = file('a.bin', data);
    const pool = new BufferPool({ minSize: 1024, maxSize: 65536 });
    const parts: Uint8Array[] = [];
    let n = 0;
    for await (const chunk of readChunks(path, { chunkSize: 65536, pool })) {
      expect(chunk.length).toBeLessThanOrEqual(65536);
      parts.push(chunk.slice(0, chunk.length).copy());
      n++;
    }
    expect(n).toBe(5);
    expect(Buffer.concat(parts).equals(data)).toBe(true);
    const s = pool.stats();
    expect(s.created).toBe(1); // one buffer, reused for every chunk
    expect(s.bytesInUse).toBe(0); // and back in the pool
  });

  it('starts at an offset, handles empty files and odd chunk sizes', async () => {
    const data = randomBytes(1000);
    const path = file('b.bin', data);
    const got: number[] = [];
    for await (const c of readChunks(path, { chunkSize: 7, start: 10 })) got.push(...c);
    expect(Buffer.from(got).equals(data.subarray(10))).toBe(true);
    const empty = file('empty.bin', new Uint8Array(0));
    for await (const _ of readChunks(empty)) throw new Error('no chunks expected');
  });

  it('returns the buffer and closes the file when the loop breaks early', async () => {
    const path = file('c.bin', randomBytes(10_000));
    const pool = new BufferPool({ minSize: 1024 });
    let first: Bytes | undefined;
    for await (const c of readChunks(path, { chunkSize: 1024, pool })) {
      first = c;
      break;
    }
    expect(first?.length).toBe(1024);
    expect(pool.stats().bytesInUse).toBe(0);
  });

  it('honours an AbortSignal between chunks', async () => {
    const path = file('d.bin', randomBytes(10_000));
    const ac = new AbortController();
    const pool = new BufferPool({ minSize: 1024 });
    await expect(
      (async () => {
        for await (const _ of readChunks(path, { chunkSize: 1024, pool, signal: ac.signal }))
          ac.abort();
      })(),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(pool.stats().bytesInUse).toBe(0);
  });

  it('surfaces an exhausted pool as PERF_POOL_EXHAUSTED and still closes the file', async () => {
    const path = file('e.bin', randomBytes(5000));
    const pool = new BufferPool({ minSize: 1024, maxSize: 4096, budget: 1024 });
    const held = pool.acquire(1024); // the whole budget is in use elsewhere
    await expect(readChunks(path, { chunkSize: 1024, pool }).next()).rejects.toMatchObject({
      code: 'PERF_POOL_EXHAUSTED',
    });
    pool.release(held);
    let n = 0;
    for await (const c of readChunks(path, { chunkSize: 1024, pool })) n += c.length;
    expect(n).toBe(5000);
  });

  it('rejects bad arguments with TypeError/RangeError and missing files with ENOENT', async () => {
    const next = (p: unknown, o?: unknown) => readChunks(p as string, o as never).next();
    await expect(next(5)).rejects.toThrow(TypeError);
    await expect(next('x', { chunkSize: 0 })).rejects.toThrow(RangeError);
    await expect(next('x', { pool: {} })).rejects.toThrow(TypeError);
    await expect(next(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
