import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Maglev } from '../src/index.js';
import { keyPerEntry, referenceTable } from './support/maglev-reference.js';

const RUNS = Number(process.env.PERF_FUZZ_RUNS ?? 40);
const IDS = Array.from({ length: 12 }, (_, i) => `node-${i}`);
const WEIGHTS = [0, 0.5, 1, 2, 3, 7];

type Op = { t: 'add' | 'remove'; id: string; w: number } | { t: 'weight'; id: string; w: number };

const op: fc.Arbitrary<Op> = fc.record({
  t: fc.constantFrom('add' as const, 'remove' as const, 'weight' as const),
  id: fc.constantFrom(...IDS),
  w: fc.constantFrom(...WEIGHTS),
});

/** Every entry of `m`'s table, read through `pick` with one key per entry. */
function entries(m: Maglev, keys: string[]): string[] {
  return keys.map((k) => m.pick(k));
}

/**
 * A table reached by any sequence of joins, leaves and weight changes must be exactly the table
 * a full build of the final set gives — placement may depend only on the set, never on its
 * history — and exactly the table of the first version's build (test/support/maglev-reference.ts),
 * so that keys do not move across versions. Checked entry by entry after every change.
 */
describe('Maglev after any sequence of changes equals a full build, entry for entry', () => {
  it.each([
    [4099, 0],
    [4099, 7],
    [65_537, 0],
  ])('table size %i, seed %i', (tableSize, seed) => {
    const keys = keyPerEntry(tableSize, seed);
    const big = tableSize > 10_000;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: IDS.length }),
        fc.array(op, { maxLength: big ? 8 : 20 }),
        (start, ops) => {
          const weights = new Map(IDS.slice(0, start).map((id) => [id, 1]));
          const m = new Maglev(IDS.slice(0, start), { tableSize, seed });
          for (const o of ops) {
            if (o.t === 'add' && !weights.has(o.id)) {
              m.add({ id: o.id, weight: o.w });
              weights.set(o.id, o.w);
            } else if (o.t === 'remove') {
              expect(m.remove(o.id)).toBe(weights.delete(o.id));
            } else if (o.t === 'weight' && weights.has(o.id)) {
              m.setWeight(o.id, o.w);
              weights.set(o.id, o.w);
            } else continue;
            if (![...weights.values()].some((w) => w > 0)) {
              expect(m.shares().size).toBe(0);
              continue;
            }
            const want = referenceTable(weights, tableSize, seed);
            expect(entries(m, keys)).toEqual(want);
          }
          if ([...weights.values()].some((w) => w > 0)) {
            const fresh = new Maglev(
              [...weights].map(([id, weight]) => ({ id, weight })),
              { tableSize, seed },
            );
            expect(entries(m, keys)).toEqual(entries(fresh, keys));
            expect(m.shares()).toEqual(fresh.shares());
          }
        },
      ),
      { numRuns: big ? Math.ceil(RUNS / 4) : RUNS },
    );
  });

  it('a join refused because the table is full leaves the order intact for later changes', () => {
    const keys = keyPerEntry(5, 0);
    const m = new Maglev(['d', 'b', 'a', 'c'], { tableSize: 5 });
    expect(() => m.add('e')).toThrow(RangeError);
    m.remove('b');
    m.add('aa');
    const want = referenceTable(
      new Map([
        ['a', 1],
        ['aa', 1],
        ['c', 1],
        ['d', 1],
      ]),
      5,
      0,
    );
    expect(entries(m, keys)).toEqual(want);
  });
});
