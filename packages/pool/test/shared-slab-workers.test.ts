import { startWorker } from '@perf/internal';
import { describe, expect, it } from 'vitest';
import { SharedSlab } from '../src/index.js';

const WORKERS = 4;
const BLOCKS = 64;
const ROUNDS = 2_000;

describe('SharedSlab across worker threads', () => {
  // The fixtures run from TypeScript source through the shared worker runner.
  const file = new URL('./fixtures/slab-worker.ts', import.meta.url);
  const lockWorker = new URL('./fixtures/slab-lock-worker.ts', import.meta.url);

  it('blocks on the lock word held by another party and wakes when it is released (0/1/2 protocol)', async () => {
    const slab = new SharedSlab({ blockSize: 8, blockCount: 4 });
    const words = new Int32Array(slab.buffer);
    const LOCK = 6; // documented: Int32 index 6 of the header
    // Another library takes the lock through plain Atomics.
    expect(Atomics.compareExchange(words, LOCK, 0, 1)).toBe(0);
    const w = startWorker(lockWorker, { workerData: { buffer: slab.buffer } });
    const messages: { started?: boolean; handle?: number }[] = [];
    const done = new Promise<number>((resolve, reject) => {
      w.on('message', (m) => {
        messages.push(m);
        if (m.handle !== undefined) resolve(m.handle);
      });
      w.once('error', reject);
    });
    // The worker reaches alloc() and must park: it cannot finish while we hold the lock.
    while (!messages.some((m) => m.started)) await new Promise((r) => setTimeout(r, 5));
    while (Atomics.load(words, LOCK) !== 2) await new Promise((r) => setTimeout(r, 5));
    expect(messages.some((m) => m.handle !== undefined)).toBe(false);
    expect(slab.used).toBe(0);
    // Release as the protocol says: 2 means waiters, so store 0 and wake one.
    Atomics.store(words, LOCK, 0);
    Atomics.notify(words, LOCK, 1);
    expect(await done).toBe(0);
    expect(slab.used).toBe(1);
    expect(Atomics.load(words, LOCK)).toBe(0);
    await w.terminate();
  });

  it('never hands one block to two workers, never loses one, and frees across threads', async () => {
    const slab = new SharedSlab({ blockSize: 16, blockCount: BLOCKS });
    const start = new Int32Array(new SharedArrayBuffer(8));
    const results = await Promise.all(
      Array.from({ length: WORKERS }, (_, id) => {
        const w = startWorker(file, {
          workerData: { buffer: slab.buffer, id: id + 1, rounds: ROUNDS, hold: 24, start },
        });
        return new Promise<{ allocs: number; full: number; corrupt: number; handles: number[] }>(
          (resolve, reject) => {
            w.once('message', (m) => resolve(m));
            w.once('error', reject);
            w.once('exit', (code) => code !== 0 && reject(new Error(`worker exit ${code}`)));
          },
        ).finally(() => w.terminate());
      }).concat(
        (async () => {
          // Release the workers once they are all waiting at the start line.
          while (Atomics.load(start, 0) < WORKERS) await new Promise((r) => setTimeout(r, 5));
          Atomics.store(start, 1, 1);
          Atomics.notify(start, 1);
          return { allocs: 0, full: 0, corrupt: 0, handles: [] };
        })(),
      ),
    );
    const corrupt = results.reduce((s, r) => s + r.corrupt, 0);
    const allocs = results.reduce((s, r) => s + r.allocs, 0);
    const handles = results.flatMap((r) => r.handles);
    expect(corrupt).toBe(0);
    expect(allocs).toBeGreaterThan(WORKERS * ROUNDS);
    // What the workers still hold is exactly what the slab counts as used, with no duplicates.
    expect(new Set(handles).size).toBe(handles.length);
    expect(slab.used).toBe(handles.length);
    for (const h of handles) slab.free(h); // freed in another thread than allocated
    expect(slab.used).toBe(0);
    // Nothing lost: all blocks come back.
    const all = Array.from({ length: BLOCKS }, () => slab.alloc());
    expect(new Set(all).size).toBe(BLOCKS);
  });
});
