import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fakeClock, pickId, strategies } from './support/strategies.js';

const RUNS = Number(process.env.PERF_FUZZ_RUNS ?? 60);
const IDS = ['a', 'b', 'c', 'd', 'e'];
const THRESHOLD = 3;
const BASE = 100;
const MAX = 350;
const PERCENT = 40; // at most 2 of 5 ejected at once

/** Envoy's consecutive-failure outlier detection, written plainly: the oracle. */
class Model {
  failures = new Map(IDS.map((id) => [id, 0]));
  until = new Map(IDS.map((id) => [id, 0]));
  ejections = new Map(IDS.map((id) => [id, 0]));
  returnedAt = new Map(IDS.map((id) => [id, Number.NEGATIVE_INFINITY]));

  expire(t: number): void {
    for (const id of IDS) {
      const u = this.until.get(id)!;
      if (u !== 0 && u <= t) {
        this.until.set(id, 0);
        this.returnedAt.set(id, u);
      }
    }
  }

  ejected(id: string, t: number): boolean {
    const u = this.until.get(id)!;
    return u !== 0 && u > t;
  }

  report(id: string, ok: boolean, t: number): void {
    if (ok) return void this.failures.set(id, 0);
    const f = this.failures.get(id)! + 1;
    this.failures.set(id, f);
    if (f < THRESHOLD) return;
    this.expire(t);
    if (this.until.get(id) !== 0) return;
    const ejected = IDS.filter((x) => this.until.get(x) !== 0).length;
    if (ejected >= Math.max(1, Math.floor((IDS.length * PERCENT) / 100))) return;
    if (t - this.returnedAt.get(id)! >= BASE) this.ejections.set(id, 0);
    const n = this.ejections.get(id)! + 1;
    this.ejections.set(id, n);
    this.until.set(id, t + Math.min(BASE * n, MAX));
    this.failures.set(id, 0);
  }
}

type Op = { t: 'report'; id: string; ok: boolean } | { t: 'advance'; ms: number } | { t: 'pick' };

const ops = fc.array(
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        t: fc.constant('report' as const),
        id: fc.constantFrom(...IDS),
        ok: fc.boolean(),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        t: fc.constant('advance' as const),
        ms: fc.integer({ min: 1, max: 150 }),
      }),
    },
    { weight: 3, arbitrary: fc.record({ t: fc.constant('pick' as const) }) },
  ) as fc.Arbitrary<Op>,
  { maxLength: 150 },
);

describe.each(strategies)('$name with outlier ejection', (strategy) => {
  it('never picks an ejected node before its back-off expires, and agrees with the model', () => {
    fc.assert(
      fc.property(ops, (script) => {
        const clock = fakeClock();
        const b = strategy.create(IDS, {
          now: clock.now,
          health: {
            consecutiveFailures: THRESHOLD,
            baseEjectionTime: BASE,
            maxEjectionTime: MAX,
            maxEjectionPercent: PERCENT,
          },
        });
        const model = new Model();
        let i = 0;
        for (const op of script) {
          const t = clock.now();
          if (op.t === 'report') {
            b.report(op.id, op.ok);
            model.report(op.id, op.ok, t);
          } else if (op.t === 'advance') clock.advance(op.ms);
          else {
            for (let k = 0; k < 5; k++) {
              const id = pickId(b, i++);
              expect(model.ejected(id, t)).toBe(false);
              // A stateful strategy's handle was released as a success: that resets the run.
              if (strategy.stateful) model.report(id, true, t);
            }
          }
          const states = b.nodes();
          for (const n of states) {
            expect(n.state).toBe(model.ejected(n.id, clock.now()) ? 'ejected' : 'up');
            if (n.state === 'ejected') expect(n.ejectedUntil).toBe(model.until.get(n.id));
          }
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('ejection back-off', () => {
  it('grows linearly while a node keeps failing on return, caps, and resets after a quiet period', () => {
    const clock = fakeClock();
    const b = strategies[0]!.create(IDS, {
      now: clock.now,
      health: { consecutiveFailures: 1, baseEjectionTime: BASE, maxEjectionTime: MAX },
    });
    const durations: number[] = [];
    for (let k = 0; k < 5; k++) {
      const start = clock.now();
      b.report('a', false);
      const until = b.nodes()[0]!.ejectedUntil;
      durations.push(until - start);
      clock.advance(until - start);
    }
    expect(durations).toEqual([100, 200, 300, 350, 350]);
    clock.advance(BASE);
    b.report('a', false);
    expect(b.nodes()[0]!.ejectedUntil - clock.now()).toBe(100);
  });
});
