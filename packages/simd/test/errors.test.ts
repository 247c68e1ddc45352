import { describe, expect, it } from 'vitest';
import { SimdError, SimdOutOfMemoryError, SimdUnsupportedError } from '../src/index.js';

describe('errors', () => {
  it('SimdError carries a stable code, its class name and a cause', () => {
    const cause = new Error('inner');
    const e = new SimdError('PERF_SIMD_TEST', 'boom', { cause });
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('PERF_SIMD_TEST');
    expect(e.name).toBe('SimdError');
    expect(e.cause).toBe(cause);
  });

  it('is recognised by brand, not only by instanceof', () => {
    expect(SimdError.is(new SimdError('PERF_SIMD_TEST', 'x'))).toBe(true);
    expect(SimdError.is(new SimdOutOfMemoryError(8, 4))).toBe(true);
    expect(SimdError.is(new Error('x'))).toBe(false);
    expect(SimdError.is(null)).toBe(false);
  });

  it('every subclass: code, name, data in fields', () => {
    const oom = new SimdOutOfMemoryError(100, 64, { cause: new RangeError('grow') });
    expect([oom.code, oom.name, oom.requestedBytes, oom.memoryBytes]).toEqual([
      'PERF_SIMD_OUT_OF_MEMORY',
      'SimdOutOfMemoryError',
      100,
      64,
    ]);
    expect(oom).toBeInstanceOf(SimdError);
    const un = new SimdUnsupportedError();
    expect([un.code, un.name]).toEqual(['PERF_SIMD_UNSUPPORTED', 'SimdUnsupportedError']);
  });
});
