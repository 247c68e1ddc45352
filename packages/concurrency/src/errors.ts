/**
 * Every operational error @perf/concurrency raises. Programmer mistakes (bad arguments or
 * options) throw a plain `TypeError`/`RangeError` instead; expected outcomes (a full ring, a
 * timed-out wait) are return values.
 *
 * All of them are @perf errors (`isPerfError(err, 'PERF_CONCURRENCY_*')`, across packages and
 * duplicate installs). `AbortError`, `QueueFullError` and `ClosedError` have the shape every
 * @perf package gives errors of that name; the others extend {@link ConcurrencyError}.
 */

import {
  AbortError as SharedAbortError,
  ClosedError as SharedClosedError,
  isPerfError,
  PerfError,
  QueueFullError as SharedQueueFullError,
} from '@perf/internal';

export { isPerfError, PerfError };

/**
 * Base class of the errors only @perf/concurrency raises. `code` is stable across versions and
 * is what callers should branch on; data lives in fields, not in the message.
 */
export class ConcurrencyError extends PerfError {
  /**
   * True for any @perf/concurrency error, the shared shapes (`AbortError`, `QueueFullError`,
   * `ClosedError`) included, even one from a duplicate install of the package.
   */
  static is(value: unknown): value is PerfError {
    return isPerfError(value, 'PERF_CONCURRENCY_*');
  }
}

/**
 * An operation was cancelled through its `AbortSignal` (or `clearQueue()` discarded a call of a
 * `limit({ rejectOnClear: true })`). `name` is `'AbortError'`, like the platform's, so generic
 * abort handling recognises it; `cause` is the signal's `reason`.
 */
export class AbortError extends SharedAbortError {
  constructor(reason?: unknown, message?: string) {
    super('PERF_CONCURRENCY_ABORTED', reason, message);
  }
}

/** `WorkerPool.run` was called while `maxQueue` tasks were already waiting for a thread. */
export class QueueFullError extends SharedQueueFullError {
  constructor(capacity: number) {
    super('PERF_CONCURRENCY_QUEUE_FULL', capacity);
  }

  /** @deprecated The same number as `capacity` (the pool's `maxQueue`). */
  get maxQueue(): number {
    return this.capacity;
  }
}

/**
 * The worker pool was closed or destroyed: new tasks are refused, and `destroy()` rejects the
 * pending ones. `what` is `'worker pool'`.
 */
export class ClosedError extends SharedClosedError {
  constructor() {
    super('PERF_CONCURRENCY_POOL_CLOSED', 'worker pool');
  }
}

/** @deprecated The former name of {@link ClosedError}; the same class. */
export const PoolClosedError = ClosedError;
/** @deprecated The former name of {@link ClosedError}. */
export type PoolClosedError = ClosedError;

/**
 * A worker thread exited or crashed while running the task (`process.exit`, an uncaught error
 * outside the task, out of memory). The pool replaces the thread; this task is not retried.
 */
export class WorkerCrashedError extends ConcurrencyError {
  /** Exit code of the thread, when it exited. */
  readonly exitCode: number | undefined;
  /** `threadId` of the thread that died. */
  readonly threadId: number;

  constructor(threadId: number, exitCode: number | undefined, options?: ErrorOptions) {
    super(
      'PERF_CONCURRENCY_WORKER_CRASHED',
      `Worker thread ${threadId} died while running the task (exit code ${exitCode})`,
      options,
    );
    this.threadId = threadId;
    this.exitCode = exitCode;
  }
}

/**
 * A task (or a parallel kernel) threw in a worker thread. `message` and `stack` are the worker
 * error's own; `cause` is that error rebuilt on this thread (its class when it is a built-in one,
 * its `name`, `code` and other own fields kept).
 */
export class TaskError extends ConcurrencyError {
  /** Export the task named (`'default'` when none), or `'<kernel>'` for a parallel kernel. */
  readonly task: string;

  constructor(task: string, cause: Error) {
    super('PERF_CONCURRENCY_TASK_FAILED', cause.message, { cause });
    this.task = task;
    if (cause.stack !== undefined) this.stack = cause.stack;
  }
}

/**
 * A running task was aborted and did not return within the pool's `abortGrace`, so its thread
 * was terminated (and replaced). Its `run()` promise had already rejected with an
 * {@link AbortError} when the signal fired; this error goes to the pool's `onTaskTerminated`
 * (by default a process warning), because a task that ignores its signal is a bug to fix.
 */
export class TaskTerminatedError extends ConcurrencyError {
  /** Export the task named (`'default'` when none). */
  readonly task: string;
  /** `threadId` of the terminated thread. */
  readonly threadId: number;
  /** The grace period it was given, in milliseconds. */
  readonly grace: number;

  constructor(task: string, threadId: number, grace: number) {
    super(
      'PERF_CONCURRENCY_TASK_TERMINATED',
      `Task \`${task}\` ignored its abort signal for ${grace} ms; worker thread ${threadId} was terminated`,
    );
    this.task = task;
    this.threadId = threadId;
    this.grace = grace;
  }
}
