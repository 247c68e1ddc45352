/**
 * Runs compaction jobs: in a worker thread (default) or inline on the calling thread.
 *
 * The worker is started through @perf/internal's worker runner from the file next to the
 * running module — `compaction-worker.js` beside dist/index.js (ESM), `.cjs` beside
 * dist/index.cjs (CJS), `.ts` when the package runs from its TypeScript sources (the test
 * suite; that branch is compiled out of the build). One worker serves a store; it is unref'd
 * while idle so it never keeps the process alive.
 *
 * A finished job can be collected two ways: by the event loop (the result port's `message`
 * event settles the job's promise), or at once, by a synchronous read that polls
 * {@link Compactor.takeFinished}. The second exists because a program that reads synchronously
 * for seconds (`getSync` in a loop after a write burst) never turns the event loop, and would
 * otherwise keep reading through every level-0 table the merge has already replaced.
 */
import {
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  type Worker,
} from 'node:worker_threads';
import { startWorker, workerFile } from '@perf/internal';
import { ClosedError, CorruptionError, LsmError } from '../errors.js';
import type { FileSystem } from '../types.js';
import { type CompactionJob, type CompactionResult, runCompaction } from './compaction.js';
import type { WorkerError, WorkerInit, WorkerReply } from './compaction-worker.js';

export interface Compactor {
  run(job: CompactionJob): Promise<CompactionResult>;
  /**
   * The result of the job in flight when it has finished, taken without an event-loop turn
   * (its promise is settled with it too), else undefined. A failed job is not returned: its
   * promise rejects, as on the event-loop path. Cheap when nothing has finished.
   */
  takeFinished(): CompactionResult | undefined;
  close(): Promise<void>;
}

/**
 * Merges on the calling thread, inside `run()`. Like the worker, the result is handed to the
 * event loop one turn later (`setImmediate`) and is meanwhile available to
 * {@link Compactor.takeFinished}: the store's two install paths are the same for both
 * compactors, so the power-cut file system (which only the inline compactor can use) tests
 * both.
 */
export function inlineCompactor(fs: FileSystem): Compactor {
  let ready: CompactionResult | undefined;
  return {
    run(job) {
      let result: CompactionResult;
      try {
        result = runCompaction(fs, job);
      } catch (err) {
        return Promise.reject(err);
      }
      ready = result;
      return new Promise((resolve) => {
        setImmediate(() => {
          if (ready === result) ready = undefined;
          resolve(result);
        });
      });
    },
    takeFinished() {
      const r = ready;
      ready = undefined;
      return r;
    },
    close: async () => {
      ready = undefined;
    },
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

/** Index of the "a reply is waiting on the result port" flag in the shared word. */
const REPLY_WAITING = 0;

export function workerCompactor(): Compactor {
  let worker: Worker | null = null;
  let port: MessagePort | null = null;
  let nextId = 0;
  // Set by the worker (Atomics.store) after it posts a reply, cleared here before the reply is
  // taken: one shared word, so polling costs one load while no reply is waiting.
  const waiting = new Int32Array(new SharedArrayBuffer(4));
  const pending = new Map<
    number,
    { resolve: (r: CompactionResult) => void; reject: (e: Error) => void }
  >();
  const idle = () => {
    worker?.unref();
    port?.unref();
  };
  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    worker = null;
    port?.close();
    port = null;
  };
  /** Settles the job `m` answers; returns its result when it succeeded. */
  const settle = (m: WorkerReply): CompactionResult | undefined => {
    const p = pending.get(m.id);
    if (p === undefined) return undefined;
    pending.delete(m.id);
    if (pending.size === 0) idle();
    if (m.error !== undefined) {
      p.reject(revive(m.error));
      return undefined;
    }
    p.resolve(m.result!);
    return m.result;
  };
  const get = (): Worker => {
    if (worker !== null) return worker;
    const w = spawn();
    const channel = new MessageChannel();
    const init: WorkerInit = { port: channel.port2, waiting: waiting.buffer as SharedArrayBuffer };
    w.postMessage(init, [channel.port2]);
    const p = channel.port1;
    p.on('message', (m: WorkerReply) => {
      Atomics.store(waiting, REPLY_WAITING, 0);
      settle(m);
    });
    w.on('error', (err) => failAll(err));
    w.on('exit', (code) => {
      if (worker === w) failAll(new Error(`compaction worker exited with code ${code}`));
    });
    worker = w;
    port = p;
    idle();
    return w;
  };
  return {
    run(job) {
      const w = get();
      const id = nextId++;
      w.ref();
      port!.ref();
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        w.postMessage({ id, job });
      });
    },
    takeFinished() {
      if (Atomics.load(waiting, REPLY_WAITING) === 0 || port === null) return undefined;
      Atomics.store(waiting, REPLY_WAITING, 0);
      const m = receiveMessageOnPort(port);
      return m === undefined ? undefined : settle(m.message as WorkerReply);
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
      port?.close();
      port = null;
      if (w !== null) await w.terminate();
    },
  };
}
