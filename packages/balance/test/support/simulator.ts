// A discrete-event simulator that replays Poisson traffic against backends of different and
// changing speeds through a real balancer, to compare policies on tail latency. Time is the
// simulation's own (ms), injected into the balancer as its clock, so latency-aware policies
// (Peak EWMA) see exactly the latencies the simulated clients see, and a run is reproducible.
import {
  type Handle,
  LeastConnections,
  PeakEwma,
  PowerOfTwoChoices,
  RoundRobin,
} from '../src/index.js';

/** One policy under test: builds a balancer over `ids` on the simulated clock. */
export interface Policy {
  name: string;
  create(ids: string[], now: () => number, random: () => number): { pick(): Handle | string };
}

export const policies: Policy[] = [
  { name: 'RoundRobin', create: (ids, now) => new RoundRobin(ids, { now }) },
  {
    name: 'LeastConnections (full scan)',
    create: (ids, now) => new LeastConnections(ids, { now }),
  },
  {
    name: 'PowerOfTwoChoices',
    create: (ids, now, random) => new PowerOfTwoChoices(ids, { now, random }),
  },
  { name: 'PeakEwma', create: (ids, now, random) => new PeakEwma(ids, { now, random }) },
];

export interface Scenario {
  /** Backends. @defaultValue 10 */
  backends?: number;
  /** Requests served in parallel per backend (the rest queue FIFO). @defaultValue 8 */
  concurrency?: number;
  /** Mean service time of a healthy backend, ms (exponentially distributed). @defaultValue 10 */
  serviceMs?: number;
  /** How much slower the slow backend is. @defaultValue 5 */
  slowdown?: number;
  /** Offered load as a fraction of the cluster's total capacity. @defaultValue 0.8 */
  utilisation?: number;
  /** Requests to replay. @defaultValue 100000 */
  requests?: number;
  /** Halfway through, the slow backend recovers and another one slows down. @defaultValue true */
  shift?: boolean;
  /** PRNG seed. @defaultValue 1 */
  seed?: number;
}

export interface Result {
  policy: string;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

/** mulberry32: a tiny seeded PRNG, so every run replays the same traffic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Job {
  arrival: number;
  service: number;
  handle: Handle | string;
  backend: number;
}

/** Replays one scenario through one policy; returns latency percentiles in ms. */
export function simulate(policy: Policy, scenario: Scenario = {}): Result {
  const n = scenario.backends ?? 10;
  const concurrency = scenario.concurrency ?? 8;
  const service = scenario.serviceMs ?? 10;
  const slowdown = scenario.slowdown ?? 5;
  const requests = scenario.requests ?? 100_000;
  const shift = scenario.shift ?? true;
  const random = prng(scenario.seed ?? 1);
  const traffic = prng((scenario.seed ?? 1) + 1);
  const speed = new Float64Array(n).fill(1);
  speed[0] = 1 / slowdown;
  const capacity = ((n - 1 + 1 / slowdown) * concurrency) / service; // requests per ms
  const gap = 1 / (capacity * (scenario.utilisation ?? 0.8));

  let now = 0;
  const ids = Array.from({ length: n }, (_, i) => `backend-${i}`);
  const balancer = policy.create(ids, () => now, random);
  const queues: Job[][] = Array.from({ length: n }, () => []);
  const busy = new Int32Array(n);
  const completions = new MinHeap<Job>();
  const latencies = new Float64Array(requests);
  let done = 0;

  const start = (job: Job, at: number) => {
    busy[job.backend]!++;
    completions.push(at + job.service / speed[job.backend]!, job);
  };
  const finish = (job: Job) => {
    latencies[done++] = now - job.arrival;
    if (typeof job.handle !== 'string') job.handle.release();
    busy[job.backend]!--;
    const next = queues[job.backend]!.shift();
    if (next) start(next, now);
  };

  let arrival = 0;
  for (let i = 0; i < requests; i++) {
    arrival += -Math.log(1 - traffic()) * gap;
    while (completions.size > 0 && completions.peekKey() <= arrival) {
      now = completions.peekKey();
      finish(completions.pop());
    }
    now = arrival;
    if (shift && i === requests >> 1) {
      speed[0] = 1;
      speed[n >> 1] = 1 / slowdown;
    }
    const handle = balancer.pick();
    const node = typeof handle === 'string' ? handle : handle.node;
    const backend = Number(node.slice(8));
    const job: Job = { arrival, service: -Math.log(1 - traffic()) * service, handle, backend };
    if (busy[backend]! < concurrency) start(job, now);
    else queues[backend]!.push(job);
  }
  while (completions.size > 0) {
    now = completions.peekKey();
    finish(completions.pop());
  }
  latencies.sort();
  const at = (q: number) => latencies[Math.min(requests - 1, Math.floor(q * requests))]!;
  return { policy: policy.name, p50: at(0.5), p99: at(0.99), p999: at(0.999), max: at(1) };
}

/** A binary min-heap of values by numeric key (completion time). */
class MinHeap<T> {
  #keys: number[] = [];
  #values: T[] = [];

  get size(): number {
    return this.#keys.length;
  }

  peekKey(): number {
    return this.#keys[0]!;
  }

  push(key: number, value: T): void {
    const keys = this.#keys;
    const values = this.#values;
    let i = keys.length;
    keys.push(key);
    values.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent]! <= key) break;
      keys[i] = keys[parent]!;
      values[i] = values[parent]!;
      i = parent;
    }
    keys[i] = key;
    values[i] = value;
  }

  pop(): T {
    const keys = this.#keys;
    const values = this.#values;
    const top = values[0]!;
    const lastKey = keys.pop()!;
    const lastValue = values.pop()!;
    const size = keys.length;
    if (size > 0) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= size) break;
        if (child + 1 < size && keys[child + 1]! < keys[child]!) child++;
        if (keys[child]! >= lastKey) break;
        keys[i] = keys[child]!;
        values[i] = values[child]!;
        i = child;
      }
      keys[i] = lastKey;
      values[i] = lastValue;
    }
    return top;
  }
}

if (process.argv[1]?.endsWith('simulate.ts')) {
  for (const p of policies) {
    const t = performance.now();
    const r = simulate(p);
    console.log(
      p.name.padEnd(30),
      `p50 ${r.p50.toFixed(1)}  p99 ${r.p99.toFixed(1)}  p99.9 ${r.p999.toFixed(1)}  max ${r.max.toFixed(0)}  (${(performance.now() - t).toFixed(0)} ms)`,
    );
  }
}
