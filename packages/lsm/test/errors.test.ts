import { describe, expect, it } from 'vitest';
import { LsmError } from '../src/index.js';

describe('LsmError', () => {
  it('carries a stable code, its class name and a cause', () => {
    const cause = new Error('inner');
    const e = new LsmError('PERF_LSM_TEST', 'boom', { cause });
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('PERF_LSM_TEST');
    expect(e.name).toBe('LsmError');
    expect(e.cause).toBe(cause);
  });

  it('is recognised by brand, not only by instanceof', () => {
    expect(LsmError.is(new LsmError('PERF_LSM_TEST', 'x'))).toBe(true);
    expect(LsmError.is(new Error('x'))).toBe(false);
    expect(LsmError.is(null)).toBe(false);
  });
});
