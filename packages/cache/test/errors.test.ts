import { describe, expect, it } from 'vitest';
import { CacheError } from '../src/index.js';

describe('CacheError', () => {
  it('carries a stable code, its class name and a cause', () => {
    const cause = new Error('inner');
    const e = new CacheError('PERF_CACHE_TEST', 'boom', { cause });
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('PERF_CACHE_TEST');
    expect(e.name).toBe('CacheError');
    expect(e.cause).toBe(cause);
  });

  it('is recognised by brand, not only by instanceof', () => {
    expect(CacheError.is(new CacheError('PERF_CACHE_TEST', 'x'))).toBe(true);
    expect(CacheError.is(new Error('x'))).toBe(false);
    expect(CacheError.is(null)).toBe(false);
  });
});
