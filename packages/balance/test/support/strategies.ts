// Every strategy behind one adapter, so contract and property suites run against all of them.
import {
  type Balancer,
  BoundedLoad,
  type BalancerOptions,
  type Handle,
  HashRing,
  JumpHash,
  LeastConnections,
  Maglev,
  type NodeInput,
  PeakEwma,
  PowerOfTwoChoices,
  Rendezvous,
  RoundRobin,
  WeightedRoundRobin,
} from '../../src/index.js';

export interface Strategy {
  name: string;
  keyed: boolean;
  stateful: boolean;
  create(nodes?: Iterable<NodeInput>, options?: BalancerOptions): Balancer<string | Handle>;
}

/** The shared seeded PRNG (mulberry32), for reproducible sampling. */
import { mulberry32 as prng } from '@perf/internal';

export { prng };

export const strategies: Strategy[] = [
  { name: 'RoundRobin', keyed: false, stateful: false, create: (n, o) => new RoundRobin(n, o) },
  {
    name: 'WeightedRoundRobin',
    keyed: false,
    stateful: false,
    create: (n, o) => new WeightedRoundRobin(n, o),
  },
  {
    name: 'LeastConnections',
    keyed: false,
    stateful: true,
    create: (n, o) => new LeastConnections(n, o),
  },
  {
    name: 'PowerOfTwoChoices',
    keyed: false,
    stateful: true,
    create: (n, o) => new PowerOfTwoChoices(n, { ...o, random: prng(1) }),
  },
  {
    name: 'PeakEwma',
    keyed: false,
    stateful: true,
    // A clock that only moves when a test moves it: latencies are then exact, not scheduler noise.
    create: (n, o) => new PeakEwma(n, { now: () => 0, ...o, random: prng(2) }),
  },
  { name: 'HashRing', keyed: true, stateful: false, create: (n, o) => new HashRing(n, o) },
  {
    name: 'Maglev',
    keyed: true,
    stateful: false,
    create: (n, o) => new Maglev(n, { ...o, tableSize: 4099 }),
  },
  { name: 'JumpHash', keyed: true, stateful: false, create: (n, o) => new JumpHash(n, o) },
  { name: 'Rendezvous', keyed: true, stateful: false, create: (n, o) => new Rendezvous(n, o) },
  { name: 'BoundedLoad', keyed: true, stateful: true, create: (n, o) => new BoundedLoad(n, o) },
];

/** Picks once and returns the node id, releasing a handle at once. */
export function pickId(b: Balancer<string | Handle>, i: number): string {
  const r = b.pick(`key-${i}`);
  if (typeof r === 'string') return r;
  r.release();
  return r.node;
}

/** Picks `n` times (keys key-0… for keyed strategies) and counts picks per node. */
export function tally(b: Balancer<string | Handle>, n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const id = pickId(b, i);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** The `code` of what `fn` throws (fails the test when it does not throw). */
export function codeOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return (e as { code?: unknown }).code ?? (e as Error).name;
  }
  throw new Error('expected a throw');
}

/** A fake clock for ejection back-off and latency. */
export function fakeClock(): { now: () => number; advance(ms: number): void } {
  let t = 1_000;
  return { now: () => t, advance: (ms) => void (t += ms) };
}
