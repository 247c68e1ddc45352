import { isPerfError } from '@perf/internal';
import { describe, expect, it } from 'vitest';
import {
  BalanceError,
  DuplicateNodeError,
  EmptyBalancerError,
  NoAvailableNodeError,
} from '../src/index.js';

// The base (code, name, cause, brand) is tested once, in @perf/internal; here only this
// package's own codes and fields.
describe('@perf/balance errors', () => {
  it.each([
    [new EmptyBalancerError(), 'EmptyBalancerError', 'PERF_BALANCE_EMPTY', {}],
    [
      new NoAvailableNodeError(3, 1, 1, 1),
      'NoAvailableNodeError',
      'PERF_BALANCE_UNAVAILABLE',
      { total: 3, down: 1, ejected: 1, drained: 1 },
    ],
    [new DuplicateNodeError('a'), 'DuplicateNodeError', 'PERF_BALANCE_DUPLICATE_NODE', { id: 'a' }],
  ])('%s has its name, code and fields', (err, name, code, fields) => {
    expect(err).toBeInstanceOf(BalanceError);
    expect(err).toMatchObject({ name, code, ...fields });
    expect(BalanceError.is(err)).toBe(true);
    expect(isPerfError(err, code)).toBe(true);
    expect(isPerfError(err, 'PERF_BALANCE_*')).toBe(true);
  });

  it('BalanceError.is accepts only @perf/balance errors', () => {
    expect(BalanceError.is(new Error('x'))).toBe(false);
    expect(BalanceError.is(null)).toBe(false);
    expect(BalanceError.is({ code: 'PERF_BALANCE_EMPTY' })).toBe(false);
  });
});
