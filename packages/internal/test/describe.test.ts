import { describe as group, expect, it } from 'vitest';
import { describe, expected } from '../src/index.js';

group('describe', () => {
  it('shows a value and its type in the house form', () => {
    expect(describe(0)).toBe('`0` (number)');
    expect(describe(-0)).toBe('`-0` (number)');
    expect(describe(Number.NaN)).toBe('`NaN` (number)');
    expect(describe('a b')).toBe('`"a b"` (string)');
    expect(describe('')).toBe('`""` (string)');
    expect(describe(null)).toBe('`null` (null)');
    expect(describe(undefined)).toBe('`undefined` (undefined)');
    expect(describe(10n)).toBe('`10n` (bigint)');
    expect(describe(Symbol('s'))).toBe('`Symbol(s)` (symbol)');
    expect(describe(function load() {})).toBe('`function load` (function)');
    expect(describe([1, 2, 3])).toBe('`Array(3)` (object)');
    expect(describe(new Map())).toBe('`Map` (object)');
    expect(describe({})).toBe('`Object` (object)');
    expect(describe(Object.create(null))).toBe('`Object` (object)');
    expect(describe('x'.repeat(100))).toBe(`\`"${'x'.repeat(40)}…"\` (string)`);
  });

  it('never throws, even for a hostile proxy', () => {
    const hostile = new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error('no');
        },
      },
    );
    expect(describe(hostile)).toBe('`Object` (object)');
  });

  it('expected() builds the whole message', () => {
    expect(expected('concurrency', 'a number from 1 and up', 0)).toBe(
      'Expected `concurrency` to be a number from 1 and up, got `0` (number)',
    );
  });
});
