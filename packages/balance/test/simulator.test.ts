import { describe, expect, it } from 'vitest';
import { policies, requestPolicies, simulate } from './support/simulator.js';

// Simulated time, seeded traffic: the percentiles are exact functions of the code, not timings.
describe('tail latency in the simulator (one backend 5× slower, then another)', () => {
  const results = new Map(policies.map((p) => [p.name, simulate(p, { requests: 40_000 })]));
  const p99 = (name: string) => results.get(name)!.p99;

  it("round robin's p99 explodes: the slow backend's queue grows without bound", () => {
    expect(p99('RoundRobin')).toBeGreaterThan(50 * p99('LeastConnections (full scan)'));
  });

  it('power of two choices stays within 20% of a full least-connections scan', () => {
    expect(p99('PowerOfTwoChoices')).toBeLessThanOrEqual(1.2 * p99('LeastConnections (full scan)'));
  });

  it('Peak EWMA is no worse than least connections', () => {
    expect(p99('PeakEwma')).toBeLessThanOrEqual(p99('LeastConnections (full scan)'));
  });

  it('replays exactly: the same seed gives the same percentiles', () => {
    const p = policies[2]!;
    expect(simulate(p, { requests: 5000, seed: 9 })).toEqual(
      simulate(p, { requests: 5000, seed: 9 }),
    );
  });
});

describe('slow start and the panic threshold in the simulator', () => {
  const byName = (name: string) => requestPolicies.find((p) => p.name === name)!;
  const noPanic = { panicThreshold: 0 };
  // A backend joins 10× slower than the others, warming up over 5 s of simulated time.
  const cold = { slowdown: 1, shift: false, requests: 40_000 };
  const coldJoin = { at: 0.3, factor: 10, warmupMs: 5000 };

  it('a cold joiner wrecks round robin’s tail unless it ramps in', () => {
    for (const name of ['RoundRobin', 'WeightedRoundRobin']) {
      const plain = simulate(byName(name), { ...cold, coldJoin, options: { health: noPanic } });
      const ramped = simulate(byName(name), {
        ...cold,
        coldJoin,
        options: { slowStart: { window: 10_000 }, health: noPanic },
      });
      expect(ramped.p99 * 10).toBeLessThan(plain.p99);
    }
  });

  it('slow start does not worsen the load-aware policies’ tail', () => {
    for (const name of ['LeastConnections (full scan)', 'PowerOfTwoChoices', 'PeakEwma']) {
      const plain = simulate(byName(name), { ...cold, coldJoin, options: { health: noPanic } });
      const ramped = simulate(byName(name), {
        ...cold,
        coldJoin,
        options: { slowStart: { window: 10_000 }, health: noPanic },
      });
      expect(ramped.p999).toBeLessThanOrEqual(plain.p999 * 1.05);
    }
  });

  it('when most backends slow down, panic keeps serving where ejection alone refuses', () => {
    const health = { consecutiveFailures: 5, baseEjectionTime: 1000, maxEjectionPercent: 100 };
    const scenario = {
      slowdown: 1,
      shift: false,
      requests: 40_000,
      utilisation: 0.5,
      timeoutMs: 100,
      slowDown: { at: 0.3, nodes: 6, factor: 5 },
    };
    const p = byName('LeastConnections (full scan)');
    const off = simulate(p, { ...scenario, options: { health: { ...health, panicThreshold: 0 } } });
    const on = simulate(p, { ...scenario, options: { health } });
    expect(off.panics).toBe(0);
    expect(off.rejected).toBeGreaterThan(0);
    expect(on.panics).toBeGreaterThan(0);
    expect(on.rejected).toBe(0);
  });
});
