import { grow } from './internal/node-set.js';
import * as check from './internal/validate.js';
import { StatefulBalancer } from './stateful-balancer.js';
import type { NodeInput, RandomOptions } from './types.js';

/**
 * Power of two choices, "least request" in Envoy (its default): sample two distinct available
 * nodes at random and send the request to the one with fewer requests in flight per unit of
 * weight. O(1) per pick, and nearly as good as a full least-connections scan (Mitzenmacher,
 * "The Power of Two Choices in Randomized Load Balancing", 2001) without its global view.
 */
export class PowerOfTwoChoices extends StatefulBalancer {
  /** @internal */
  protected readonly random: () => number;
  /** @internal 1 / weight per slot. */
  protected inverseWeight = new Float64Array(0);
  #slots = new Int32Array(0);

  constructor(nodes: Iterable<NodeInput> = [], options: RandomOptions = {}) {
    super(options);
    this.random = check.fn('random', options.random) ?? Math.random;
    this.init(nodes);
  }

  protected override choose(): number {
    if (this.set.degraded) this.recover();
    const slots = this.#slots;
    const n = slots.length;
    if (n === 1) return slots[0]!;
    const i = Math.floor(this.random() * n);
    let j = Math.floor(this.random() * (n - 1));
    if (j >= i) j++;
    const a = slots[i]!;
    const b = slots[j]!;
    return this.load(b) < this.load(a) ? b : a;
  }

  /** @internal The load the two candidates are compared on. */
  protected load(s: number): number {
    return this.active[s]! * this.inverseWeight[s]!;
  }

  protected override reset(s: number): void {
    super.reset(s);
    this.inverseWeight = grow(this.inverseWeight, this.set.capacity);
  }

  protected override rebuild(): void {
    const set = this.set;
    this.#slots = set.usableSlots();
    for (const s of set.order) this.inverseWeight[s] = 1 / set.weight[s]!;
  }

  protected override healthChanged(): void {
    this.#slots = this.set.usableSlots();
  }
}
