import { describe, expect, it } from 'vitest';
import {
  type Handle,
  LeastConnections,
  PeakEwma,
  PowerOfTwoChoices,
  type RequestOptions,
  RoundRobin,
  WeightedRoundRobin,
} from '../src/index.js';
import { fakeClock, prng } from './support/strategies.js';

const WINDOW = 60_000;

/** Envoy's slow-start multiplier, written out independently of the implementation. */
function envoy(elapsed: number, window: number, aggression = 1, minWeightPercent = 10): number {
  if (elapsed >= window) return 1;
  const time = Math.max(elapsed, 1000) / window;
  return Math.min(1, Math.max(minWeightPercent / 100, time ** (1 / aggression)));
}

interface Ramped {
  name: string;
  create(ids: string[], options: RequestOptions): RoundRobin | WeightedRoundRobin | Stateful;
  /** Picks released at once (false: held, so the share is of requests in flight). */
  released: boolean;
  /** Allowed absolute error of the new node's share. */
  tolerance: number;
}
type Stateful = LeastConnections | PowerOfTwoChoices | PeakEwma;

const ramped: Ramped[] = [
  { name: 'RoundRobin', create: (n, o) => new RoundRobin(n, o), released: true, tolerance: 0.002 },
  {
    name: 'WeightedRoundRobin',
    create: (n, o) => new WeightedRoundRobin(n, o),
    released: true,
    tolerance: 0.002,
  },
  // With every pick released at once, least connections sees only ties; slow start shows in
  // the requests each node holds at a time.
  {
    name: 'LeastConnections',
    create: (n, o) => new LeastConnections(n, o),
    released: false,
    tolerance: 0.01,
  },
  {
    name: 'PowerOfTwoChoices',
    create: (n, o) => new PowerOfTwoChoices(n, { ...o, random: prng(3) }),
    released: true,
    tolerance: 0.02,
  },
  {
    name: 'PeakEwma',
    create: (n, o) => new PeakEwma(n, { ...o, random: prng(4) }),
    released: true,
    tolerance: 0.02,
  },
];

/** Share of `picks` picks that go to `id`. */
function share(b: ReturnType<Ramped['create']>, id: string, picks: number, released: boolean) {
  const held: Handle[] = [];
  let hits = 0;
  for (let i = 0; i < picks; i++) {
    const r = b.pick();
    const node = typeof r === 'string' ? r : r.node;
    if (node === id) hits++;
    if (typeof r !== 'string') {
      if (released) r.release();
      else held.push(r);
    }
  }
  for (const h of held) h.release();
  return hits / picks;
}

describe('slow start ramps the effective weight as Envoy does', () => {
  it('follows weight × max(min, timeFactor^(1/aggression)) from the moment a node joins', () => {
    const clock = fakeClock();
    const options = { aggression: 2, minWeightPercent: 25 };
    const b = new RoundRobin(['a', 'b'], {
      now: clock.now,
      slowStart: { window: WINDOW, ...options },
    });
    b.add({ id: 'c', weight: 3 });
    let elapsed = 0;
    for (const step of [0, 500, 500, 5000, 24_000, 29_999, 1, 10_000]) {
      clock.advance(step);
      elapsed += step;
      const c = b.nodes().find((n) => n.id === 'c')!;
      expect(c.effectiveWeight).toBeCloseTo(3 * envoy(elapsed, WINDOW, 2, 25), 12);
      b.pick();
    }
    expect(b.stats().warming).toBe(0);
  });

  it('leaves the nodes given to the constructor warm', () => {
    const b = new WeightedRoundRobin([{ id: 'a', weight: 2 }, 'b'], {
      now: fakeClock().now,
      slowStart: { window: WINDOW },
    });
    expect(b.nodes().map((n) => n.effectiveWeight)).toEqual([2, 1]);
    expect(b.stats().warming).toBe(0);
  });

  it('ramps a node that returns from ejection or from markDown, from the time it returns', () => {
    const clock = fakeClock();
    const b = new RoundRobin(['a', 'b', 'c'], {
      now: clock.now,
      slowStart: { window: WINDOW },
      health: { consecutiveFailures: 1, baseEjectionTime: 1000, maxEjectionPercent: 50 },
    });
    b.report('a', false);
    expect(b.nodes()[0]!.state).toBe('ejected');
    clock.advance(4000); // back at +1000: the ramp started 3000 ms ago
    expect(b.nodes()[0]!.effectiveWeight).toBeCloseTo(envoy(3000, WINDOW), 12);
    b.markDown('b');
    clock.advance(100);
    b.markUp('b');
    clock.advance(2000);
    expect(b.nodes()[1]!.effectiveWeight).toBeCloseTo(envoy(2000, WINDOW), 12);
    expect(b.stats().warming).toBe(2);
  });

  it('checks its options', () => {
    for (const slowStart of [
      { window: 0 },
      { window: -1 },
      { window: 10, aggression: 0 },
      { window: 10, minWeightPercent: 101 },
    ]) {
      expect(() => new RoundRobin(['a'], { slowStart })).toThrow(RangeError);
    }
    expect(() => new RoundRobin(['a'], { slowStart: 5 as never })).toThrow(TypeError);
    expect(() => new RoundRobin(['a'], { slowStart: { window: 'x' as never } })).toThrow(TypeError);
  });

  describe.each(ramped)('$name sends a joining node its ramped share', (r) => {
    it('in proportion to its effective weight through the window, and a full share after', () => {
      const clock = fakeClock();
      const ids = ['a', 'b', 'c', 'd'];
      const b = r.create(ids, { now: clock.now, slowStart: { window: WINDOW } });
      b.add('new');
      let elapsed = 0;
      for (const step of [0, 6000, 18_000, 30_000, 6000]) {
        clock.advance(step);
        elapsed += step;
        const f = envoy(elapsed, WINDOW);
        const expected = f / (ids.length + f);
        expect(Math.abs(share(b, 'new', 10_000, r.released) - expected)).toBeLessThanOrEqual(
          r.tolerance,
        );
      }
      expect(b.stats().warming).toBe(0);
    });

    it('changes nothing without slowStart', () => {
      const b = r.create(['a', 'b', 'c', 'd'], { now: fakeClock().now });
      b.add('new');
      expect(b.stats().warming).toBe(0);
      expect(Math.abs(share(b, 'new', 10_000, r.released) - 0.2)).toBeLessThanOrEqual(r.tolerance);
    });
  });
});
