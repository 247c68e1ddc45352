/**
 * The vocabulary of @perf/balance: keys, nodes, handles and the options of every strategy.
 * Times are in milliseconds of the injected clock (`now`), which defaults to `performance.now`.
 */

/** What key-based strategies hash: a string (hashed as its UTF-8 bytes) or raw bytes. */
export type Key = string | Uint8Array;

/** A node as given to a balancer: its id, or its id and a weight. */
export type NodeInput = string | NodeSpec;

/** A node with an explicit weight. */
export interface NodeSpec {
  /** Unique id of the node (an address, a shard name). Ids are compared as strings. */
  id: string;
  /**
   * Share of traffic relative to the other nodes. `0` keeps the node in the set but sends it
   * nothing (a drained node). Must be a finite number from 0 and up.
   * @defaultValue 1
   */
  weight?: number;
}

/**
 * Health of a node: `up`, `down` (marked by the operator with `markDown`) or `ejected`
 * (outlier detection saw too many consecutive failures; it returns when its back-off expires).
 */
export type NodeState = 'up' | 'down' | 'ejected';

/** A snapshot of one node, as returned by `Balancer.nodes()`. */
export interface NodeInfo {
  /** The node's id. */
  readonly id: string;
  /** Its current weight. */
  readonly weight: number;
  /**
   * Its weight after slow start, at the clock's current time: `weight` once warm. What the
   * request-level strategies balance on.
   */
  readonly effectiveWeight: number;
  /** Its current health. */
  readonly state: NodeState;
  /** Failures reported in a row since its last success. */
  readonly consecutiveFailures: number;
  /** Clock time at which an ejection ends; `0` when the node is not ejected. */
  readonly ejectedUntil: number;
}

/** Counters of a balancer's health, from `Balancer.stats()`. */
export interface BalancerStats {
  /** Nodes in the set. */
  readonly nodes: number;
  /** Nodes a pick may choose right now (in panic, ejected ones too). */
  readonly usable: number;
  /** Nodes marked down by the operator. */
  readonly down: number;
  /** Nodes ejected by outlier detection. */
  readonly ejected: number;
  /** Nodes with weight 0. */
  readonly drained: number;
  /** Nodes whose weight is still ramping (slow start). */
  readonly warming: number;
  /** Whether the balancer is in panic: too few healthy nodes, so it ignores ejection. */
  readonly panic: boolean;
  /** How many times it has entered panic since it was created. */
  readonly panics: number;
}

/** How a request that was sent to a node ended, given to `Handle.release`. */
export interface Outcome {
  /**
   * Whether the request succeeded. Failures feed outlier ejection (and Peak EWMA's cost).
   * @defaultValue true
   */
  ok?: boolean;
  /**
   * Observed latency in milliseconds. When absent, the time between `pick` and `release` on the
   * balancer's clock is used.
   */
  latency?: number;
}

/**
 * What a stateful strategy (`LeastConnections`, `PowerOfTwoChoices`, `PeakEwma`, `BoundedLoad`)
 * returns from `pick`: the chosen node, counted as busy until `release` is called. Release it
 * exactly once, in a `finally`, on success and on failure: later calls are ignored (they return
 * `false`), so a count can neither leak nor go negative.
 */
export interface Handle {
  /** The id of the chosen node. */
  readonly node: string;
  /** Ends the request. Returns `true` the first time, `false` (and does nothing) after. */
  release(outcome?: Outcome): boolean;
}

/** Outlier ejection, after Envoy's consecutive-5xx detector. Every strategy honours it. */
export interface HealthOptions {
  /**
   * Failures in a row that eject a node. `Infinity` turns ejection off.
   * @defaultValue 5
   */
  consecutiveFailures?: number;
  /**
   * First ejection time in ms; the n-th ejection in a row lasts n times this, up to
   * `maxEjectionTime`. The multiplier resets once a node has stayed in for this long.
   * @defaultValue 30000
   */
  baseEjectionTime?: number;
  /**
   * Longest ejection in ms.
   * @defaultValue 300000
   */
  maxEjectionTime?: number;
  /**
   * Most nodes ejected at once, as a percentage of the set; at least one node may always be
   * ejected (as in Envoy).
   * @defaultValue 10
   */
  maxEjectionPercent?: number;
  /**
   * Panic threshold, Envoy's `healthy_panic_threshold`: when fewer than this percentage of the
   * nodes that may take traffic (weight > 0, not marked down) are healthy (not ejected), the
   * balancer stops trusting outlier ejection and balances across all of them, ejected ones
   * included, instead of overloading the healthy few. `0` turns it off. Nodes marked down by
   * the operator never take traffic, panic or not. `Balancer.stats()` reports it.
   * @defaultValue 50
   */
  panicThreshold?: number;
}

