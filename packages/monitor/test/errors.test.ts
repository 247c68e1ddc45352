import { describe, expect, it } from 'vitest';
import { isPerfError, MonitorError } from '../src/index.js';

describe('MonitorError', () => {
  it('carries a stable code, its class name and a cause', () => {
    const cause = new Error('inner');
    const e = new MonitorError('PERF_MONITOR_TEST', 'boom', { cause });
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('PERF_MONITOR_TEST');
    expect(e.name).toBe('MonitorError');
    expect(e.cause).toBe(cause);
  });

  it('is recognised by brand, not only by instanceof', () => {
    expect(MonitorError.is(new MonitorError('PERF_MONITOR_TEST', 'x'))).toBe(true);
    expect(MonitorError.is(new Error('x'))).toBe(false);
    expect(MonitorError.is(null)).toBe(false);
  });

  it('is a @perf error with a PERF_MONITOR_ code', () => {
    const e = new MonitorError('PERF_MONITOR_TEST', 'x');
    expect(isPerfError(e, 'PERF_MONITOR_TEST')).toBe(true);
    expect(MonitorError.is(Object.assign(new Error('x'), { code: 'PERF_MONITOR_TEST' }))).toBe(
      false,
    );
  });
});
