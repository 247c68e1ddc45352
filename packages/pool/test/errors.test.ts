import { isPerfError } from '@perf/internal';
import { describe, expect, it } from 'vitest';
import {
  PoolDoubleReleaseError,
  PoolError,
  PoolExhaustedError,
  PoolForeignObjectError,
} from '../src/index.js';

// The base (code, name, cause, brand) is tested once, in @perf/internal; here only this
// package's own codes and fields.
describe('@perf/pool errors', () => {
  it('every operational error has its code, name and data fields', () => {
    const cases: [PoolError, string, string, Record<string, unknown>][] = [
      [
        new PoolExhaustedError(8, 1),
        'PERF_POOL_EXHAUSTED',
        'PoolExhaustedError',
        { limit: 8, requested: 1 },
      ],
      [
        new PoolDoubleReleaseError(3),
        'PERF_POOL_DOUBLE_RELEASE',
        'PoolDoubleReleaseError',
        { handle: 3 },
      ],
      [
        new PoolDoubleReleaseError(),
        'PERF_POOL_DOUBLE_RELEASE',
        'PoolDoubleReleaseError',
        { handle: -1 },
      ],
      [new PoolForeignObjectError(), 'PERF_POOL_FOREIGN_OBJECT', 'PoolForeignObjectError', {}],
    ];
    for (const [e, code, name, data] of cases) {
      expect(e).toBeInstanceOf(PoolError);
      expect(PoolError.is(e)).toBe(true);
      expect(isPerfError(e, code)).toBe(true);
      expect(isPerfError(e, 'PERF_POOL_*')).toBe(true);
      expect(e).toMatchObject({ code, name, ...data });
    }
    const cause = new Error('x');
    expect(new PoolExhaustedError(1, 1, { cause }).cause).toBe(cause);
  });

  it('PoolError.is accepts only @perf/pool errors', () => {
    expect(PoolError.is(new Error('x'))).toBe(false);
    expect(PoolError.is(null)).toBe(false);
    expect(PoolError.is({ code: 'PERF_POOL_EXHAUSTED' })).toBe(false);
  });
});
