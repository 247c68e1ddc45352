// The worker pool's wire protocol: record kinds and offsets shared by the main thread
// (src/worker-pool.ts) and the worker runtime (src/internal/worker-main.ts, which receives these
// numbers through workerData because its source is pasted into the worker and cannot import).
//
// A record in a request or response ring (an SpscByteRing per direction per thread):
//
//   byte 0      4          8          12
//   +---------+----------+----------+---------------------------------------------+
//   | KIND u8 | TASK_ID  | FN_ID    | value (src/internal/codec.ts) or UTF-8 text  |
//   +---------+----------+----------+---------------------------------------------+
//
// Records are answered strictly in order — one worker runs its tasks one after another — so
// the main thread keeps each thread's in-flight tasks in a FIFO (a denque) and never searches.
// A value too big for the ring, or one only structured clone can copy (SharedArrayBuffer), goes
// through the thread's private MessagePort instead, and a *_POSTED record keeps its place in the
// order; the receiver then takes it with receiveMessageOnPort, synchronously.

import type { MessagePort } from 'node:worker_threads';

export const KIND = 0;
export const TASK_ID = 4;
export const FN_ID = 8;
export const BODY = 12;

/** Requests (main → worker). */
export const REQ_RUN = 1;
export const REQ_RUN_POSTED = 2;
/** Binds FN_ID to `[module, exportName]` (JSON body) before its first RUN on this thread. */
export const REQ_DEFINE = 3;

/** Responses (worker → main). */
export const RES_OK = 1;
export const RES_OK_POSTED = 2;
export const RES_ERROR = 3;
/** The task was cancelled before it started; nothing ran. */
export const RES_SKIPPED = 4;

/** Pool-wide control words (Int32Array over a SharedArrayBuffer). */
export const DOORBELL = 0; // bumped by a worker after every response
export const MAIN_WAITERS = 1; // > 0 while the main thread sleeps on DOORBELL
export const CONTROL_WORDS = 16;

/** Per-thread state words. */
export const CURRENT = 0; // id of the task running now, 0 between tasks
/**
 * Id of the running task the main thread asked to stop (cooperative cancellation): the task's
 * `signal.aborted` is `Atomics.load(state, ABORT) === id`, and a worker waiting on this word
 * (an async task that listens for 'abort') is woken by `Atomics.notify`.
 */
export const ABORT = 1;
export const STATE_WORDS = 16;

/**
 * Cancelled task ids, stored at `id & CANCEL_MASK`. A worker skips a task whose slot holds its
 * id; a collision can only make a cancelled task run anyway (its result is discarded), never
 * skip a live one, because the full id is compared.
 */
export const CANCEL_SLOTS = 4096;
export const CANCEL_MASK = CANCEL_SLOTS - 1;

/** The built-in task of every worker: the parallel-kernel executor (src/internal/par-exec.ts). */
export const FN_PARALLEL = 0;

/** Everything a worker needs, sent as workerData. */
export interface WorkerInit {
  request: SharedArrayBuffer;
  response: SharedArrayBuffer;
  state: SharedArrayBuffer;
  control: SharedArrayBuffer;
  cancels: SharedArrayBuffer;
  port: MessagePort;
  layout: {
    HEAD: number;
    TAIL: number;
    TAIL_WAITERS: number;
    HEAD_WAITERS: number;
    HEADER_BYTES: number;
  };
  protocol: Record<string, number>;
  spin: number;
}
