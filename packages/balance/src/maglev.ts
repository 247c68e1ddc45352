import { Balancer } from './balancer.js';
import { lastA, lastB, mix } from './hash.js';
import * as check from './internal/validate.js';
import type { Key, MaglevOptions, NodeInput } from './types.js';

const DEFAULT_TABLE_SIZE = 65537;

/**
 * Maglev hashing (Eisenbud et al., "Maglev: A Fast and Reliable Software Network Load
 * Balancer", NSDI 2016, §3.4): a lookup table of prime size M in which every node owns
 * ⌊M/n⌋ or ⌈M/n⌉ entries (in proportion to weight), so a lookup is one hash and one array read,
 * and load is as even as M allows. Each node walks its own permutation of the table
 * (`offset + j·skip mod M`, from two hashes of its id) and the nodes take turns claiming the
 * next free entry of their permutation; weighted turns follow Envoy's `MaglevTable`.
 *
 *   table (M = 7, nodes a b c):   [ b | a | c | a | b | c | a ]    key → table[hash % M]
 *
 * A change of membership rebuilds the table (O(M log M); 4–7 ms of CPU for M = 65537 at 10 to
 * 1000 nodes, see the README's Performance section). It is not updated incrementally: the
 * turns interleave, so one node more or less shifts every later claim of the nodes it meets,
 * and an exact update could reuse at most 0.6 % (10 nodes) to 48 % (1000) of the fill. Keys
 * besides the removed node's move with it (1.0× the ideal at 10 nodes, ~7× at 1000: the
 * paper's "minimal disruption" is approximate). An unavailable node's keys probe onward along a
 * key-dependent permutation of the table.
 */
export class Maglev extends Balancer<string> {
  readonly #size: number;
  readonly #seed: number;
  /**
   * Entry → slot. `Uint16Array` (128 KiB at M = 65537) while slots fit in 16 bits, half the
   * cache footprint of 32-bit entries: a lookup is one random read of this table, so its cache
   * misses are most of the cost. `EMPTY` marks entries not yet claimed during a build.
   */
  #table: Uint16Array | Uint32Array = new Uint16Array(0);
  #empty = 0;

  constructor(nodes: Iterable<NodeInput> = [], options: MaglevOptions = {}) {
    super(options);
    this.#size = check.integer('tableSize', options.tableSize ?? DEFAULT_TABLE_SIZE, 2, 2 ** 26);
    if (!isPrime(this.#size)) {
      throw new RangeError(
        `Expected \`tableSize\` to be a prime number, got \`${this.#size}\` (number)`,
      );
    }
    this.#seed = check.integer('seed', options.seed ?? 0, -(2 ** 31), 2 ** 32 - 1);
    this.init(nodes);
  }

  /** The node owning `key`. */
  override pick(key: Key): string {
    mix(key, this.#seed);
    const set = this.set;
    if (set.degraded && this.recover()) return set.ids[this.#probe(lastA(), lastB())]!;
    return set.ids[this.#table[lastA() % this.#size]!]!;
  }

  /**
   * The fraction of the lookup table each node owns (what share of uniformly hashed keys it
   * gets while all nodes are up), by id. Exact, unlike counting sampled keys.
   */
  shares(): Map<string, number> {
    const counts = new Map<string, number>();
    const ids = this.set.ids;
    for (const s of this.#table) {
      if (s === this.#empty) continue;
      const id = ids[s]!;
      counts.set(id, (counts.get(id) ?? 0) + 1 / this.#size);
    }
    return counts;
  }

  protected override rebuild(): void {
    const set = this.set;
    const M = this.#size;
    const slots = set.sortedSlots().filter((s) => set.weight[s]! > 0);
    const n = slots.length;
    if (n >= M) {
      throw new RangeError(
        `Expected \`tableSize\` (${M}) to be larger than the number of nodes (${n})`,
      );
    }
    const wide = set.capacity > 0xfffe;
    if (this.#table.length !== M || wide !== this.#table instanceof Uint32Array) {
      this.#table = wide ? new Uint32Array(M) : new Uint16Array(M);
    }
    const empty = wide ? 0xffffffff : 0xffff;
    this.#empty = empty;
    const table = this.#table.fill(empty);
    if (n === 0) return;
    const next = new Float64Array(n);
    const skip = new Float64Array(n);
    const turns = new Float64Array(n);
    const share = new Float64Array(n);
    let maxWeight = 0;
    for (const s of slots) maxWeight = Math.max(maxWeight, set.weight[s]!);
    for (let i = 0; i < n; i++) {
      const s = slots[i]!;
      mix(set.ids[s]!, this.#seed);
      next[i] = lastA() % M;
      skip[i] = (lastB() % (M - 1)) + 1;
      share[i] = set.weight[s]! / maxWeight;
    }
    let filled = 0;
    for (let round = 1; filled < M; round++) {
      for (let i = 0; i < n && filled < M; i++) {
        // Envoy's weighted turns: node i claims an entry while its claims trail round × share.
        if (turns[i]! >= round * share[i]!) continue;
        let c = next[i]!;
        while (table[c] !== empty) {
          c += skip[i]!;
          if (c >= M) c -= M;
        }
        table[c] = slots[i]!;
        c += skip[i]!;
        next[i] = c >= M ? c - M : c;
        turns[i]!++;
        filled++;
      }
    }
  }

  /** Follows the key's own permutation of the table (M prime: it visits every entry). */
  #probe(a: number, b: number): number {
    const M = this.#size;
    const ok = this.set.ok;
    const step = (b % (M - 1)) + 1;
    let c = a % M;
    for (let i = 0; i < M; i++) {
      const s = this.#table[c]!;
      if (s !== this.#empty && ok[s] === 1) return s;
      c += step;
      if (c >= M) c -= M;
    }
    return this.set.fail();
  }
}

function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}
