/**
 * Entry point of the compaction worker thread (built as its own file: dist/compaction-worker.js
 * and .cjs). It receives {@link CompactionJob}s, runs them with blocking I/O — a worker may
 * block, which is the point: the main thread's event loop never waits on a merge — and posts
 * back the new tables or the error.
 */
import { parentPort } from 'node:worker_threads';
import { LsmError } from '../errors.js';
import { nodeFileSystem } from '../node-file-system.js';
import { type CompactionJob, runCompaction } from './compaction.js';

/** An error as plain data, so its code, file and offset survive `postMessage`. */
export interface WorkerError {
  message: string;
  code?: string;
  file?: string;
  offset?: number;
  reason?: string;
}

parentPort?.on('message', (msg: { id: number; job: CompactionJob }) => {
  try {
    const result = runCompaction(nodeFileSystem, msg.job);
    parentPort!.postMessage({ id: msg.id, result });
  } catch (err) {
    const e = err as Partial<LsmError & { file: string; offset: number; reason: string }>;
    const error: WorkerError = { message: String(e?.message ?? err) };
    if (LsmError.is(err)) {
      error.code = err.code;
      error.file = e.file;
      error.offset = e.offset;
      error.reason = e.reason;
    }
    parentPort!.postMessage({ id: msg.id, error });
  }
});
