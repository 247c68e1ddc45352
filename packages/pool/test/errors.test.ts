import { describe, expect, it } from 'vitest';
import {
  PoolDoubleReleaseError,
  PoolError,
  PoolExhaustedError,
  PoolForeignObjectError,
} from '../src/index.js';

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
      expect(e).toMatchObject({ code, name, ...data });
    }
    const cause = new Error('x');
    expect(new PoolExhaustedError(1, 1, { cause }).cause).toBe(cause);
  });
});
