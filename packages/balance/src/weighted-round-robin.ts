import { Balancer } from './balancer.js';
import { grow } from './internal/node-set.js';
import { smoothPick, unchanged } from './internal/smooth.js';
import type { NodeInput, RequestOptions } from './types.js';

/**
 * Smooth weighted round robin, nginx's algorithm (ngx_http_upstream_get_peer, 2012): every pick
 * adds each node's weight to its `current`, takes the node with the largest `current` (the first
 * one on ties) and subtracts the total weight from it. Weights {a: 5, b: 1, c: 1} give
 * a a b a c a a, never a burst of five a's. O(n) per pick, like nginx; weights change at runtime
 * with `setWeight` and take effect on the next pick. With `slowStart`, a ramping node's weight
 * is its effective (ramped) weight.
 */
export class WeightedRoundRobin extends Balancer<string> {
  #slots = new Int32Array(0);
  /** nginx's `current_weight`, per slot, so it survives other nodes joining and leaving. */
  #current = new Float64Array(0);

  constructor(nodes: Iterable<NodeInput> = [], options?: RequestOptions) {
    super(options);
    this.init(nodes);
  }

  /** The next node of the smooth weighted sequence. */
  override pick(): string {
    const set = this.set;
    if (set.degraded) this.recover();
    if (set.warming.length !== 0) set.ramp(set.now(), unchanged);
    return set.ids[smoothPick(this.#slots, set.effective, this.#current)]!;
  }

  protected override rebuild(): void {
    this.#slots = this.set.usableSlots();
  }

  protected override healthChanged(): void {
    this.rebuild();
  }

  protected override reset(s: number): void {
    this.#current = grow(this.#current, this.set.capacity);
    this.#current[s] = 0;
  }
}
