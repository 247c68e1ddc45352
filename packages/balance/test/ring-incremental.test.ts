import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HashRing } from '../src/index.js';

const RUNS = Number(process.env.PERF_FUZZ_RUNS ?? 60);
const IDS = Array.from({ length: 12 }, (_, i) => `node-${i}`);
const keys = Array.from({ length: 3000 }, (_, i) => `k${i}`);

type Op = { t: 'add' | 'remove'; id: string } | { t: 'weight'; id: string; w: number };

describe('HashRing incremental changes', () => {
  it('after any sequence of add/remove/setWeight, equal a ring built from scratch', () => {
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({
        t: fc.constantFrom('add' as const, 'remove' as const),
        id: fc.constantFrom(...IDS),
      }),
      fc.record({
        t: fc.constant('weight' as const),
        id: fc.constantFrom(...IDS),
        w: fc.constantFrom(0, 0.5, 1, 2),
      }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
        const ring = new HashRing(IDS.slice(0, 4), { vnodes: 40 });
        const weights = new Map(IDS.slice(0, 4).map((id) => [id, 1]));
        for (const o of ops) {
          if (o.t === 'add' && !weights.has(o.id)) {
            ring.add(o.id);
            weights.set(o.id, 1);
          } else if (o.t === 'remove') {
            ring.remove(o.id);
            weights.delete(o.id);
          } else if (o.t === 'weight' && weights.has(o.id)) {
            ring.setWeight(o.id, o.w);
            weights.set(o.id, o.w);
          }
        }
        const fresh = new HashRing(
          [...weights].map(([id, weight]) => ({ id, weight })),
          { vnodes: 40 },
        );
        expect([...ring.shares()].sort()).toEqual([...fresh.shares()].sort());
        if ([...weights.values()].some((w) => w > 0)) {
          expect(keys.filter((k) => ring.pick(k) !== fresh.pick(k))).toEqual([]);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
