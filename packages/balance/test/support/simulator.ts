// A discrete-event simulator that replays Poisson traffic against backends of different and
// changing speeds through a real balancer, to compare policies on tail latency. Time is the
// simulation's own (ms), injected into the balancer as its clock, so latency-aware policies
// (Peak EWMA), slow start and ejection back-off see exactly the times the simulated clients
// see, and a run is reproducible. Shared by the tests and the tail-latency benchmark.
import { mulberry32 } from '@perf/internal';
import {
  type Handle,
  LeastConnections,
  PeakEwma,
  PowerOfTwoChoices,
  type RequestOptions,
  RoundRobin,
  WeightedRoundRobin,
} from '../../src/index.js';

/** What the simulator drives: any request-level balancer. */
export interface Simulated {
  pick(): Handle | string;
  report(id: string, ok: boolean): void;
  stats(): { panics: number };
}

/** One policy under test: builds a balancer over `ids` on the simulated clock. */
export interface Policy {
  name: string;
  create(
    ids: string[],
    now: () => number,
    random: () => number,
    options?: RequestOptions,
  ): Simulated;
}

export const policies: Policy[] = [
  { name: 'RoundRobin', create: (ids, now, _r, o) => new RoundRobin(ids, { ...o, now }) },
  {
    name: 'LeastConnections (full scan)',
    create: (ids, now, _r, o) => new LeastConnections(ids, { ...o, now }),
  },
  {
    name: 'PowerOfTwoChoices',
    create: (ids, now, random, o) => new PowerOfTwoChoices(ids, { ...o, now, random }),
  },
  {
    name: 'PeakEwma',
    create: (ids, now, random, o) => new PeakEwma(ids, { ...o, now, random }),
  },
];

/** WeightedRoundRobin too (equal weights): the slow-start comparison covers all five. */
export const requestPolicies: Policy[] = [
  policies[0]!,
  {
    name: 'WeightedRoundRobin',
    create: (ids, now, _r, o) => new WeightedRoundRobin(ids, { ...o, now }),
  },
  ...policies.slice(1),
];

export interface Scenario {
  /** Backends at the start. @defaultValue 10 */
  backends?: number;
  /** Requests served in parallel per backend (the rest queue FIFO). @defaultValue 8 */
  concurrency?: number;
  /** Mean service time of a healthy backend, ms (exponentially distributed). @defaultValue 10 */
  serviceMs?: number;
  /** How much slower backend 0 is from the start (1: not slow). @defaultValue 5 */
  slowdown?: number;
  /** Offered load as a fraction of the starting cluster's capacity. @defaultValue 0.8 */
  utilisation?: number;
  /** Requests to replay. @defaultValue 100000 */
  requests?: number;
  /** Halfway through, the slow backend recovers and another one slows down. @defaultValue true */
  shift?: boolean;
  /**
   * A backend that joins cold when this fraction of the requests has arrived: its service time
   * starts `factor`× longer and falls back to normal linearly over `warmupMs` (a cold cache, an
   * unwarmed JIT).
   */
  coldJoin?: { at: number; factor: number; warmupMs: number };
  /** `nodes` backends (from the last) become `factor`× slower at this fraction of the run. */
  slowDown?: { at: number; nodes: number; factor: number };
  /**
   * Requests slower than this many ms count as failures (released with `ok: false`, or
   * reported), which is what outlier ejection sees. @defaultValue Infinity
   */
  timeoutMs?: number;
  /** Options of the balancer under test (slow start, health). */
  options?: RequestOptions;
  /** PRNG seed. @defaultValue 1 */
  seed?: number;
}

export interface Result {
  policy: string;
  p50: number;
  p99: number;
  p999: number;
  max: number;
  /** Requests slower than `timeoutMs`. */
  timeouts: number;
  /** Requests refused because no node was available (`PERF_BALANCE_UNAVAILABLE`). */
  rejected: number;
  /** Times the balancer entered panic. */
  panics: number;
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
  const timeout = scenario.timeoutMs ?? Number.POSITIVE_INFINITY;
  const { coldJoin, slowDown } = scenario;
  const random = mulberry32(scenario.seed ?? 1);
  const traffic = mulberry32((scenario.seed ?? 1) + 1);
  const total = n + (coldJoin ? 1 : 0);
  const speed = new Float64Array(total).fill(1);
  speed[0] = 1 / slowdown;
  const capacity = ((n - 1 + 1 / slowdown) * concurrency) / service; // requests per ms
  const gap = 1 / (capacity * (scenario.utilisation ?? 0.8));

  let now = 0;
  let joinedAt = Number.POSITIVE_INFINITY;
  const ids = Array.from({ length: total }, (_, i) => `backend-${i}`);
  const balancer = policy.create(ids.slice(0, n), () => now, random, scenario.options);
  const queues: Job[][] = Array.from({ length: total }, () => []);
  const busy = new Int32Array(total);
  const completions = new MinHeap<Job>();
  const latencies = new Float64Array(requests);
  let done = 0;
  let timeouts = 0;
  let rejected = 0;

  const start = (job: Job, at: number) => {
    busy[job.backend]!++;
    let time = job.service / speed[job.backend]!;
    if (job.backend === n && coldJoin) {
      const warm = Math.min(1, (at - joinedAt) / coldJoin.warmupMs);
      time *= coldJoin.factor + (1 - coldJoin.factor) * warm;
    }
    completions.push(at + time, job);
  };
  const finish = (job: Job) => {
    const latency = now - job.arrival;
    latencies[done++] = latency;
    const ok = latency <= timeout;
    if (!ok) timeouts++;
    if (typeof job.handle !== 'string') job.handle.release({ ok });
    else if (timeout !== Number.POSITIVE_INFINITY) balancer.report(job.handle, ok);
    busy[job.backend]!--;
    const next = queues[job.backend]!.shift();
    if (next) start(next, now);
  };

  const joinAt = coldJoin ? Math.floor(coldJoin.at * requests) : -1;
  const slowAt = slowDown ? Math.floor(slowDown.at * requests) : -1;
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
    if (i === joinAt) {
      joinedAt = now;
      (balancer as unknown as { add(id: string): void }).add(ids[n]!);
    }
    if (i === slowAt && slowDown) {
      for (let k = 0; k < slowDown.nodes; k++) speed[n - 1 - k] = 1 / slowDown.factor;
    }
    let handle: Handle | string;
    try {
      handle = balancer.pick();
    } catch (e) {
      if ((e as { code?: string }).code !== 'PERF_BALANCE_UNAVAILABLE') throw e;
      rejected++;
      continue;
    }
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
  const served = latencies.subarray(0, done).sort();
  const at = (q: number) => served[Math.min(done - 1, Math.floor(q * done))]!;
  return {
    policy: policy.name,
    p50: at(0.5),
    p99: at(0.99),
    p999: at(0.999),
    max: at(1),
    timeouts,
    rejected,
    panics: balancer.stats().panics,
  };
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
