// Yardstick policies for the hit-rate tables, written for clarity rather than speed. Each
// speaks the bench's cache-aside shape: get(key) → value | undefined, then set(key) on a miss.

/** Exact LRU on a Map (insertion order = recency). */
export class ExactLru {
  readonly #map = new Map<number, number>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get(key: number): number | undefined {
    const value = this.#map.get(key);
    if (value !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, value);
    }
    return value;
  }

  set(key: number, value: number): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.#capacity) this.#map.delete(this.#map.keys().next().value!);
  }
}

/**
 * ARC, as in N. Megiddo and D. S. Modha, "ARC: A Self-Tuning, Low Overhead Replacement
 * Cache", USENIX FAST 2003 (Fig. 4): T1/T2 resident (seen once / at least twice), B1/B2 their
 * ghost lists, and the target size p of T1 adapted by ghost hits.
 */
export class Arc {
  readonly #t1 = new Map<number, number>();
  readonly #t2 = new Map<number, number>();
  readonly #b1 = new Set<number>();
  readonly #b2 = new Set<number>();
  readonly #c: number;
  #p = 0;

  constructor(capacity: number) {
    this.#c = capacity;
  }

  get(key: number): number | undefined {
    let value = this.#t1.get(key);
    if (value !== undefined) {
      this.#t1.delete(key);
      this.#t2.set(key, value);
      return value;
    }
    value = this.#t2.get(key);
    if (value !== undefined) {
      this.#t2.delete(key);
      this.#t2.set(key, value);
    }
    return value;
  }

  set(key: number, value: number): void {
    const c = this.#c;
    if (this.#b1.has(key)) {
      this.#p = Math.min(c, this.#p + Math.max(this.#b2.size / this.#b1.size, 1));
      this.#replace(false);
      this.#b1.delete(key);
      this.#t2.set(key, value);
      return;
    }
    if (this.#b2.has(key)) {
      this.#p = Math.max(0, this.#p - Math.max(this.#b1.size / this.#b2.size, 1));
      this.#replace(true);
      this.#b2.delete(key);
      this.#t2.set(key, value);
      return;
    }
    const l1 = this.#t1.size + this.#b1.size;
    if (l1 === c) {
      if (this.#t1.size < c) {
        this.#b1.delete(this.#b1.values().next().value!);
        this.#replace(false);
      } else {
        this.#t1.delete(this.#t1.keys().next().value!);
      }
    } else {
      const total = l1 + this.#t2.size + this.#b2.size;
      if (total >= c) {
        if (total === 2 * c) this.#b2.delete(this.#b2.values().next().value!);
        this.#replace(false);
      }
    }
    this.#t1.set(key, value);
  }

  #replace(inB2: boolean): void {
    const t1 = this.#t1.size;
    if (t1 > 0 && (t1 > this.#p || (inB2 && t1 === this.#p))) {
      const old = this.#t1.keys().next().value!;
      this.#t1.delete(old);
      this.#b1.add(old);
    } else if (this.#t2.size > 0) {
      const old = this.#t2.keys().next().value!;
      this.#t2.delete(old);
      this.#b2.add(old);
    }
  }
}

/**
 * Bélády's OPT (MIN): on a miss with a full cache, evict the resident key whose next use is
 * farthest away. Needs the whole trace in advance; an indexed max-heap on next-use times.
 * Returns the hit count of a demand-fill replay.
 */
export function optHits(trace: Int32Array, unique: number, capacity: number): number {
  const n = trace.length;
  const nextUse = new Int32Array(n);
  const last = new Int32Array(unique).fill(n); // n = never again
  for (let i = n - 1; i >= 0; i--) {
    const k = trace[i]!;
    nextUse[i] = last[k]!;
    last[k] = i;
  }
  // Max-heap of resident keys by their next use.
  const heap = new Int32Array(capacity);
  const when = new Int32Array(unique);
  const pos = new Int32Array(unique).fill(-1);
  let size = 0;
  const swap = (a: number, b: number) => {
    const ka = heap[a]!;
    const kb = heap[b]!;
    heap[a] = kb;
    heap[b] = ka;
    pos[kb] = a;
    pos[ka] = b;
  };
  const up = (i: number) => {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (when[heap[parent]!]! >= when[heap[i]!]!) break;
      swap(i, parent);
      i = parent;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let big = i;
      if (l < size && when[heap[l]!]! > when[heap[big]!]!) big = l;
      if (r < size && when[heap[r]!]! > when[heap[big]!]!) big = r;
      if (big === i) return;
      swap(i, big);
      i = big;
    }
  };
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const k = trace[i]!;
    const p = pos[k]!;
    if (p >= 0) {
      hits++;
      when[k] = nextUse[i]!;
      up(p);
      down(pos[k]!);
      continue;
    }
    if (size === capacity) {
      const victim = heap[0]!;
      pos[victim] = -1;
      size--;
      if (size > 0) {
        heap[0] = heap[size]!;
        pos[heap[0]!] = 0;
        down(0);
      }
    }
    when[k] = nextUse[i]!;
    heap[size] = k;
    pos[k] = size;
    size++;
    up(size - 1);
  }
  return hits;
}
