import { grow } from './internal/node-set.js';
import * as check from './internal/validate.js';
import { StatefulBalancer } from './stateful-balancer.js';
import type { NodeInput, RandomOptions } from './types.js';

/** Most candidates drawn per pick while nodes ramp (see `#candidate`). */
const MAX_DRAWS = 16;

/**
 * Power of two choices, "least request" in Envoy (its default): sample two distinct available
 * nodes at random and send the request to the one with fewer requests in flight per unit of
 * weight. O(1) per pick, and nearly as good as a full least-connections scan (Mitzenmacher,
 * "The Power of Two Choices in Randomized Load Balancing", 2001) without its global view.
 * With `slowStart`, a ramping node is drawn as a candidate with probability scaled by its
 * slow-start factor (rejection sampling), and its load is divided by its effective weight.
 */
export class PowerOfTwoChoices extends StatefulBalancer {
  /** @internal */
  protected readonly random: () => number;
  /** @internal 1 / weight per slot. */
  protected inverseWeight = new Float64Array(0);
  #slots = new Int32Array(0);
  readonly #reweigh = (s: number): void => {
    this.inverseWeight[s] = 1 / this.set.effective[s]!;
  };

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
    if (this.set.warming.length !== 0) return this.#chooseWarming(slots, n);
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
    for (const s of set.order) this.inverseWeight[s] = 1 / set.effective[s]!;
  }

  protected override healthChanged(): void {
    // A node that came back may start a slow-start ramp: its effective weight changed too.
    this.rebuild();
  }

  #chooseWarming(slots: Int32Array, n: number): number {
    const set = this.set;
    set.ramp(set.now(), this.#reweigh);
    const i = this.#candidate(slots, n, -1);
    const a = slots[i]!;
    const b = slots[this.#candidate(slots, n, i)]!;
    return this.load(b) < this.load(a) ? b : a;
  }

  /**
   * Index of a random candidate other than `skip` (-1: none), a warming one accepted with
   * probability equal to its slow-start factor. After `MAX_DRAWS` rejections the last draw is
   * taken, so a set of nodes that all ramp from a tiny factor cannot spin.
   */
  #candidate(slots: Int32Array, n: number, skip: number): number {
    const factor = this.set.factor;
    const m = skip < 0 ? n : n - 1;
    for (let draws = 1; ; draws++) {
      let i = Math.floor(this.random() * m);
      if (skip >= 0 && i >= skip) i++;
      const f = factor[slots[i]!]!;
      if (f >= 1 || draws >= MAX_DRAWS || this.random() < f) return i;
    }
  }
}
