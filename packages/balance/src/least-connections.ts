import { grow } from './internal/node-set.js';
import { StatefulBalancer } from './stateful-balancer.js';
import type { NodeInput, RequestOptions } from './types.js';

/**
 * Least connections: the available node with the fewest requests in flight per unit of weight,
 * the least recently picked one on ties (so an idle cluster still rotates). Selection is the
 * root of an indexed binary min-heap, O(1); pick and release each restore the heap with one
 * O(log n) sift. No lock, no scan, and counts cannot leak: they are released through the
 * `Handle`, exactly once.
 *
 *   heap:  [s3, s0, s2, s1]     heap[i] = slot; children of i at 2i+1, 2i+2
 *   pos:   s0→1  s1→3  s2→2  s3→0      pos[slot] = index in heap, -1 when not in it
 *
 * Invariant: the heap holds exactly the usable slots, each parent ≤ its children by
 * (active / weight, last pick). The weight is the effective one: with `slowStart`, a ramping
 * node's weight moves with the clock, and each pick re-sifts the ramping slots (O(k log n) for
 * k of them) before reading the root.
 */
export class LeastConnections extends StatefulBalancer {
  #heap = new Int32Array(0);
  #size = 0;
  #pos = new Int32Array(0);
  /** Pick sequence number per slot: the tie-breaker. */
  #seq = new Float64Array(0);
  #tick = 0;
  #inverseWeight = new Float64Array(0);

  readonly #reweigh = (s: number): void => {
    this.#inverseWeight[s] = 1 / this.set.effective[s]!;
    const i = this.#pos[s]!;
    if (i < 0) return;
    this.#up(i);
    this.#down(this.#pos[s]!);
  };

  constructor(nodes: Iterable<NodeInput> = [], options?: RequestOptions) {
    super(options);
    this.init(nodes);
  }

  protected override choose(): number {
    const set = this.set;
    if (set.degraded) this.recover();
    if (set.warming.length !== 0) set.ramp(set.now(), this.#reweigh);
    return this.#heap[0]!;
  }

  protected override acquired(s: number): void {
    this.#seq[s] = ++this.#tick;
    this.#down(this.#pos[s]!);
  }

  protected override released(s: number): void {
    const i = this.#pos[s]!;
    if (i >= 0) this.#up(i);
  }

  protected override reset(s: number): void {
    super.reset(s);
    const capacity = this.set.capacity;
    this.#seq = grow(this.#seq, capacity);
    this.#inverseWeight = grow(this.#inverseWeight, capacity);
    this.#seq[s] = 0;
  }

  protected override rebuild(): void {
    const set = this.set;
    const slots = set.usableSlots();
    if (this.#heap.length < set.capacity) {
      this.#heap = new Int32Array(set.capacity);
      this.#pos = new Int32Array(set.capacity);
    }
    this.#pos.fill(-1);
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i]!;
      this.#heap[i] = s;
      this.#pos[s] = i;
      this.#inverseWeight[s] = 1 / set.effective[s]!;
    }
    this.#size = slots.length;
    for (let i = (this.#size >> 1) - 1; i >= 0; i--) this.#down(i);
  }

  protected override healthChanged(): void {
    this.rebuild();
  }

  #less(a: number, b: number): boolean {
    const la = this.active[a]! * this.#inverseWeight[a]!;
    const lb = this.active[b]! * this.#inverseWeight[b]!;
    return la < lb || (la === lb && this.#seq[a]! < this.#seq[b]!);
  }

  #up(i: number): void {
    const heap = this.#heap;
    const s = heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!this.#less(s, p)) break;
      heap[i] = p;
      this.#pos[p] = i;
      i = parent;
    }
    heap[i] = s;
    this.#pos[s] = i;
  }

  #down(i: number): void {
    const heap = this.#heap;
    const size = this.#size;
    const s = heap[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && this.#less(heap[child + 1]!, heap[child]!)) child++;
      const c = heap[child]!;
      if (!this.#less(c, s)) break;
      heap[i] = c;
      this.#pos[c] = i;
      i = child;
    }
    heap[i] = s;
    this.#pos[s] = i;
  }
}
