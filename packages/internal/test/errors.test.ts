// The one test of the error base every @perf package shares. Each package tests only its own
// codes (that they are PerfErrors with the documented code, name and fields).
import { describe, expect, it } from 'vitest';
import {
  AbortError,
  ClosedError,
  isPerfError,
  PERF_ERROR,
  PerfError,
  QueueFullError,
  TimeoutError,
  toErrorData,
} from '../src/index.js';

class DemoError extends PerfError {}
class DemoQueueFullError extends QueueFullError {
  constructor(capacity: number) {
    super('PERF_DEMO_QUEUE_FULL', capacity);
  }
}

describe('PerfError', () => {
  it('carries code, name = class name, cause and the registry brand', () => {
    const cause = new Error('disk');
    const e = new DemoError('PERF_DEMO_BROKEN', 'it broke', { cause });
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('PERF_DEMO_BROKEN');
    expect(e.name).toBe('DemoError');
    expect(e.message).toBe('it broke');
    expect(e.cause).toBe(cause);
    expect(e[PERF_ERROR]).toBe(true);
    expect(PERF_ERROR).toBe(Symbol.for('perf.error'));
    expect(String(e)).toBe('DemoError: it broke');
    expect(e.stack).toContain('DemoError');
  });

  it('isPerfError matches exact codes and `PREFIX_*`, and rejects look-alikes', () => {
    const e = new DemoError('PERF_DEMO_BROKEN', 'x');
    expect(isPerfError(e)).toBe(true);
    expect(isPerfError(e, 'PERF_DEMO_BROKEN')).toBe(true);
    expect(isPerfError(e, 'PERF_DEMO_*')).toBe(true);
    expect(isPerfError(e, 'PERF_DEMO_OTHER')).toBe(false);
    expect(isPerfError(e, 'PERF_NET_*')).toBe(false);
    for (const v of [null, undefined, 0, 'PERF_DEMO_BROKEN', new Error('x'), { code: 'PERF_X' }]) {
      expect(isPerfError(v)).toBe(false);
    }
  });

  it('isPerfError works across duplicate installs, where instanceof does not', async () => {
    // A second evaluation of the same module: what two copies of a package in node_modules give.
    const copy = (await import(
      '../src/errors.js?copy' as string
    )) as typeof import('../src/errors.js');
    expect(copy.PerfError).not.toBe(PerfError);
    const foreign = new copy.TimeoutError('PERF_DEMO_TIMEOUT', 50);
    expect(foreign instanceof PerfError).toBe(false);
    expect(isPerfError(foreign, 'PERF_DEMO_TIMEOUT')).toBe(true);
    expect(copy.isPerfError(new DemoError('PERF_DEMO_X', 'x'), 'PERF_DEMO_*')).toBe(true);
  });
});

describe('shared shapes', () => {
  it('AbortError: name AbortError (also in subclasses), cause = reason', () => {
    class NetAbortError extends AbortError {
      constructor(reason?: unknown) {
        super('PERF_NET_ABORTED', reason);
      }
    }
    const reason = new Error('user left');
    const e = new NetAbortError(reason);
    expect(e.name).toBe('AbortError');
    expect(e.code).toBe('PERF_NET_ABORTED');
    expect(e.cause).toBe(reason);
    expect(e.message).toBe('The operation was aborted');
    expect('cause' in new NetAbortError()).toBe(false);
    expect(e).toBeInstanceOf(AbortError);
  });

  it('TimeoutError, ClosedError, QueueFullError keep their data in fields', () => {
    const t = new TimeoutError('PERF_DEMO_TIMEOUT', 250, 'The request');
    expect([t.name, t.timeoutMs, t.message]).toEqual([
      'TimeoutError',
      250,
      'The request timed out after 250 ms',
    ]);
    const c = new ClosedError('PERF_DEMO_CLOSED', 'worker pool');
    expect([c.what, c.message]).toEqual(['worker pool', 'The worker pool is closed']);
    const q = new DemoQueueFullError(8);
    expect([q.name, q.code, q.capacity]).toEqual(['DemoQueueFullError', 'PERF_DEMO_QUEUE_FULL', 8]);
    expect(q).toBeInstanceOf(QueueFullError);
  });

  it('toErrorData flattens an error for a worker boundary', () => {
    const t = new TimeoutError('PERF_DEMO_TIMEOUT', 250);
    expect(toErrorData(t)).toEqual({
      name: 'TimeoutError',
      code: 'PERF_DEMO_TIMEOUT',
      message: 'The operation timed out after 250 ms',
      fields: { timeoutMs: 250 },
    });
    expect(toErrorData('boom')).toEqual({
      name: 'Error',
      code: undefined,
      message: 'boom',
      fields: {},
    });
  });
});
