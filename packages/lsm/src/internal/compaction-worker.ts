/**
 * Entry point of the compaction worker thread (built as its own file: dist/compaction-worker.js
 * and .cjs). It receives {@link CompactionJob}s, runs them with blocking I/O — a worker may
 * block, which is the point: the main thread's event loop never waits on a merge — and posts
 * back the new tables or the error on the result port, then raises the shared "reply waiting"
 * flag so a synchronous reader on the main thread can take the reply without an event-loop
 * turn (see compactor.ts).
 */
import { type MessagePort, parentPort } from 'node:worker_threads';
import { LsmError } from '../errors.js';
import { nodeFileSystem } from '../node-file-system.js';
import { type CompactionJob, type CompactionResult, runCompaction } from './compaction.js';

/** An error as plain data, so its code, file and offset survive `postMessage`. */
export interface WorkerError {
  message: string;
  code?: string;
  file?: string;
  offset?: number;
  reason?: string;
}

/** The first message: where to post replies, and the flag word to raise after each. */
export interface WorkerInit {
  port: MessagePort;
  waiting: SharedArrayBuffer;
}

/** The reply to job `id`. */
export interface WorkerReply {
  id: number;
  result?: CompactionResult;
  error?: WorkerError;
}

// Set by the WorkerInit message, which the compactor posts before any job (same port, so it
// always arrives first): the main thread listens for replies on `replies` only.
let replies: MessagePort | null = null;
let waiting: Int32Array | null = null;

function reply(m: WorkerReply): void {
  replies!.postMessage(m);
  // After the post: whoever sees the flag finds the reply already queued on the port.
  Atomics.store(waiting!, 0, 1);
}

parentPort?.on('message', (msg: { id: number; job: CompactionJob } | WorkerInit) => {
  if ('port' in msg) {
    replies = msg.port;
    waiting = new Int32Array(msg.waiting);
    return;
  }
  try {
    reply({ id: msg.id, result: runCompaction(nodeFileSystem, msg.job) });
  } catch (err) {
    const e = err as Partial<LsmError & { file: string; offset: number; reason: string }>;
    const error: WorkerError = { message: String(e?.message ?? err) };
    if (LsmError.is(err)) {
      error.code = err.code;
      error.file = e.file;
      error.offset = e.offset;
      error.reason = e.reason;
    }
    reply({ id: msg.id, error });
  }
});
