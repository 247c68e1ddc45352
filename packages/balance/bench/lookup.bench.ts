// Lookup throughput of every key-based strategy against the npm `hashring` (ketama, md5, with
// its LRU cache) and `consistent-hash` packages, on the same 1M keys in one process.
import ConsistentHash from 'consistent-hash';
import HashRingNpm from 'hashring';
import {
  BoundedLoad,
  HashRing,
  hash32,
  JumpHash,
  LeastConnections,
  Maglev,
  PeakEwma,
  PowerOfTwoChoices,
  Rendezvous,
  RoundRobin,
  WeightedRoundRobin,
} from '../src/index.js';
import { compare, fixed, table } from './harness.js';

const KEYS = Array.from({ length: 1_000_000 }, (_, i) => `user:${i * 7919}:profile`);
const BATCH = 100_000;
const SLICES = KEYS.length / BATCH;
const ROUNDS = 7;
const PEER = 'npm hashring 3.2.0 (ketama, 160 points)';

/** A batch: the i-th slice of 100k distinct keys through `lookup`, folding the result lengths. */
function over(lookup: (key: string) => string): (i: number) => number {
  return (i) => {
    const base = (i % SLICES) * BATCH;
    let acc = 0;
    for (let k = base; k < base + BATCH; k++) acc += lookup(KEYS[k]!).length;
    return acc;
  };
}

export function lookups(): string {
  const rows: (string | number)[][] = [];
  for (const n of [10, 100]) {
    const ids = Array.from({ length: n }, (_, i) => `10.0.${i >> 8}.${i & 255}:11211`);
    const maglev = new Maglev(ids);
    const jump = new JumpHash(ids);
    const ring = new HashRing(ids);
    const rendezvous = new Rendezvous(ids);
    const bounded = new BoundedLoad(ids);
    const npmRing = new HashRingNpm(ids);
    const npmConsistent = new ConsistentHash();
    for (const id of ids) npmConsistent.add(id);
    const cases: [string, (key: string) => string][] = [
      ['_baseline: hash32(key) % n (not consistent)', (k) => ids[hash32(k) % n]!],
      ['Maglev', (k) => maglev.pick(k)],
      ['JumpHash', (k) => jump.pick(k)],
      ['HashRing (160 vnodes)', (k) => ring.pick(k)],
      ['Rendezvous', (k) => rendezvous.pick(k)],
      [
        'BoundedLoad (pick + release)',
        (k) => {
          const h = bounded.pick(k);
          h.release();
          return h.node;
        },
      ],
      [PEER, (k) => npmRing.get(k)],
      ['npm consistent-hash 1.2.2', (k) => npmConsistent.get(k)],
    ];
    const ns = compare(
      cases.map(([name, fn]) => ({ name, batch: over(fn), ops: BATCH })),
      ROUNDS,
    );
    const peer = ns.get(PEER)!;
    for (const [name, t] of ns)
      rows.push([n, name, fixed(t, 1), fixed(1e3 / t, 2), `${fixed(peer / t, 1)}×`]);
  }
  return table(['nodes', 'strategy', 'ns/lookup (median)', 'M lookups/s', 'vs npm hashring'], rows);
}

export function picks(): string {
  const ids = Array.from({ length: 10 }, (_, i) => `backend-${i}`);
  const lc = new LeastConnections(ids);
  const p2c = new PowerOfTwoChoices(ids);
  const ewma = new PeakEwma(ids);
  const rr = new RoundRobin(ids);
  const wrr = new WeightedRoundRobin(ids.map((id, i) => ({ id, weight: 1 + (i % 3) })));
  let c = 0;
  const times =
    (fn: () => string): ((i: number) => number) =>
    () => {
      let acc = 0;
      for (let k = 0; k < BATCH; k++) acc += fn().length;
      return acc;
    };
  const released = (b: { pick(): { node: string; release(): boolean } }) => () => {
    const h = b.pick();
    h.release();
    return h.node;
  };
  const cases: [string, () => string][] = [
    ['_baseline: ids[i++ % n]', () => ids[c++ % 10]!],
    ['RoundRobin', () => rr.pick()],
    ['WeightedRoundRobin (smooth, weights 1–3)', () => wrr.pick()],
    ['LeastConnections (pick + release)', released(lc)],
    ['PowerOfTwoChoices (pick + release)', released(p2c)],
    ['PeakEwma (pick + release)', released(ewma)],
  ];
  const ns = compare(
    cases.map(([name, fn]) => ({ name, batch: times(fn), ops: BATCH })),
    ROUNDS * 2,
  );
  const rows = [...ns].map(([name, t]) => [name, fixed(t, 1), fixed(1e3 / t, 2)]);
  return table(['strategy (10 nodes)', 'ns/pick (median)', 'M picks/s'], rows);
}
