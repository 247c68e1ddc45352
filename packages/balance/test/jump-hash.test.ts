import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JumpHash, jumpHash } from '../src/index.js';

/** The paper's C++ (Lamping & Veach 2014, figure 1), transcribed with BigInt as the oracle. */
function reference(key: bigint, buckets: number): number {
  let b = -1n;
  let j = 0n;
  while (j < BigInt(buckets)) {
    b = j;
    key = (key * 2862933555777941757n + 1n) & 0xffffffffffffffffn;
    j = BigInt(Math.trunc(Number(b + 1n) * (2147483648 / Number((key >> 33n) + 1n))));
  }
  return Number(b);
}

const split = (key: bigint): [number, number] => [Number(key >> 32n), Number(key & 0xffffffffn)];

describe('jumpHash', () => {
  // Outputs of the paper's reference C++ for buckets 1, 2, 3… (as published with go-jump).
  const published: [bigint, number[]][] = [
    [0n, new Array(20).fill(0)],
    [1n, [0, 0, 0, 0, 0, 0, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 17, 17]],
    [0xdeadbeefn, [0, 1, 2, 3, 3, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 16, 16, 16]],
    [0x0ddc0ffeebadf00dn, [0, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 15, 15, 15, 15]],
  ];

  it.each(published)('matches the reference outputs for key %s', (key, expected) => {
    const [hi, lo] = split(key);
    expect(expected.map((_, i) => jumpHash(hi, lo, i + 1))).toEqual(expected);
  });

  it('matches a BigInt transcription of the paper for any 64-bit key and bucket count', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        fc.integer({ min: 1, max: 1 << 20 }),
        (key, n) => {
          const [hi, lo] = split(key);
          expect(jumpHash(hi, lo, n)).toBe(reference(key, n));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('is monotone: with one more bucket a key stays or moves to the new bucket', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        fc.integer({ min: 1, max: 5000 }),
        (key, n) => {
          const [hi, lo] = split(key);
          const after = jumpHash(hi, lo, n + 1);
          expect(after === jumpHash(hi, lo, n) || after === n).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('JumpHash', () => {
  const ids = Array.from({ length: 10 }, (_, i) => `n${i}`);
  const keys = Array.from({ length: 20_000 }, (_, i) => `k${i}`);

  it("moves only the last node's keys when the last node is removed", () => {
    const b = new JumpHash(ids);
    const before = keys.map((k) => b.pick(k));
    b.remove('n9');
    expect(keys.filter((k, i) => before[i] !== 'n9' && b.pick(k) !== before[i])).toEqual([]);
  });

  it('moves the last node into the bucket of a removed middle node (≈ 2/n of keys move)', () => {
    const b = new JumpHash(ids);
    const before = keys.map((k) => b.pick(k));
    b.remove('n3');
    let moved = 0;
    const wrong = keys.filter((k, i) => {
      const was = before[i];
      const now = b.pick(k);
      if (now !== was) moved++;
      return was === 'n3' ? now !== 'n9' : was !== 'n9' && now !== was;
    });
    expect(wrong).toEqual([]);
    expect(moved / keys.length).toBeLessThan(2.2 / ids.length);
  });

  it("spreads an unavailable bucket's keys over all the others", () => {
    const b = new JumpHash(ids);
    const before = keys.map((k) => b.pick(k));
    b.markDown('n4');
    const moved = new Set<string>();
    const wrong = keys.filter((k, i) => {
      const now = b.pick(k);
      if (before[i] === 'n4') moved.add(now);
      return before[i] !== 'n4' && now !== before[i];
    });
    expect(wrong).toEqual([]);
    expect(moved.size).toBe(9);
  });

  it('accepts weights 0 and 1 only, and a refused weight changes nothing', () => {
    expect(() => new JumpHash([{ id: 'a', weight: 2 }])).toThrow(RangeError);
    const b = new JumpHash(ids);
    expect(() => b.setWeight('n1', 0.5)).toThrow(RangeError);
    expect(() => b.add({ id: 'x', weight: 3 })).toThrow(RangeError);
    expect(b.has('x')).toBe(false);
    expect(b.nodes()[1]!.weight).toBe(1);
    expect(b.setWeight('n1', 0)).toBe(true);
    expect(keys.slice(0, 2000).some((k) => b.pick(k) === 'n1')).toBe(false);
  });
});
