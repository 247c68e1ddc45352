import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BoundedLoad,
  type Handle,
  LeastConnections,
  PeakEwma,
  PowerOfTwoChoices,
  type StatefulBalancer,
} from '../src/index.js';
import { prng } from './support/strategies.js';

const RUNS = Number(process.env.PERF_FUZZ_RUNS ?? 150);
const IDS = ['a', 'b', 'c', 'd', 'e', 'f'];

type Op =
  | { t: 'pick'; key: number }
  | { t: 'release'; at: number; ok: boolean }
  | { t: 'add' | 'remove' | 'down' | 'up'; id: string }
  | { t: 'weight'; id: string; weight: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant('pick' as const), key: fc.nat(1000) }) },
  {
    weight: 5,
    arbitrary: fc.record({ t: fc.constant('release' as const), at: fc.nat(), ok: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constantFrom('add' as const, 'remove' as const, 'down' as const, 'up' as const),
      id: fc.constantFrom(...IDS),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('weight' as const),
      id: fc.constantFrom(...IDS),
      weight: fc.constantFrom(0, 0.5, 1, 3),
    }),
  },
);

const factories: [string, (ids: string[]) => StatefulBalancer][] = [
  ['LeastConnections', (ids) => new LeastConnections(ids)],
  ['PowerOfTwoChoices', (ids) => new PowerOfTwoChoices(ids, { random: prng(3) })],
  ['PeakEwma', (ids) => new PeakEwma(ids, { random: prng(4), now: () => 0 })],
  ['BoundedLoad', (ids) => new BoundedLoad(ids, { vnodes: 20, epsilon: 0.5 })],
];

describe.each(factories)('%s handles', (_name, create) => {
  it('keep in-flight counts equal to unreleased handles, and at zero once all are released', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        const b = create(IDS.slice(0, 3));
        // The oracle: per live node, its incarnation and the handles taken on it.
        const incarnation = new Map<string, object>(IDS.slice(0, 3).map((id) => [id, {}]));
        const open: { h: Handle; of: object }[] = [];
        const count = (id: string) => open.filter((o) => o.of === incarnation.get(id)).length;
        for (const o of ops) {
          if (o.t === 'pick') {
            let h: Handle;
            try {
              h = b.pick(`key-${o.key}`);
            } catch (e) {
              expect((e as { code?: string }).code).toMatch(/^PERF_BALANCE_(EMPTY|UNAVAILABLE)$/);
              continue;
            }
            expect(incarnation.has(h.node)).toBe(true);
            open.push({ h, of: incarnation.get(h.node)! });
          } else if (o.t === 'release') {
            if (open.length === 0) continue;
            const [taken] = open.splice(o.at % open.length, 1);
            expect(taken!.h.release({ ok: o.ok, latency: 1 })).toBe(true);
            expect(taken!.h.release()).toBe(false);
          } else if (o.t === 'add') {
            if (incarnation.has(o.id)) continue;
            b.add(o.id);
            incarnation.set(o.id, {});
          } else if (o.t === 'remove') {
            expect(b.remove(o.id)).toBe(incarnation.delete(o.id));
          } else if (o.t === 'weight') {
            expect(b.setWeight(o.id, o.weight)).toBe(incarnation.has(o.id));
          } else {
            const known = o.t === 'down' ? b.markDown(o.id) : b.markUp(o.id);
            expect(known).toBe(incarnation.has(o.id));
          }
          for (const id of incarnation.keys()) expect(b.inFlight(id)).toBe(count(id));
        }
        for (const o of open) expect(o.h.release()).toBe(true);
        for (const id of incarnation.keys()) expect(b.inFlight(id)).toBe(0);
        if (b instanceof BoundedLoad) expect(b.load).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('LeastConnections', () => {
  it('always picks a node with the least in-flight requests per unit of weight', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.tuple(fc.boolean(), fc.nat()), { maxLength: 200 }),
        (weights, steps) => {
          const nodes = weights.map((weight, i) => ({ id: `n${i}`, weight }));
          const b = new LeastConnections(nodes);
          const open: Handle[] = [];
          for (const [pick, at] of steps) {
            if (pick || open.length === 0) {
              const least = Math.min(...nodes.map((n) => b.inFlight(n.id) / n.weight));
              const h = b.pick();
              const chosen = nodes.find((n) => n.id === h.node)!;
              expect(b.inFlight(chosen.id) - 1).toBe(least * chosen.weight);
              open.push(h);
            } else open.splice(at % open.length, 1)[0]!.release();
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('rotates over idle nodes instead of always taking the first', () => {
    const b = new LeastConnections(['a', 'b', 'c']);
    const seen = Array.from({ length: 6 }, () => {
      const h = b.pick();
      h.release();
      return h.node;
    });
    expect(seen.join('')).toBe('abcabc');
  });
});

describe('BoundedLoad', () => {
  it('never places a request above ⌈(1 + ε) · m · w / W⌉ on a node', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0, 0.1, 0.25, 1),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.tuple(fc.nat(50), fc.boolean(), fc.nat()), { maxLength: 300 }),
        (epsilon, weights, steps) => {
          const nodes = weights.map((weight, i) => ({ id: `n${i}`, weight }));
          const W = weights.reduce((a, b) => a + b, 0);
          const b = new BoundedLoad(nodes, { epsilon, vnodes: 10 });
          const open: Handle[] = [];
          for (const [key, pick, at] of steps) {
            if (pick || open.length === 0) {
              const h = b.pick(`k${key}`);
              open.push(h);
              const w = nodes.find((n) => n.id === h.node)!.weight;
              expect(b.inFlight(h.node)).toBeLessThanOrEqual(
                Math.ceil(((1 + epsilon) * open.length * w) / W),
              );
            } else open.splice(at % open.length, 1)[0]!.release();
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('keeps a key on its home node while the node is below capacity', () => {
    const b = new BoundedLoad(['a', 'b', 'c', 'd'], { epsilon: 0.25 });
    const home = b.peek('user:1');
    const h = b.pick('user:1');
    expect(h.node).toBe(home);
    h.release();
    expect(b.load).toBe(0);
  });
});
