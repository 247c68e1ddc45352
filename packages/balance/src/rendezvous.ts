import { Balancer } from './balancer.js';
import { fmix32 } from '@perf/internal';
import { hash32 } from './hash.js';
import * as check from './internal/validate.js';
import type { HashOptions, Key, NodeInput } from './types.js';

/** 2^-32: turns a 32-bit score into a uniform number in (0, 1). */
const UNIT = 2 ** -32;
/** Node ids are hashed with a different seed than keys, so a key equal to an id is not special. */
const NODE_SALT = 0x5bd1e995;

/**
 * Rendezvous (highest random weight) hashing, Thaler & Ravishankar 1996: every node scores the
 * key and the highest score wins, so removing a node moves exactly its own keys and an
 * unavailable node's keys go to their second choice. O(n) per pick: prefer `Maglev` or
 * `HashRing` beyond ~50 nodes. Weights use the logarithmic method (score = −w / ln u, Schindelhauer
 * & Schomaker, "Weighted distributed hash tables", 2005), which gives each node exactly its share.
 * The per-node score is MurmurHash3's finaliser of `hash(key) ^ hash(node)`; ties (2^-32) go to
 * the smaller id.
 */
export class Rendezvous extends Balancer<string> {
  readonly #seed: number;
  /** Node hashes and weights in id order, and their slots. */
  #nodeHash = new Uint32Array(0);
  #weight = new Float64Array(0);
  #slots = new Int32Array(0);
  #weighted = false;

  constructor(nodes: Iterable<NodeInput> = [], options: HashOptions = {}) {
    super(options);
    this.#seed = check.integer('seed', options.seed ?? 0, -(2 ** 31), 2 ** 32 - 1);
    this.init(nodes);
  }

  /** The node with the highest score for `key`. */
  override pick(key: Key): string {
    const h = hash32(key, this.#seed);
    const set = this.set;
    if (set.degraded) this.recover();
    const ok = set.ok;
    const slots = this.#slots;
    const nodeHash = this.#nodeHash;
    let best = -1;
    let bestScore = -1;
    if (this.#weighted) {
      const weight = this.#weight;
      for (let i = 0; i < slots.length; i++) {
        const s = slots[i]!;
        if (ok[s] === 0) continue;
        const score = weight[i]! / -Math.log((fmix32(h ^ nodeHash[i]!) + 0.5) * UNIT);
        if (score > bestScore) {
          bestScore = score;
          best = s;
        }
      }
    } else {
      for (let i = 0; i < slots.length; i++) {
        const s = slots[i]!;
        const score = fmix32(h ^ nodeHash[i]!);
        if (score > bestScore && ok[s] === 1) {
          bestScore = score;
          best = s;
        }
      }
    }
    return set.ids[best]!;
  }

  protected override rebuild(): void {
    const set = this.set;
    const slots = set.sortedSlots();
    this.#slots = Int32Array.from(slots);
    this.#nodeHash = Uint32Array.from(slots, (s) => hash32(set.ids[s]!, this.#seed ^ NODE_SALT));
    this.#weight = Float64Array.from(slots, (s) => set.weight[s]!);
    const first = this.#weight.find((w) => w > 0);
    this.#weighted = this.#weight.some((w) => w > 0 && w !== first);
  }
}
