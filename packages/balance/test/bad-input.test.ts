import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BalanceError, HashRing, Maglev } from '../src/index.js';
import { pickId, strategies } from './support/strategies.js';

const RUNS = Number(process.env.PERF_FUZZ_RUNS ?? 40);

/** Anything a careless caller might pass. */
const junk = fc.oneof(
  fc.anything(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -1, 0, 1e12, '', ' ', '\u0000', [], {}),
  fc.string(),
  fc.uint8Array({ maxLength: 8 }),
);

const calls: [
  string,
  (b: ReturnType<(typeof strategies)[number]['create']>, x: unknown) => unknown,
][] = [
  ['pick', (b, x) => b.pick(x as never)],
  ['add', (b, x) => b.add(x as never)],
  ['add spec', (b, x) => b.add({ id: 'z', weight: x } as never)],
  ['remove', (b, x) => b.remove(x as never)],
  ['setWeight', (b, x) => b.setWeight('a', x as never)],
  ['markDown', (b, x) => b.markDown(x as never)],
  ['markUp', (b, x) => b.markUp(x as never)],
  ['report', (b, x) => b.report(x as never, x as never)],
];

/** What bad input may do: throw a programmer's error or a coded operational one, or be ignored. */
function acceptable(e: unknown): boolean {
  return e instanceof TypeError || e instanceof RangeError || BalanceError.is(e);
}

describe.each(strategies)('$name under fuzzed bad input', (strategy) => {
  it('throws only TypeError, RangeError or coded errors, and keeps working', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...calls), junk), { maxLength: 30 }),
        (script) => {
          const b = strategy.create(['a', 'b', 'c']);
          for (const [[, call], x] of script) {
            try {
              call(b, x);
            } catch (e) {
              expect(acceptable(e), String(e)).toBe(true);
            }
          }
          // Whatever happened, the balancer still answers consistently from what it holds.
          for (const id of ['a', 'b', 'c']) b.markUp(id);
          if (b.size > 0 && b.nodes().some((n) => n.weight > 0)) {
            for (let i = 0; i < 20; i++) {
              expect(b.has(pickId(b, i))).toBe(true);
            }
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('a change the strategy cannot hold', () => {
  it('leaves Maglev exactly as it was when its table is full', () => {
    const b = new Maglev(['a', 'b', 'c', 'd'], { tableSize: 5 });
    const before = Array.from({ length: 100 }, (_, i) => b.pick(`k${i}`));
    expect(() => b.add('e')).toThrow(RangeError);
    expect(b.has('e')).toBe(false);
    expect(Array.from({ length: 100 }, (_, i) => b.pick(`k${i}`))).toEqual(before);
  });

  it('leaves a ring as it was when a weight would need too many points', () => {
    const b = new HashRing(['a', 'b'], { vnodes: 1000 });
    const before = Array.from({ length: 100 }, (_, i) => b.pick(`k${i}`));
    expect(() => b.setWeight('a', 1e6)).toThrow(RangeError);
    expect(b.nodes()[0]!.weight).toBe(1);
    expect(Array.from({ length: 100 }, (_, i) => b.pick(`k${i}`))).toEqual(before);
  });
});
