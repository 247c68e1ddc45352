// Worker threads running bench/roles.ts (from source, through @perf/internal's worker runner),
// and a start line so every timed transfer starts hot, at one instant.
import type { Worker } from 'node:worker_threads';
import { startWorker } from '@perf/internal';

/** Starts a bench worker; `done` resolves with its final message. */
export function spawnRole(workerData: Record<string, unknown>): {
  worker: Worker;
  done: Promise<unknown>;
} {
  const worker = startWorker(new URL('./roles.ts', import.meta.url), { workerData });
  const done = new Promise<unknown>((resolve, reject) => {
    worker.on('message', (m: { done?: unknown }) => {
      if (m && typeof m === 'object' && 'done' in m) resolve(m.done);
    });
    worker.once('error', reject);
  });
  return { worker, done };
}

/** A shared start line: workers spin on it so every run starts hot, at one instant. */
export function startLine() {
  const words = new Int32Array(new SharedArrayBuffer(16));
  return {
    buffer: words.buffer as SharedArrayBuffer,
    /** Waits until `n` workers are ready (they bump word 1). */
    ready: async (n: number) => {
      while (Atomics.load(words, 1) < n) await new Promise((r) => setTimeout(r, 1));
    },
    go: () => {
      Atomics.store(words, 0, 1);
      Atomics.notify(words, 0);
    },
  };
}
