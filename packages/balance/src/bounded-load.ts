import { hash32 } from './hash.js';
import { Ring } from './internal/ring.js';
import * as check from './internal/validate.js';
import { StatefulBalancer } from './stateful-balancer.js';
import type { BoundedLoadOptions, Key, NodeInput } from './types.js';

const DEFAULT_VNODES = 160;
const DEFAULT_EPSILON = 0.25;

/**
 * Consistent hashing with bounded loads (Mirrokni, Thorup & Zadimoghaddam, SODA 2018; HAProxy's
 * `hash-balance-factor`): a key goes to its ring node unless that node already holds its
 * capacity ⌈(1 + ε) · m · w / W⌉ of the m requests in flight (this one included; w its weight,
 * W the total weight of available nodes), in which case it walks on along the ring to the first
 * node below capacity. So no node ever exceeds (1 + ε) times its fair share, while most keys still
 * land on their home node. A capacity exists because the capacities add up to at least
 * (1 + ε) · m > m − 1 requests already placed. `pick(key)` returns a `Handle`: release it when
 * the request (or the key's session) ends.
 */
export class BoundedLoad extends StatefulBalancer {
  readonly #ring = new Ring();
  readonly #vnodes: number;
  readonly #seed: number;
  readonly #factor: number;
  /** Requests in flight on live nodes (m − 1 at the next pick). */
  #total = 0;
  /** Total weight of usable nodes. */
  #weight = 0;

  constructor(nodes: Iterable<NodeInput> = [], options: BoundedLoadOptions = {}) {
    super(options);
    this.#vnodes = check.integer('vnodes', options.vnodes ?? DEFAULT_VNODES, 1, 1e6);
    this.#seed = check.integer('seed', options.seed ?? 0, -(2 ** 31), 2 ** 32 - 1);
    this.#factor = 1 + check.number('epsilon', options.epsilon ?? DEFAULT_EPSILON, 0, 1e6);
    this.init(nodes);
  }

  /** Requests in flight on all nodes. */
  get load(): number {
    return this.#total;
  }

  /** What `pick(key)` would choose now, without counting a request. */
  peek(key: Key): string {
    return this.set.ids[this.choose(key)]!;
  }

  protected override choose(key: Key | undefined): number {
    const h = hash32(key as Key, this.#seed);
    const set = this.set;
    if (set.degraded) this.recover();
    const { owners } = this.#ring;
    const { ok, weight } = set;
    const active = this.active;
    const perWeight = (this.#factor * (this.#total + 1)) / this.#weight;
    let i = this.#ring.find(h);
    for (let n = 0; n < owners.length; n++) {
      const s = owners[i]!;
      if (ok[s] === 1 && active[s]! < Math.ceil(perWeight * weight[s]!)) return s;
      if (++i === owners.length) i = 0;
    }
    return set.fail();
  }

  protected override acquired(): void {
    this.#total++;
  }

  protected override released(): void {
    this.#total--;
  }

  protected override rebuild(): void {
    this.#ring.build(this.set, this.#vnodes, this.#seed);
    this.healthChanged();
  }

  protected override healthChanged(): void {
    const set = this.set;
    let total = 0;
    let weight = 0;
    for (const s of set.order) {
      total += this.active[s]!;
      if (set.ok[s] === 1) weight += set.weight[s]!;
    }
    this.#total = total;
    this.#weight = weight;
  }
}
