import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PrefetchReader, SequentialWriter } from '../src/index.js';
import { MemoryFs } from './helpers/memory-fs.js';
import { tempDir } from './helpers/tmp.js';

describe('SequentialWriter', () => {
  it('gathers small appends into buffer-sized writes; flush hands them to the OS', () => {
    const path = join(tempDir(), 'f');
    const w = new SequentialWriter(path, { bufferSize: 16 });
    w.append(Buffer.from('hello '));
    expect(readFileSync(path).length).toBe(0); // still buffered
    w.append(Buffer.from('world, this is long'));
    w.append(Buffer.from('!'));
    expect(w.position).toBe(26);
    w.flush();
    expect(readFileSync(path, 'utf8')).toBe('hello world, this is long!');
    w.close();
    w.close();
    expect(() => w.append(Buffer.from('x'))).toThrow(TypeError);
  });

  it('sync makes the bytes durable (a power cut keeps them)', async () => {
    const fs = new MemoryFs();
    const w = new SequentialWriter('/f', { fs });
    w.append(Buffer.from('durable'));
    await w.sync();
    w.append(Buffer.from(' volatile'));
    w.flush();
    fs.syncDir('');
    const after = fs.powerCut();
    expect(Buffer.from(after.bytes('/f')).toString()).toBe('durable');
    w.close();
  });

  it('rejects a bad buffer size', () => {
    expect(() => new SequentialWriter(join(tempDir(), 'f'), { bufferSize: 0 })).toThrow(RangeError);
  });
});

describe('PrefetchReader', () => {
  it('serves sequential reads from one read-ahead window, refilling on a seek', () => {
    const fs = new MemoryFs();
    const w = new SequentialWriter('/data', { fs });
    const bytes = Uint8Array.from({ length: 10_000 }, (_, i) => i & 0xff);
    w.append(bytes);
    w.close();
    const r = new PrefetchReader('/data', { fs, readAhead: 4096 });
    expect(r.size).toBe(10_000);
    for (let off = 0; off < 4000; off += 100)
      expect([...r.read(off, 100)]).toEqual([...bytes.subarray(off, off + 100)]);
    expect(r.reads).toBe(1);
    expect([...r.read(9_990, 100)]).toEqual([...bytes.subarray(9_990)]); // short at the end
    expect(r.reads).toBe(2);
    expect(r.read(5_000, 8_000).length).toBe(5_000); // larger than the window
    r.close();
    expect(() => new PrefetchReader('/data', { fs, readAhead: -1 })).toThrow(RangeError);
  });
});
