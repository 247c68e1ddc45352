import { grow } from './internal/node-set.js';
import * as check from './internal/validate.js';
import { PowerOfTwoChoices } from './power-of-two-choices.js';
import type { NodeInput, PeakEwmaOptions } from './types.js';

const DEFAULT_DECAY_MS = 10_000;
const DEFAULT_FAILURE_PENALTY_MS = 1_000;
/**
 * Load of a node that has requests in flight but no latency observed yet: larger than any real
 * cost, ordered by its in-flight count. Finagle uses `Long.MaxValue >> 16` ns, ≈ 1.4e8 ms.
 */
const PENALTY = 1.4e8;

/**
 * Peak EWMA, Finagle's and Linkerd's latency-aware balancer: power of two choices on
 * `cost × (inFlight + 1)`, where `cost` is a moving average of observed latency that jumps up to
 * a new peak at once and decays back over `decayTime` (`cost = cost·w + rtt·(1−w)`,
 * `w = e^(−Δt/decayTime)`), so a node that slows down is avoided within one request and
 * recovers gradually. Ported from Finagle's `PeakEwma` (com.twitter.finagle.loadbalancer).
 * Release handles with `{ latency }` (or let the balancer's clock measure it) and `{ ok: false }`
 * on failure: a failure counts as at least `failurePenalty` ms.
 */
export class PeakEwma extends PowerOfTwoChoices {
  protected override readonly timed = true;
  /** Latency average per slot, in ms, as of `#stamp`. */
  #cost = new Float64Array(0);
  #stamp = new Float64Array(0);
  readonly #decay: number;
  readonly #penalty: number;
  /** Clock time of the pick in progress. */
  #t = 0;

  constructor(nodes: Iterable<NodeInput> = [], options: PeakEwmaOptions = {}) {
    const decay = check.number('decayTime', options.decayTime ?? DEFAULT_DECAY_MS, 1e-9);
    const penalty = check.number(
      'failurePenalty',
      options.failurePenalty ?? DEFAULT_FAILURE_PENALTY_MS,
      0,
    );
    super([], options);
    this.#decay = decay;
    this.#penalty = penalty;
    // Added here, not by the parent constructor: `reset` needs this class's fields to exist.
    this.init(nodes);
  }

  /** The current latency estimate of a node in ms (decayed to now); 0 for an unknown id. */
  cost(id: string): number {
    const s = this.set.slot(id);
    return s < 0 ? 0 : this.#decayed(s, this.set.now());
  }

  protected override choose(): number {
    // One clock read for both candidates' decayed costs.
    this.#t = this.set.now();
    return super.choose();
  }

  protected override load(s: number): number {
    const cost = this.#decayed(s, this.#t);
    const active = this.active[s]!;
    if (cost === 0 && active !== 0) return PENALTY + active;
    return cost * (active + 1) * this.inverseWeight[s]!;
  }

  protected override released(s: number, ok: boolean, latency: number, t: number): void {
    const rtt = ok ? latency : Math.max(latency, this.#penalty);
    const dt = t - this.#stamp[s]!;
    const w = dt > 0 ? Math.exp(-dt / this.#decay) : 1;
    // Reading a cost decays it towards 0 (Finagle's get() observes 0), so an idle node is
    // probed again; a peak is taken at once, a lower latency blended in with weight 1 - w.
    const cost = this.#cost[s]! * w;
    this.#cost[s] = rtt > cost ? rtt : cost + (rtt - cost) * (1 - w);
    this.#stamp[s] = t;
  }

  protected override reset(s: number): void {
    super.reset(s);
    const capacity = this.set.capacity;
    this.#cost = grow(this.#cost, capacity);
    this.#stamp = grow(this.#stamp, capacity);
    this.#cost[s] = 0;
    this.#stamp[s] = this.set.now();
  }

  #decayed(s: number, t: number): number {
    const dt = t - this.#stamp[s]!;
    return dt > 0 ? this.#cost[s]! * Math.exp(-dt / this.#decay) : this.#cost[s]!;
  }
}
