// A long-lived worker attached to the bench's shared memory: the shape a @perf/concurrency
// task would have. It answers { op, a, b, n } (byte offsets, element count) with one number.
import { parentPort, workerData } from 'node:worker_threads';
import { createSimd, type WasmMemory } from '../src/index.js';

const simd = createSimd({ memory: (workerData as { memory: WasmMemory }).memory });
const memory = (workerData as { memory: WasmMemory }).memory;
parentPort!.on('message', (job: { op: 'sum' | 'dot'; a: number; b: number; n: number }) => {
  const a = new Float32Array(memory.buffer, job.a, job.n);
  const result =
    job.op === 'sum' ? simd.sum(a) : simd.dot(a, new Float32Array(memory.buffer, job.b, job.n));
  parentPort!.postMessage(result);
});
parentPort!.postMessage('ready');
