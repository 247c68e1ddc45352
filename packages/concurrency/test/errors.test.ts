import { describe, expect, it } from 'vitest';
import { ConcurrencyError } from '../src/index.js';

describe('ConcurrencyError', () => {
  it('carries a stable code, its class name and a cause', () => {
    const cause = new Error('inner');
    const e = new ConcurrencyError('PERF_CONCURRENCY_TEST', 'boom', { cause });
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('PERF_CONCURRENCY_TEST');
    expect(e.name).toBe('ConcurrencyError');
    expect(e.cause).toBe(cause);
  });

  it('is recognised by brand, not only by instanceof', () => {
    expect(ConcurrencyError.is(new ConcurrencyError('PERF_CONCURRENCY_TEST', 'x'))).toBe(true);
    expect(ConcurrencyError.is(new Error('x'))).toBe(false);
    expect(ConcurrencyError.is(null)).toBe(false);
  });
});
