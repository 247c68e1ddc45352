// The codes and fields of @perf/cache's own errors (the shared base is tested in @perf/internal).
import { describe, expect, it } from 'vitest';
import {
  CacheClosedError,
  CacheError,
  CacheFlushError,
  CacheLoadError,
  CacheStoreError,
  CacheTimeoutError,
  CacheWriteError,
  isPerfError,
  PerfError,
} from '../src/index.js';

const cause = new Error('inner');
const cases: [CacheError, string, Record<string, unknown>][] = [
  [new CacheLoadError('k', cause), 'PERF_CACHE_LOAD_FAILED', { key: 'k', cause }],
  [new CacheWriteError(['a'], cause), 'PERF_CACHE_WRITE_FAILED', { keys: ['a'], cause }],
  [new CacheFlushError(['a'], 3, cause), 'PERF_CACHE_FLUSH_FAILED', { keys: ['a'], attempts: 3 }],
  [new CacheClosedError(), 'PERF_CACHE_CLOSED', {}],
  [new CacheTimeoutError('load', 50), 'PERF_CACHE_TIMEOUT', { operation: 'load', timeoutMs: 50 }],
  [new CacheStoreError('GET', cause), 'PERF_CACHE_STORE_FAILED', { operation: 'GET', cause }],
];

describe('@perf/cache errors', () => {
  it.each(cases)('%o has its stable code, its class name and its fields', (error, code, fields) => {
    expect(error).toBeInstanceOf(CacheError);
    expect(error).toBeInstanceOf(PerfError);
    expect(error.code).toBe(code);
    expect(error.name).toBe(error.constructor.name);
    expect(error).toMatchObject(fields);
    expect(isPerfError(error, 'PERF_CACHE_*')).toBe(true);
    expect(isPerfError(error, code)).toBe(true);
    expect(CacheError.is(error)).toBe(true);
  });

  it('CacheError.is tells cache errors from others', () => {
    expect(CacheError.is(new Error('x'))).toBe(false);
    expect(CacheError.is(new PerfError('PERF_NET_TIMEOUT', 'x'))).toBe(false);
    expect(CacheError.is(null)).toBe(false);
  });
});
