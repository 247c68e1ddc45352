// The codes and fields of @perf/concurrency's own errors. The shared base (brand, name, cause,
// isPerfError across installs) is tested once, in @perf/internal.
import { describe, expect, it } from 'vitest';
import {
  AbortError,
  ClosedError,
  ConcurrencyError,
  isPerfError,
  PoolClosedError,
  QueueFullError,
  TaskError,
  TaskTerminatedError,
  WorkerCrashedError,
} from '../src/index.js';

describe('@perf/concurrency errors', () => {
  it('each class carries its PERF_CONCURRENCY_* code, its name and its data fields', () => {
    const reason = new Error('stop');
    const cases: [Error, string, string, Record<string, unknown>][] = [
      [new AbortError(reason), 'PERF_CONCURRENCY_ABORTED', 'AbortError', { cause: reason }],
      [new QueueFullError(8), 'PERF_CONCURRENCY_QUEUE_FULL', 'QueueFullError', { capacity: 8 }],
      [new ClosedError(), 'PERF_CONCURRENCY_POOL_CLOSED', 'ClosedError', { what: 'worker pool' }],
      [
        new WorkerCrashedError(3, 7),
        'PERF_CONCURRENCY_WORKER_CRASHED',
        'WorkerCrashedError',
        { threadId: 3, exitCode: 7 },
      ],
      [
        new TaskError('double', new RangeError('no')),
        'PERF_CONCURRENCY_TASK_FAILED',
        'TaskError',
        { task: 'double', message: 'no' },
      ],
      [
        new TaskTerminatedError('spin', 4, 50),
        'PERF_CONCURRENCY_TASK_TERMINATED',
        'TaskTerminatedError',
        { task: 'spin', threadId: 4, grace: 50 },
      ],
    ];
    for (const [error, code, name, fields] of cases) {
      expect(error).toBeInstanceOf(Error);
      expect(error).toMatchObject({ code, name, ...fields });
      expect(isPerfError(error, code)).toBe(true);
      expect(ConcurrencyError.is(error)).toBe(true);
    }
  });

  it('keeps the former names working: PoolClosedError is ClosedError, maxQueue is capacity', () => {
    expect(PoolClosedError).toBe(ClosedError);
    expect(new QueueFullError(5).maxQueue).toBe(5);
  });

  it('ConcurrencyError.is tells our errors from others', () => {
    expect(ConcurrencyError.is(new Error('x'))).toBe(false);
    expect(ConcurrencyError.is(null)).toBe(false);
    expect(ConcurrencyError.is({ code: 'PERF_CONCURRENCY_ABORTED' })).toBe(false);
  });
});
