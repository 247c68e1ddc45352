import { describe, expect, it } from 'vitest';
import { policies, simulate } from '../bench/simulate.js';

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
