/**
 * Runs compaction jobs: in a worker thread (default) or inline on the calling thread.
 *
 * The worker is started through @perf/internal's worker runner from the file next to the
 * running module — `compaction-worker.js` beside dist/index.js (ESM), `.cjs` beside
 * dist/index.cjs (CJS), `.ts` when the package runs from its TypeScript sources (the test
 * suite; that branch is compiled out of the build). One worker serves a store; it is unref'd
 * while idle so it never keeps the process alive.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker, workerFile } from '@perf/internal';
import { ClosedError, CorruptionError, LsmError } from '../errors.js';
import type { FileSystem } from '../types.js';
import { type CompactionJob, type CompactionResult, runCompaction } from './compaction.js';
import type { WorkerError } from './compaction-worker.js';

export interface Compactor {
  run(job: CompactionJob): Promise<CompactionResult>;
  close(): Promise<void>;
}

export function inlineCompactor(fs: FileSystem): Compactor {
  return {
    run: async (job) => runCompaction(fs, job),
    close: async () => {},
  };
}

function spawn(): Worker {
  return startWorker(workerFile(import.meta.url, './compaction-worker'));
}

function revive(e: WorkerError): Error {
  if (e.code === 'PERF_LSM_CORRUPTION') {
    return new CorruptionError(e.file ?? '?', e.offset ?? 0, e.reason ?? e.message);
  }
  if (e.code !== undefined) return new LsmError(e.code, e.message);
  return new Error(e.message);
}

export function workerCompactor(): Compactor {
  let worker: Worker | null = null;
  let nextId = 0;
  const pending = new Map<
    number,
    { resolve: (r: CompactionResult) => void; reject: (e: Error) => void }
  >();
  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    worker = null;
  };
  const get = (): Worker => {
    if (worker !== null) return worker;
    const w = spawn();
    w.on('message', (m: { id: number; result?: CompactionResult; error?: WorkerError }) => {
      const p = pending.get(m.id);
      if (p === undefined) return;
      pending.delete(m.id);
      if (pending.size === 0) w.unref();
      if (m.error !== undefined) p.reject(revive(m.error));
      else p.resolve(m.result!);
    });
    w.on('error', (err) => failAll(err));
    w.on('exit', (code) => {
      if (worker === w) failAll(new Error(`compaction worker exited with code ${code}`));
    });
    w.unref();
    worker = w;
    return w;
  };
  return {
    run(job) {
      const w = get();
      const id = nextId++;
      w.ref();
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        w.postMessage({ id, job });
      });
    },
    /**
     * Stops the worker at once, even mid-merge: the job in flight rejects with
     * `PERF_LSM_CLOSED`, and the tables it was writing are orphans that the next `open`
     * removes (no manifest edit names them).
     */
    async close() {
      const w = worker;
      worker = null;
      for (const p of pending.values()) p.reject(new ClosedError());
      pending.clear();
      if (w !== null) await w.terminate();
    },
  };
}
