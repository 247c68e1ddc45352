// Prints where 2000 keys land under every key-based strategy, built from a shuffled node list
// (shuffled with Math.random, on purpose): run in separate processes by determinism.test.ts.
import { BoundedLoad, HashRing, hash64, JumpHash, Maglev, Rendezvous } from '../../src/index.js';

export function placement(shuffle: boolean): Record<string, string[]> {
  const ids = Array.from({ length: 24 }, (_, i) => ({
    id: `10.0.0.${i}:8080`,
    weight: 1 + (i % 3),
  }));
  const order = shuffle ? [...ids].sort(() => Math.random() - 0.5) : ids;
  const keys = Array.from({ length: 2000 }, (_, i) => `session-${i}-ключ`);
  const bounded = new BoundedLoad(order, { seed: 7 });
  const picks = {
    ring: ((r) => keys.map((k) => r.pick(k)))(new HashRing(order, { seed: 7 })),
    maglev: ((m) => keys.map((k) => m.pick(k)))(new Maglev(order, { seed: 7 })),
    // Jump hash buckets follow insertion order, so it gets the unshuffled list.
    jump: ((j) => keys.map((k) => j.pick(k)))(
      new JumpHash(
        ids.map((n) => n.id),
        { seed: 7 },
      ),
    ),
    rendezvous: ((r) => keys.map((k) => r.pick(k)))(new Rendezvous(order, { seed: 7 })),
    bounded: keys.map((k) => bounded.pick(k).node),
    hash64: keys.map((k) => [...hash64(k, 7)].join(':')),
  };
  return picks;
}

if (process.argv[1]?.endsWith('placement.ts'))
  process.stdout.write(JSON.stringify(placement(true)));
