import { Balancer } from './balancer.js';
import { grow } from './internal/node-set.js';
import { smoothPick, unchanged } from './internal/smooth.js';
import type { NodeInput, RequestOptions } from './types.js';

/**
 * Plain round robin over the available nodes, in the order they were added. Weights other than
 * 0 (drained) are ignored: use `WeightedRoundRobin` for those. With `slowStart`, while a node
 * ramps, picks follow a smooth weighted round robin over the slow-start factors (1 for a warm
 * node), so the ramping node gets its fraction of a turn and the others keep alternating.
 */
export class RoundRobin extends Balancer<string> {
  #slots = new Int32Array(0);
  #next = 0;
  /** Smooth round robin state per slot, used only while some node warms up. */
  #current = new Float64Array(0);

  constructor(nodes: Iterable<NodeInput> = [], options?: RequestOptions) {
    super(options);
    this.init(nodes);
  }

  /** The next available node. */
  override pick(): string {
    const set = this.set;
    if (set.degraded) this.recover();
    if (set.warming.length !== 0) return this.#warmingPick();
    const slots = this.#slots;
    let i = this.#next;
    // The slot list shrinks when a node leaves: wrap a cursor that fell off the end.
    if (i >= slots.length) i = 0;
    this.#next = i + 1;
    return set.ids[slots[i]!]!;
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

  #warmingPick(): string {
    const set = this.set;
    set.ramp(set.now(), unchanged);
    return set.ids[smoothPick(this.#slots, set.factor, this.#current)]!;
  }
}
