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
import { Bench, benchOptionsFromEnv, toMarkdown } from '@perf/monitor/bench';

const KEYS = Array.from({ length: 1_000_000 }, (_, i) => `user:${i * 7919}:profile`);
const BATCH = 100_000;
const SLICES = KEYS.length / BATCH;
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

/** One Bench case per strategy: each call looks up the next 100k-key slice (throughput mode). */
function sliced(bench: Bench, name: string, lookup: (key: string) => string): void {
  const batch = over(lookup);
  let i = 0;
  bench.add(name, () => batch(i++), { ops: BATCH });
}

export async function lookups(): Promise<string> {
  const out: string[] = [];
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
    const bench = new Bench(`${n} nodes`, benchOptionsFromEnv({ time: 1500 }));
    for (const [name, fn] of cases) sliced(bench, name, fn);
    out.push(`${n} nodes\n\n${toMarkdown(await bench.run(), { baseline: PEER })}`);
  }
  return out.join('\n\n');
}

export async function picks(): Promise<string> {
  const ids = Array.from({ length: 10 }, (_, i) => `backend-${i}`);
  const lc = new LeastConnections(ids);
  const p2c = new PowerOfTwoChoices(ids);
  const ewma = new PeakEwma(ids);
  const rr = new RoundRobin(ids);
  const wrr = new WeightedRoundRobin(ids.map((id, i) => ({ id, weight: 1 + (i % 3) })));
  let c = 0;
  const times =
    (fn: () => string): (() => number) =>
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
  const bench = new Bench('picks, 10 nodes', benchOptionsFromEnv({ time: 1000 }));
  for (const [name, fn] of cases) bench.add(name, times(fn), { ops: BATCH });
  return toMarkdown(await bench.run());
}
