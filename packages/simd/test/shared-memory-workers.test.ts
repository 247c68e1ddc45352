import { describe, expect, it } from 'vitest';
import { createSimd } from '../src/index.js';
import { bound, dotRef } from './support/oracle.js';
import { startWorker } from '@perf/internal';

interface Result {
  owns: boolean;
  sum: number;
  dot: number;
  min: number;
  argmax: number;
  sumI32: number;
  blocks: [number, number][];
}

function runWorker(data: object): Promise<Result> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(new URL('./fixtures/kernel-worker.ts', import.meta.url), {
      workerData: data,
    });
    worker.once('message', (m: Result) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

describe('kernels on one shared WebAssembly.Memory from several workers', () => {
  it('two workers reduce halves and allocate concurrently; results combine to one-thread results', async () => {
    const simd = createSimd({ backend: 'wasm' });
    const n = 1 << 18; // halves split on the 1024-element f32 sum block
    const a = simd.alloc(Float32Array, n);
    const ints = simd.alloc(Int32Array, n);
    const out = simd.alloc(Float32Array, n);
    for (let i = 0; i < n; i++) {
      a[i] = Math.sin(i) * 100;
      ints[i] = Math.imul(i, 2654435761);
    }
    a[n - 5] = 1000; // the max, in the second half
    const half = n / 2;
    const job = (k: number) => ({
      memory: simd.memory,
      f32: a.byteOffset + k * half * 4,
      i32: ints.byteOffset + k * half * 4,
      out: out.byteOffset + k * half * 4,
      length: half,
      allocs: 300,
      tag: k + 1,
    });
    const [r0, r1] = await Promise.all([runWorker(job(0)), runWorker(job(1))]);

    expect(r0!.owns && r1!.owns).toBe(true);
    const ref = dotRef('f32', a);
    expect(Math.abs(r0!.sum + r1!.sum - simd.sum(a))).toBeLessThanOrEqual(
      bound('f32', n, ref.magnitude),
    );
    const dref = dotRef('f32', a, a);
    expect(Math.abs(r0!.dot + r1!.dot - simd.dot(a, a))).toBeLessThanOrEqual(
      bound('f32', n, dref.magnitude),
    );
    expect(Math.min(r0!.min, r1!.min)).toBe(simd.min(a));
    expect(half + r1!.argmax).toBe(simd.argmax(a));
    expect((r0!.sumI32 + r1!.sumI32) | 0).toBe(simd.sum(ints)); // exact: int32 wraps
    for (let i = 0; i < n; i++) if (out[i] !== Math.fround(a[i]! * 2)) throw new Error(`out[${i}]`);

    // Both workers allocated from the one heap at once: blocks are disjoint and intact.
    const view = new Int32Array(simd.memory!.buffer);
    const spans = [
      ...r0!.blocks.map(([o, len]) => [o, o + 4 * len, 1] as const),
      ...r1!.blocks.map(([o, len]) => [o, o + 4 * len, 2] as const),
      [a.byteOffset, a.byteOffset + a.byteLength, 0] as const,
      [out.byteOffset, out.byteOffset + out.byteLength, 0] as const,
    ].sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < spans.length; i++)
      expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
    for (const [from, to, tag] of spans) {
      if (tag === 0) continue;
      for (let w = from / 4; w < to / 4; w++)
        if (view[w] !== tag) throw new Error(`block at ${from} corrupted`);
    }
  });
});
