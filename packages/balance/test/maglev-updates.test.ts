import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Maglev } from '../src/index.js';

const RUNS = Number(process.env.PERF_FUZZ_RUNS ?? 40);
const IDS = Array.from({ length: 10 }, (_, i) => `node-${i}`);
const keys = Array.from({ length: 2000 }, (_, i) => `k${i}`);

type Op = { t: 'add' | 'remove'; id: string } | { t: 'weight'; id: string; w: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constantFrom('add' as const, 'remove' as const), id: fc.constantFrom(...IDS) }),
  fc.record({
    t: fc.constant('weight' as const),
    id: fc.constantFrom(...IDS),
    w: fc.constantFrom(0, 1, 2, 3),
  }),
);

/** Applies `ops` to `m` and to a model of the set; returns the model (id → weight). */
function apply(m: Maglev, start: string[], ops: Op[]): Map<string, number> {
  const weights = new Map(start.map((id) => [id, 1]));
  for (const o of ops) {
    if (o.t === 'add' && !weights.has(o.id)) {
      m.add(o.id);
      weights.set(o.id, 1);
    } else if (o.t === 'remove' && weights.has(o.id)) {
      m.remove(o.id);
      weights.delete(o.id);
    } else if (o.t === 'weight' && weights.has(o.id)) {
      m.setWeight(o.id, o.w);
      weights.set(o.id, o.w);
    }
  }
  return weights;
}

// A table reached by any sequence of changes must be exactly the table a fresh build of the
// final set gives: placement may depend only on the set, never on its history. Every update
// is a full rebuild today; this is the oracle an incremental update would have to pass.
describe('Maglev after any sequence of changes equals a fresh build', () => {
  it.each([4099, 65_537])('table size %i', (tableSize) => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 20 }), (ops) => {
        const m = new Maglev(IDS.slice(0, 4), { tableSize });
        const weights = apply(m, IDS.slice(0, 4), ops);
        const fresh = new Maglev(
          [...weights].map(([id, weight]) => ({ id, weight })),
          { tableSize },
        );
        expect(m.shares()).toEqual(fresh.shares());
        if ([...weights.values()].some((w) => w > 0)) {
          for (const k of keys) expect(m.pick(k)).toBe(fresh.pick(k));
        }
      }),
      { numRuns: tableSize > 10_000 ? Math.ceil(RUNS / 4) : RUNS },
    );
  });
});
