import { describe, expect, it } from 'vitest';
import { NetError } from '../src/index.js';

describe('NetError', () => {
  it('carries a stable code, its class name and a cause', () => {
    const cause = new Error('inner');
    const e = new NetError('PERF_NET_TEST', 'boom', { cause });
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('PERF_NET_TEST');
    expect(e.name).toBe('NetError');
    expect(e.cause).toBe(cause);
  });

  it('is recognised by brand, not only by instanceof', () => {
    expect(NetError.is(new NetError('PERF_NET_TEST', 'x'))).toBe(true);
    expect(NetError.is(new Error('x'))).toBe(false);
    expect(NetError.is(null)).toBe(false);
  });
});
