import { describe, expect, it } from 'vitest';
import { HashRing, Maglev, Rendezvous } from '../src/index.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `10.0.${i >> 8}.${i & 255}:11211`);
const keys = Array.from({ length: 50_000 }, (_, i) => `user:${i * 7919}:profile`);
const maxOverMean = (shares: Map<string, number>) => Math.max(...shares.values()) * shares.size;

describe('Maglev table', () => {
  it.each([10, 100, 1000])('gives each of %i nodes ⌊M/n⌋ or ⌈M/n⌉ entries', (n) => {
    const M = 65537;
    const shares = new Maglev(ids(n)).shares();
    expect(shares.size).toBe(n);
    for (const share of shares.values()) {
      const entries = Math.round(share * M);
      expect(entries === Math.floor(M / n) || entries === Math.ceil(M / n)).toBe(true);
    }
  });

  it('owns entries in proportion to weight', () => {
    const shares = new Maglev([
      { id: 'a', weight: 1 },
      { id: 'b', weight: 2 },
      { id: 'c', weight: 5 },
    ]).shares();
    expect(shares.get('a')).toBeCloseTo(1 / 8, 3);
    expect(shares.get('b')).toBeCloseTo(2 / 8, 3);
    expect(shares.get('c')).toBeCloseTo(5 / 8, 3);
  });

  it("keeps most keys in place when a node is removed (≤ 1.6× the removed node's keys move)", () => {
    const b = new Maglev(ids(50));
    const before = keys.map((k) => b.pick(k));
    b.remove(ids(50)[25]!);
    const victimKeys = before.filter((id) => id === ids(50)[25]).length;
    const moved = keys.filter((k, i) => b.pick(k) !== before[i]).length;
    expect(moved / victimKeys).toBeLessThanOrEqual(1.6);
  });

  it('rejects a table size that is not a prime, or not above the node count', () => {
    expect(() => new Maglev([], { tableSize: 65536 })).toThrow(RangeError);
    expect(() => new Maglev(['a', 'b', 'c'], { tableSize: 3 })).toThrow(RangeError);
    expect(() => new Maglev([], { tableSize: 1.5 })).toThrow(TypeError);
  });
});

describe('HashRing arcs', () => {
  it('stays within 1.10 max/mean with 1000 vnodes at 100 nodes', () => {
    expect(maxOverMean(new HashRing(ids(100), { vnodes: 1000 }).shares())).toBeLessThan(1.1);
  });

  it('covers the whole hash space exactly once', () => {
    const shares = new HashRing(ids(7), { vnodes: 50 }).shares();
    expect([...shares.values()].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });

  it('gives arcs in proportion to weight', () => {
    const shares = new HashRing(
      [
        { id: 'a', weight: 1 },
        { id: 'b', weight: 3 },
      ],
      { vnodes: 2000 },
    ).shares();
    expect(shares.get('b')! / shares.get('a')!).toBeGreaterThan(2.7);
    expect(shares.get('b')! / shares.get('a')!).toBeLessThan(3.3);
  });

  it('keeps every colliding point and is the same whatever order nodes were added in', () => {
    // 100k points on a 2^32 ring collide about once; the order must not decide the winner.
    const list = ids(100);
    const a = new HashRing(list, { vnodes: 1000 });
    const b = new HashRing([...list].reverse(), { vnodes: 1000 });
    expect([...a.shares()].sort()).toEqual([...b.shares()].sort());
    for (const k of keys.slice(0, 5000)) expect(a.pick(k)).toBe(b.pick(k));
  });
});

describe.each([
  ['HashRing', (list: string[]) => new HashRing(list)],
  ['Rendezvous', (list: string[]) => new Rendezvous(list)],
])('%s disruption', (_name, create) => {
  it("moves only the removed node's keys, and adding it back restores them", () => {
    const list = ids(20);
    const b = create(list);
    const before = keys.map((k) => b.pick(k));
    b.remove(list[7]!);
    // One assertion over all keys: 50k expect() calls would dominate the test's time.
    const wrong = keys.filter((k, i) => {
      const now = b.pick(k);
      return before[i] === list[7] ? now === list[7] : now !== before[i];
    });
    expect(wrong).toEqual([]);
    b.add(list[7]!);
    expect(keys.filter((k, i) => b.pick(k) !== before[i])).toEqual([]);
  });
});

describe('Rendezvous weights', () => {
  it('gives each node its weighted share of keys (−w / ln u scores)', () => {
    const b = new Rendezvous([
      { id: 'a', weight: 1 },
      { id: 'b', weight: 2 },
      { id: 'c', weight: 5 },
    ]);
    const counts = new Map<string, number>();
    for (const k of keys) counts.set(b.pick(k), (counts.get(b.pick(k)) ?? 0) + 1);
    // 50k keys: the binomial standard deviation of a share is < 0.25%; allow 1%.
    expect(Math.abs(counts.get('a')! / keys.length - 1 / 8)).toBeLessThan(0.01);
    expect(Math.abs(counts.get('b')! / keys.length - 2 / 8)).toBeLessThan(0.01);
    expect(Math.abs(counts.get('c')! / keys.length - 5 / 8)).toBeLessThan(0.01);
  });

  it('moves keys only towards a node whose weight grows', () => {
    const b = new Rendezvous(['a', 'b', 'c', 'd']);
    const before = keys.map((k) => b.pick(k));
    b.setWeight('b', 2);
    const wrong = keys.filter((k, i) => {
      const now = b.pick(k);
      return now !== before[i] && now !== 'b';
    });
    expect(wrong).toEqual([]);
  });
});
