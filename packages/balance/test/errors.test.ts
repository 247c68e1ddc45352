import { describe, expect, it } from 'vitest';
import { BalanceError } from '../src/index.js';

describe('BalanceError', () => {
  it('carries a stable code, its class name and a cause', () => {
    const cause = new Error('inner');
    const e = new BalanceError('PERF_BALANCE_TEST', 'boom', { cause });
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('PERF_BALANCE_TEST');
    expect(e.name).toBe('BalanceError');
    expect(e.cause).toBe(cause);
  });

  it('is recognised by brand, not only by instanceof', () => {
    expect(BalanceError.is(new BalanceError('PERF_BALANCE_TEST', 'x'))).toBe(true);
    expect(BalanceError.is(new Error('x'))).toBe(false);
    expect(BalanceError.is(null)).toBe(false);
  });
});
