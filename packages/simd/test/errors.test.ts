import { describe, expect, it } from 'vitest';
import { SimdError } from '../src/index.js';

describe('SimdError', () => {
  it('carries a stable code, its class name and a cause', () => {
    const cause = new Error('inner');
    const e = new SimdError('PERF_SIMD_TEST', 'boom', { cause });
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('PERF_SIMD_TEST');
    expect(e.name).toBe('SimdError');
    expect(e.cause).toBe(cause);
  });

  it('is recognised by brand, not only by instanceof', () => {
    expect(SimdError.is(new SimdError('PERF_SIMD_TEST', 'x'))).toBe(true);
    expect(SimdError.is(new Error('x'))).toBe(false);
    expect(SimdError.is(null)).toBe(false);
  });
});