/**
 * Slow start, as Envoy does it: a node that joins (`add`) or comes back (an ejection ends, or
 * `markUp` after `markDown`) ramps its effective weight over `window` ms,
 * `weight × max(minWeightPercent / 100, timeFactor ^ (1 / aggression))` with
 * `timeFactor = max(elapsed, 1000) / window` (Envoy's one-second floor included). Nodes given
 * to the constructor start warm.
 */
export interface SlowStartOptions {
  /** Length of the ramp in ms of the balancer's clock. Must be > 0. */
  window: number;
  /**
   * Shape of the ramp: 1 is linear, larger values ramp faster early (the weight follows
   * `timeFactor^(1/aggression)`). Must be > 0.
   * @defaultValue 1
   */
  aggression?: number;
  /**
   * Floor of the effective weight during the ramp, in percent of the node's weight.
   * @defaultValue 10
   */
  minWeightPercent?: number;
}

/** Options every strategy accepts. */
export interface BalancerOptions {
  /**
   * Clock in milliseconds, for ejection back-off and measured latencies. Inject a fake one in
   * tests and simulations.
   * @defaultValue `performance.now`
   */
  now?: () => number;
  /** Outlier ejection settings. */
  health?: HealthOptions;
}

/**
 * Options of the request-level strategies (`RoundRobin`, `WeightedRoundRobin`,
 * `LeastConnections`, `PowerOfTwoChoices`, `PeakEwma`). Key-based strategies have no slow start:
 * ramping a node there would move keys back and forth.
 */
export interface RequestOptions extends BalancerOptions {
  /** Ramp the weight of joining and returning nodes. Off when absent. */
  slowStart?: SlowStartOptions;
}

/** Options of strategies that sample at random (`PowerOfTwoChoices`, `PeakEwma`). */
export interface RandomOptions extends RequestOptions {
  /**
   * Uniform random numbers in [0, 1). Inject a seeded generator for reproducible runs.
   * @defaultValue `Math.random`
   */
  random?: () => number;
}

/** Options of `PeakEwma`. */
export interface PeakEwmaOptions extends RandomOptions {
  /**
   * Time constant of the moving average in ms: an observation's weight falls by e every
   * `decayTime`. Finagle's default.
   * @defaultValue 10000
   */
  decayTime?: number;
  /**
   * Latency in ms recorded for a failed request when it is larger than the observed one, so a
   * node that fails fast does not look fast.
   * @defaultValue 1000
   */
  failurePenalty?: number;
}

/** Options of key-based strategies. */
export interface HashOptions extends BalancerOptions {
  /**
   * Seed of the key and node hashes. Processes that must agree on placement use the same seed.
   * @defaultValue 0
   */
  seed?: number;
}

/** Options of `HashRing` and `BoundedLoad`. */
export interface RingOptions extends HashOptions {
  /**
   * Virtual nodes (ring points) per unit of weight. More points spread load more evenly
   * (max/mean ≈ 1 + 2.5/√vnodes at 100 nodes) at the cost of memory and build time.
   * @defaultValue 160
   */
  vnodes?: number;
}

/** Options of `Maglev`. */
export interface MaglevOptions extends HashOptions {
  /**
   * Lookup table size; must be a prime larger than the number of nodes. Each node owns
   * ⌊size/n⌋ or ⌈size/n⌉ entries, so bigger is more even (Maglev paper §3.4).
   * @defaultValue 65537
   */
  tableSize?: number;
}

/** Options of `BoundedLoad`. */
export interface BoundedLoadOptions extends RingOptions {
  /**
   * Allowed overload ε: no node holds more than ⌈(1 + ε) · average⌉ requests (weighted). Smaller
   * is more even but moves more keys off their home node.
   * @defaultValue 0.25
   */
  epsilon?: number;
}
