/**
 * A 16M-element f32 reduction split over 2 workers on one shared WebAssembly.Memory, against
 * the same kernel on one thread. No dependency on @perf/concurrency: a pool would do exactly
 * this split (byte offsets + counts in, one number out).
 */
import type { Worker } from 'node:worker_threads';
import { createSimd } from '../src/index.js';
import { startWorker } from '@perf/internal';
import { printBench } from './print.js';

function ask(worker: Worker, job: object): Promise<number> {
  return new Promise((resolve) => {
    worker.once('message', resolve);
    worker.postMessage(job);
  });
}

export async function benchParallel(n: number): Promise<void> {
  const simd = createSimd({ backend: 'wasm' });
  const a = simd.alloc(Float32Array, n);
  const b = simd.alloc(Float32Array, n);
  for (let i = 0; i < n; i++) {
    a[i] = Math.sin(i) * 10;
    b[i] = Math.cos(i);
  }
  const workers = [0, 1].map(() =>
    startWorker(new URL('./parallel-worker.ts', import.meta.url), {
      workerData: { memory: simd.memory },
    }),
  );
  await Promise.all(workers.map((w) => new Promise((r) => w.once('message', r))));
  const half = (n / 2) & ~1023;
  const split = (op: 'sum' | 'dot') => async () => {
    const [x, y] = await Promise.all([
      ask(workers[0]!, { op, a: a.byteOffset, b: b.byteOffset, n: half }),
      ask(workers[1]!, { op, a: a.byteOffset + half * 4, b: b.byteOffset + half * 4, n: n - half }),
    ]);
    return x + y;
  };
  const label = `${n >> 20}M`;
  for (const op of ['sum', 'dot'] as const) {
    const one = op === 'sum' ? () => simd.sum(a) : () => simd.dot(a, b);
    // Wall clock: the workers' CPU time is not this thread's, and process CPU time would add
    // both threads up.
    await printBench(
      `parallel f32 ${op}, n = ${label}, one shared memory`,
      [
        { name: 'one thread (wasm)', fn: one },
        { name: '2 workers (wasm), incl. postMessage', fn: split(op) },
      ],
      { clock: 'wall' },
    );
  }
  await Promise.all(workers.map((w) => w.terminate()));
}
