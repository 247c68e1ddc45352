import { describe, expect, it } from 'vitest';
import { type Handle, PeakEwma, PowerOfTwoChoices } from '../src/index.js';
import { fakeClock, prng } from './support/strategies.js';

describe('PeakEwma', () => {
  it('takes a latency peak at once and decays it with the time constant', () => {
    const clock = fakeClock();
    const b = new PeakEwma(['a'], { now: clock.now, decayTime: 1000 });
    b.pick().release({ latency: 10 });
    expect(b.cost('a')).toBe(10);
    b.pick().release({ latency: 200 });
    expect(b.cost('a')).toBe(200);
    clock.advance(1000);
    expect(b.cost('a')).toBeCloseTo(200 / Math.E, 6);
    // A lower observation blends in with weight 1 − e^(−Δt/τ).
    b.pick().release({ latency: 10 });
    const decayed = 200 / Math.E;
    expect(b.cost('a')).toBeCloseTo(decayed + (10 - decayed) * (1 - 1 / Math.E), 6);
  });

  it('measures latency on its clock when the caller gives none', () => {
    const clock = fakeClock();
    const b = new PeakEwma(['a'], { now: clock.now });
    const h = b.pick();
    clock.advance(42);
    h.release();
    expect(b.cost('a')).toBe(42);
  });

  it('counts a failure as at least failurePenalty', () => {
    const clock = fakeClock();
    const b = new PeakEwma(['a'], { now: clock.now, failurePenalty: 500 });
    b.pick().release({ ok: false, latency: 1 });
    expect(b.cost('a')).toBe(500);
  });

  it('steers traffic away from a slow node within a few requests', () => {
    const clock = fakeClock();
    const b = new PeakEwma(['fast-1', 'fast-2', 'slow'], { now: clock.now, random: prng(5) });
    const picked = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const h = b.pick();
      picked.set(h.node, (picked.get(h.node) ?? 0) + 1);
      h.release({ latency: h.node === 'slow' ? 50 : 5 });
      clock.advance(1);
    }
    expect(picked.get('slow')!).toBeLessThan(300);
  });

  it('rejects a bad decay time, penalty or latency', () => {
    expect(() => new PeakEwma([], { decayTime: 0 })).toThrow(RangeError);
    expect(() => new PeakEwma([], { failurePenalty: -1 })).toThrow(RangeError);
    const b = new PeakEwma(['a'], { now: () => 0 });
    const h = b.pick();
    expect(() => h.release({ latency: -3 })).toThrow(TypeError);
    // The count was still released: a bad outcome cannot leak a request.
    expect(b.inFlight('a')).toBe(0);
    expect(h.release()).toBe(false);
  });
});

describe('PowerOfTwoChoices', () => {
  it('sends the request to the less loaded of the two sampled nodes', () => {
    const b = new PowerOfTwoChoices(['a', 'b'], { random: prng(6) });
    const held: Handle[] = [];
    for (let i = 0; i < 100; i++) held.push(b.pick());
    // With two nodes both are always sampled: the counts can differ by at most one.
    expect(Math.abs(b.inFlight('a') - b.inFlight('b'))).toBeLessThanOrEqual(1);
    for (const h of held) h.release();
  });

  it('respects weights: a node of weight 3 carries about 3× the requests in flight', () => {
    const b = new PowerOfTwoChoices(
      [
        { id: 'a', weight: 1 },
        { id: 'b', weight: 3 },
      ],
      { random: prng(7) },
    );
    for (let i = 0; i < 400; i++) b.pick();
    expect(b.inFlight('b') / b.inFlight('a')).toBeCloseTo(3, 0);
  });
});
