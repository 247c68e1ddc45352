/**
 * @packageDocumentation
 * Load balancing and consistent hashing: round robin, nginx's smooth weighted round robin, least
 * connections, power of two choices, Peak EWMA, hash ring, Maglev, jump hash, rendezvous and
 * bounded-load consistent hashing, with node health and outlier ejection honoured by all.
 *
 * @module @perf/balance
 */

export { Balancer } from './balancer.js';
export { BoundedLoad } from './bounded-load.js';
export {
  BalanceError,
  DuplicateNodeError,
  EmptyBalancerError,
  isPerfError,
  NoAvailableNodeError,
  PerfError,
} from './errors.js';
export { hash32, hash64 } from './hash.js';
export { HashRing } from './hash-ring.js';
export { JumpHash, jumpHash } from './jump-hash.js';
export { LeastConnections } from './least-connections.js';
export { Maglev } from './maglev.js';
export { PeakEwma } from './peak-ewma.js';
export { PowerOfTwoChoices } from './power-of-two-choices.js';
export { Rendezvous } from './rendezvous.js';
export { RoundRobin } from './round-robin.js';
export { StatefulBalancer } from './stateful-balancer.js';
export { WeightedRoundRobin } from './weighted-round-robin.js';
export type {
  BalancerOptions,
  BalancerStats,
  BoundedLoadOptions,
  Handle,
  HashOptions,
  HealthOptions,
  Key,
  MaglevOptions,
  NodeInfo,
  NodeInput,
  NodeSpec,
  NodeState,
  Outcome,
  PeakEwmaOptions,
  RandomOptions,
  RequestOptions,
  RingOptions,
  SlowStartOptions,
} from './types.js';
