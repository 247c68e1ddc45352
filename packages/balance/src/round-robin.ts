import { Balancer } from './balancer.js';
import type { BalancerOptions, NodeInput } from './types.js';

/**
 * Plain round robin over the available nodes, in the order they were added. Weights other than
 * 0 (drained) are ignored: use `WeightedRoundRobin` for those.
 */
export class RoundRobin extends Balancer<string> {
  #slots = new Int32Array(0);
  #next = 0;

  constructor(nodes: Iterable<NodeInput> = [], options?: BalancerOptions) {
    super(options);
    this.init(nodes);
  }

  /** The next available node. */
  override pick(): string {
    if (this.set.degraded) this.recover();
    const slots = this.#slots;
    let i = this.#next;
    // The slot list shrinks when a node leaves: wrap a cursor that fell off the end.
    if (i >= slots.length) i = 0;
    this.#next = i + 1;
    return this.set.ids[slots[i]!]!;
  }

  protected override rebuild(): void {
    this.#slots = this.set.usableSlots();
  }

  protected override healthChanged(): void {
    this.rebuild();
  }
}
