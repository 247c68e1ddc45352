import { describe, expect, it } from 'vitest';
import { AtomicCounter, BigAtomicCounter } from '../src/index.js';

describe('AtomicCounter', () => {
  it('increments, adds, exchanges and compare-exchanges', () => {
    const c = new AtomicCounter(5);
    expect(c.increment()).toBe(6);
    expect(c.decrement()).toBe(5);
    expect(c.fetchAdd(10)).toBe(5);
    expect(c.load()).toBe(15);
    expect(c.exchange(1)).toBe(15);
    expect(c.compareExchange(2, 9)).toEqual({ ok: false, value: 1 });
    expect(c.compareExchange(1, 9)).toEqual({ ok: true, value: 1 });
    c.store(-4);
    expect(c.load()).toBe(-4);
  });

  it('wraps at 2^31 like an AtomicI32', () => {
    const c = new AtomicCounter(2 ** 31 - 1);
    expect(c.increment()).toBe(-(2 ** 31));
  });

  it('shares its value with every handle attached to the buffer', () => {
    const sab = new SharedArrayBuffer(8);
    const a = AtomicCounter.from(sab, 4);
    a.fetchAdd(3);
    expect(AtomicCounter.from(sab, 4).load()).toBe(3);
    expect(AtomicCounter.from(sab, 0).load()).toBe(0);
  });
});

describe('BigAtomicCounter', () => {
  it('counts beyond 2^53 and wraps at 2^63', () => {
    const c = new BigAtomicCounter(2n ** 62n);
    expect(c.fetchAdd(2n ** 62n - 1n)).toBe(2n ** 62n);
    expect(c.load()).toBe(2n ** 63n - 1n);
    expect(c.increment()).toBe(-(2n ** 63n));
    expect(c.decrement()).toBe(2n ** 63n - 1n);
    expect(c.compareExchange(0n, 1n)).toEqual({ ok: false, value: 2n ** 63n - 1n });
    expect(c.compareExchange(2n ** 63n - 1n, 1n)).toEqual({ ok: true, value: 2n ** 63n - 1n });
    expect(c.exchange(7n)).toBe(1n);
  });
});
