import { describe, expect, it } from 'vitest';
import { PoolError } from '../src/index.js';

describe('PoolError', () => {
  it('carries a stable code, its class name and a cause', () => {
    const cause = new Error('inner');
    const e = new PoolError('PERF_POOL_TEST', 'boom', { cause });
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('PERF_POOL_TEST');
    expect(e.name).toBe('PoolError');
    expect(e.cause).toBe(cause);
  });

  it('is recognised by brand, not only by instanceof', () => {
    expect(PoolError.is(new PoolError('PERF_POOL_TEST', 'x'))).toBe(true);
    expect(PoolError.is(new Error('x'))).toBe(false);
    expect(PoolError.is(null)).toBe(false);
  });
});
