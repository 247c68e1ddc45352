import { Balancer } from './balancer.js';
import { lastA, lastB, mix } from './hash.js';
import { fill } from './internal/maglev-fill.js';
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
 * A change of membership or weight refills the table from per-node state kept between builds
 * (each node's permutation hashed once when it joins, the id order kept sorted, typed-array
 * cursors reused; src/internal/maglev-fill.ts): 1.3–1.7 ms of CPU for M = 65537 at 10 to 1000
 * nodes, 2.2–2.7× less than 0.1.0's rebuild, and exactly its table (see the README's
 * Performance section). The fill itself is always replayed: the turns interleave, so one node
 * more or less shifts every later claim of the nodes it meets, and an exact update could copy
 * at most 0.6 % (10 nodes) to 48 % (1000) of it, measured. Keys besides the removed node's
 * move with it (1.0× the ideal at 10 nodes, ~7× at 1000: the paper's "minimal disruption" is
 * approximate). An unavailable node's keys probe onward along a
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
  /** Per slot: where the node's permutation starts, and its stride (`skip`); set on join. */
  #offset = new Int32Array(0);
  #skip = new Int32Array(0);
  /** Live slots in id order, as of the last build (removed slots are dropped lazily). */
  readonly #sorted: number[] = [];
  /** Slots that joined since the last build. */
  readonly #joined: number[] = [];
  /** Per node of the current fill (weight > 0, id order): cursor, stride, slot, share, turns. */
  #next = new Int32Array(0);
  #step = new Int32Array(0);
  #slots = new Int32Array(0);
  #share = new Float64Array(0);
  #turns = new Float64Array(0);
  /** What the current table was filled from: node count, and per node its slot, gen, share. */
  #builtN = -1;
  #builtSlots = new Int32Array(0);
  #builtGen = new Uint32Array(0);
  #builtShare = new Float64Array(0);

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

  /**
   * A change of membership or weight: the per-node state a fill needs is kept between builds,
   * so only the fill itself is redone. Each slot's permutation (`offset`, `skip`: two hashes of
   * its id) is computed once when the node joins; the id order is kept sorted (a joining node is
   * inserted, a removed one dropped, instead of sorting every id again); cursors and turn
   * counters live in typed arrays reused across builds. The fill is replayed in full because
   * an exact table cannot skip any part of it: the changed node's first claim is in round 1,
   * and every node whose permutation meets one of its entries diverges from there (see the
   * README's *Maglev table updates* for the measured bound).
   */
  protected override rebuild(): void {
    const set = this.set;
    const M = this.#size;
    const sorted = this.#order();
    const weight = set.weight;
    let n = 0;
    let maxWeight = 0;
    let minWeight = Infinity;
    for (const s of sorted) {
      const w = weight[s]!;
      if (w <= 0) continue;
      n++;
      if (w > maxWeight) maxWeight = w;
      if (w < minWeight) minWeight = w;
    }
    if (n >= M) {
      throw new RangeError(
        `Expected \`tableSize\` (${M}) to be larger than the number of nodes (${n})`,
      );
    }
    const wide = set.capacity > 0xfffe;
    let same = n === this.#builtN;
    if (this.#table.length !== M || wide !== this.#table instanceof Uint32Array) {
      this.#table = wide ? new Uint32Array(M) : new Uint16Array(M);
      same = false;
    }
    this.#empty = wide ? 0xffffffff : 0xffff;
    if (n === 0) {
      this.#table.fill(this.#empty);
      this.#builtN = 0;
      return;
    }
    if (this.#next.length < n) this.#growFill(n);
    const next = this.#next;
    const step = this.#step;
    const slots = this.#slots;
    const share = this.#share;
    let i = 0;
    for (const s of sorted) {
      const w = weight[s]!;
      if (w <= 0) continue;
      next[i] = this.#offset[s]!;
      step[i] = this.#skip[s]!;
      slots[i] = s;
      share[i] = w / maxWeight;
      i++;
    }
    // The fill depends only on the nodes taking part, in id order, and their shares. A change
    // that leaves those as they were (a node of weight 0 joins or leaves, a weight set to what
    // it was, a refused join undone) leaves the table as it is.
    const gen = set.gen;
    const builtSlots = this.#builtSlots;
    const builtGen = this.#builtGen;
    const builtShare = this.#builtShare;
    for (let j = 0; same && j < n; j++) {
      const s = slots[j]!;
      same = s === builtSlots[j] && gen[s] === builtGen[j] && share[j] === builtShare[j];
    }
    if (same) return;
    fill(this.#table, M, n, next, step, slots, minWeight === maxWeight ? null : share, this.#turns);
    for (let j = 0; j < n; j++) {
      const s = slots[j]!;
      builtSlots[j] = s;
      builtGen[j] = gen[s]!;
      builtShare[j] = share[j]!;
    }
    this.#builtN = n;
  }

  /** A node joined in slot `s`: its permutation, from two hashes of its id, computed once. */
  protected override reset(s: number): void {
    if (this.#offset.length <= s) {
      const capacity = Math.max(this.set.capacity, s + 1);
      const offset = new Int32Array(capacity);
      const skip = new Int32Array(capacity);
      offset.set(this.#offset);
      skip.set(this.#skip);
      this.#offset = offset;
      this.#skip = skip;
    }
    const M = this.#size;
    mix(this.set.ids[s]!, this.#seed);
    this.#offset[s] = lastA() % M;
    this.#skip[s] = (lastB() % (M - 1)) + 1;
    this.#joined.push(s);
  }

  /**
   * Live slots sorted by id (the fill's order, so that the table depends only on the set):
   * drops slots whose node left and merges those that joined since the last build.
   */
  #order(): number[] {
    const ids = this.set.ids;
    const sorted = this.#sorted;
    let kept = 0;
    for (const s of sorted) if (ids[s] !== undefined) sorted[kept++] = s;
    sorted.length = kept;
    const joined = this.#joined;
    if (joined.length === 1) {
      // One join (the common change): binary search for its place, O(log n) comparisons.
      const s = joined[0]!;
      const id = ids[s]!;
      let lo = 0;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (ids[sorted[mid]!]! < id) lo = mid + 1;
        else hi = mid;
      }
      sorted.splice(lo, 0, s);
    } else if (joined.length > 1) {
      for (const s of joined) sorted.push(s);
      sorted.sort((a, b) => (ids[a]! < ids[b]! ? -1 : 1));
    }
    joined.length = 0;
    return sorted;
  }

  #growFill(n: number): void {
    const capacity = Math.max(n, this.#next.length * 2);
    this.#next = new Int32Array(capacity);
    this.#step = new Int32Array(capacity);
    this.#slots = new Int32Array(capacity);
    this.#share = new Float64Array(capacity);
    this.#turns = new Float64Array(capacity);
    this.#builtSlots = new Int32Array(capacity);
    this.#builtGen = new Uint32Array(capacity);
    this.#builtShare = new Float64Array(capacity);
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
