import { isPerfError } from '@perf/internal';
import { describe, expect, it } from 'vitest';
import { SimdError, SimdOutOfMemoryError, SimdUnsupportedError } from '../src/index.js';

// The base (code, name, cause, brand) is tested once, in @perf/internal; here only this
// package's own codes and fields.
describe('@perf/simd errors', () => {
  it('every subclass: code, name, data in fields', () => {
    const cause = new RangeError('grow');
    const oom = new SimdOutOfMemoryError(100, 64, { cause });
    expect(oom).toMatchObject({
      code: 'PERF_SIMD_OUT_OF_MEMORY',
      name: 'SimdOutOfMemoryError',
      requestedBytes: 100,
      memoryBytes: 64,
      cause,
    });
    const un = new SimdUnsupportedError();
    expect(un).toMatchObject({ code: 'PERF_SIMD_UNSUPPORTED', name: 'SimdUnsupportedError' });
    for (const e of [oom, un]) {
      expect(e).toBeInstanceOf(SimdError);
      expect(SimdError.is(e)).toBe(true);
      expect(isPerfError(e, e.code)).toBe(true);
      expect(isPerfError(e, 'PERF_SIMD_*')).toBe(true);
    }
  });

  it('SimdError.is accepts only @perf/simd errors', () => {
    expect(SimdError.is(new Error('x'))).toBe(false);
    expect(SimdError.is(null)).toBe(false);
    expect(SimdError.is({ code: 'PERF_SIMD_UNSUPPORTED' })).toBe(false);
  });
});
