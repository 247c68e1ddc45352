import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeOf, fakeClock, pickId, strategies, tally } from './support/strategies.js';

const IDS = ['a', 'b', 'c', 'd'];
const health = { consecutiveFailures: 1, baseEjectionTime: 1000, maxEjectionPercent: 100 };

describe.each(strategies)('$name: the panic threshold', ({ create }) => {
  it('balances across all nodes, ejected ones too, once fewer than 50 % are healthy', () => {
    const clock = fakeClock();
    const b = create(IDS, { now: clock.now, health });
    b.report('a', false);
    b.report('b', false); // 2 of 4 healthy: exactly 50 %, not fewer
    expect(b.stats()).toMatchObject({ ejected: 2, panic: false, panics: 0, usable: 2 });
    expect([...tally(b, 2000).keys()].sort()).toEqual(['c', 'd']);
    b.report('c', false); // 1 of 4: panic
    expect(b.stats()).toMatchObject({ ejected: 3, panic: true, panics: 1, usable: 4 });
    expect([...tally(b, 4000).keys()].sort()).toEqual(IDS);
    clock.advance(1000); // the ejections end, and so does the panic
    expect(b.stats()).toMatchObject({ ejected: 0, panic: false, panics: 1, usable: 4 });
  });

  it('never sends traffic to a node marked down, panic or not', () => {
    const b = create(IDS, { now: fakeClock().now, health });
    b.markDown('d');
    b.report('a', false);
    b.report('b', false); // 1 of the 3 eligible healthy
    expect(b.stats()).toMatchObject({ panic: true, down: 1, usable: 3 });
    expect([...tally(b, 3000).keys()].sort()).toEqual(['a', 'b', 'c']);
  });

  it('is off at 0: every node ejected means PERF_BALANCE_UNAVAILABLE', () => {
    const b = create(IDS, { now: fakeClock().now, health: { ...health, panicThreshold: 0 } });
    for (const id of IDS) b.report(id, false);
    expect(b.stats()).toMatchObject({ ejected: 4, panic: false });
    expect(codeOf(() => b.pick('k'))).toBe('PERF_BALANCE_UNAVAILABLE');
  });

  it('agrees with the definition after any sequence of failures, marks and clock steps', () => {
    const op = fc.oneof(
      fc.record({ t: fc.constant('fail' as const), id: fc.constantFrom(...IDS) }),
      fc.record({ t: fc.constant('ok' as const), id: fc.constantFrom(...IDS) }),
      fc.record({ t: fc.constant('down' as const), id: fc.constantFrom(...IDS) }),
      fc.record({ t: fc.constant('up' as const), id: fc.constantFrom(...IDS) }),
      fc.record({
        t: fc.constant('drain' as const),
        id: fc.constantFrom(...IDS),
        w: fc.constantFrom(0, 1),
      }),
      fc.record({ t: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 1500 }) }),
    );
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 40 }),
        fc.constantFrom(0, 25, 50, 75, 100),
        (ops, thr) => {
          const clock = fakeClock();
          const b = create(IDS, { now: clock.now, health: { ...health, panicThreshold: thr } });
          for (const o of ops) {
            if (o.t === 'fail' || o.t === 'ok') b.report(o.id, o.t === 'ok');
            else if (o.t === 'down') b.markDown(o.id);
            else if (o.t === 'up') b.markUp(o.id);
            else if (o.t === 'drain') b.setWeight(o.id, o.w);
            else clock.advance(o.ms);
            const nodes = b.nodes();
            const eligible = nodes.filter((n) => n.weight > 0 && n.state !== 'down');
            const ejected = eligible.filter((n) => n.state === 'ejected').length;
            const panic = ejected > 0 && (eligible.length - ejected) * 100 < thr * eligible.length;
            expect(b.stats().panic).toBe(panic);
            const allowed = new Set(
              eligible.filter((n) => panic || n.state === 'up').map((n) => n.id),
            );
            if (allowed.size === 0) {
              expect(codeOf(() => b.pick('k'))).toMatch(/^PERF_BALANCE_(UNAVAILABLE|EMPTY)$/);
              continue;
            }
            for (let i = 0; i < 20; i++) expect(allowed.has(pickId(b, i))).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
