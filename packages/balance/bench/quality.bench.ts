// Distribution and disruption, measured exactly (no timing): where 1M keys land, and how many
// move when one node leaves, for every key-based strategy and the npm peers.
import ConsistentHash from 'consistent-hash';
import HashRingNpm from 'hashring';
import { BoundedLoad, HashRing, hash32, JumpHash, Maglev, Rendezvous } from '../src/index.js';
import { markdownTable } from '@perf/monitor/bench';

const fixed = (x: number, digits = 3) => x.toFixed(digits);

const KEYS = Array.from({ length: 1_000_000 }, (_, i) => `user:${i * 7919}:profile`);

interface Subject {
  name: string;
  /** Builds the structure over `ids` and returns a lookup. */
  build(ids: string[]): { get(key: string): string; remove(id: string): void };
  /** Which node to remove for the disruption test (jump hash can only lose its last one). */
  victim?: (ids: string[]) => string;
}

const ours = (
  name: string,
  create: (ids: string[]) => { pick(k: string): string; remove(id: string): boolean },
): Subject => ({
  name,
  build(ids) {
    const b = create(ids);
    return { get: (k) => b.pick(k), remove: (id) => void b.remove(id) };
  },
});

const subjects: Subject[] = [
  {
    name: '_ideal: hash32(key) % n (not consistent)',
    build(ids) {
      let live = ids;
      return {
        get: (k) => live[hash32(k) % live.length]!,
        remove: (id) => void (live = live.filter((x) => x !== id)),
      };
    },
  },
  ours('Maglev (M = 65537)', (ids) => new Maglev(ids)),
  ours('HashRing (160 vnodes)', (ids) => new HashRing(ids)),
  ours('HashRing (1000 vnodes)', (ids) => new HashRing(ids, { vnodes: 1000 })),
  { ...ours('JumpHash', (ids) => new JumpHash(ids)), victim: (ids) => ids[ids.length - 1]! },
  ours('Rendezvous', (ids) => new Rendezvous(ids)),
  {
    name: 'npm hashring 3.2.0 (160 points)',
    build(ids) {
      const r = new HashRingNpm(ids);
      return { get: (k) => r.get(k), remove: (id) => void r.remove(id) };
    },
  },
  {
    name: 'npm consistent-hash 1.2.2',
    build(ids) {
      const r = new ConsistentHash();
      for (const id of ids) r.add(id);
      return { get: (k) => r.get(k), remove: (id) => void r.remove(id) };
    },
  },
];

function maxOverMean(counts: Map<string, number>, n: number): number {
  return Math.max(...counts.values()) / (KEYS.length / n);
}

/** Max/mean load with 1M keys, and keys moved when one node is removed, relative to 1/n. */
export function quality(): string {
  const rows: (string | number)[][] = [];
  for (const n of [10, 100]) {
    const ids = Array.from({ length: n }, (_, i) => `10.0.${i >> 8}.${i & 255}:11211`);
    for (const s of subjects) {
      const b = s.build(ids);
      const before = KEYS.map((k) => b.get(k));
      const counts = new Map<string, number>();
      for (const id of before) counts.set(id, (counts.get(id) ?? 0) + 1);
      const victim = s.victim?.(ids) ?? ids[n >> 1]!;
      b.remove(victim);
      let moved = 0;
      for (let i = 0; i < KEYS.length; i++) if (b.get(KEYS[i]!) !== before[i]) moved++;
      const victimShare = counts.get(victim)! / KEYS.length;
      rows.push([
        n,
        s.name,
        fixed(maxOverMean(counts, n)),
        fixed((moved / KEYS.length) * n, 3),
        fixed(moved / (counts.get(victim) ?? 1), 3),
        fixed(victimShare * n),
      ]);
    }
  }
  return markdownTable(
    [
      'nodes',
      'strategy',
      'max/mean load',
      'moved ÷ ideal (1/n)',
      "moved ÷ victim's keys",
      "victim's share × n",
    ],
    rows,
  );
}

/** BoundedLoad holding all 1M keys at once: the most loaded node against the cap. */
export function bounded(): string {
  const rows: (string | number)[][] = [];
  for (const n of [10, 100]) {
    const ids = Array.from({ length: n }, (_, i) => `10.0.${i >> 8}.${i & 255}:11211`);
    for (const epsilon of [0.05, 0.25]) {
      const b = new BoundedLoad(ids, { epsilon });
      let home = 0;
      const ring = new HashRing(ids);
      for (const k of KEYS) if (b.pick(k).node === ring.pick(k)) home++;
      const max = Math.max(...ids.map((id) => b.inFlight(id)));
      const cap = Math.ceil(((1 + epsilon) * KEYS.length) / n);
      rows.push([
        n,
        epsilon,
        fixed(max / (KEYS.length / n)),
        fixed(cap / (KEYS.length / n)),
        `${fixed((home / KEYS.length) * 100, 1)}%`,
      ]);
    }
  }
  return markdownTable(
    ['nodes', 'ε', 'max/mean load', 'cap ⌈(1+ε)·m/n⌉ / mean', 'keys on their ring node'],
    rows,
  );
}

/** consistent-hash places ring points with Math.random: two instances (two processes) disagree. */
export function agreement(): string {
  const ids = Array.from({ length: 10 }, (_, i) => `10.0.0.${i}:11211`);
  const sample = KEYS.slice(0, 100_000);
  const rows = [
    ['Maglev', () => new Maglev(ids)],
    [
      'npm consistent-hash 1.2.2',
      () => {
        const r = new ConsistentHash();
        for (const id of ids) r.add(id);
        return { pick: (k: string) => r.get(k) };
      },
    ],
  ].map(([name, make]) => {
    const a = (make as () => { pick(k: string): string })();
    const b = (make as () => { pick(k: string): string })();
    let differ = 0;
    for (const k of sample) if (a.pick(k) !== b.pick(k)) differ++;
    return [name as string, `${fixed((differ / sample.length) * 100, 1)}%`];
  });
  return markdownTable(['strategy (10 nodes)', 'keys placed differently by two instances'], rows);
}
