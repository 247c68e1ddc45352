/**
 * The internal iterator contract every sorted source implements (memtable, table, level,
 * merge). Entries are internal entries: a user key, a sequence number and a kind, ordered by
 * user key ascending (unsigned bytes), then sequence number descending — newest version first.
 *
 * Two seek primitives cover every range bound: `seekGE(k, s)` lands on the first entry
 * ≥ (k, s) and `seekLT(k, s)` on the last entry < (k, s). With s = +∞ the pair means "user key
 * ≥ k" / "user key < k"; with s = -1, "user key > k" / "user key ≤ k".
 */
import { compareBytes } from './coding.js';

export const KIND_DELETE = 0;
export const KIND_PUT = 1;

/** Sequence sentinels for the seek primitives above. */
export const SEQ_MAX = Number.POSITIVE_INFINITY;
export const SEQ_MIN = -1;

export interface InternalIterator {
  valid: boolean;
  key: Uint8Array;
  seq: number;
  kind: number;
  value: Uint8Array;
  first(): void;
  last(): void;
  seekGE(key: Uint8Array, seq: number): void;
  seekLT(key: Uint8Array, seq: number): void;
  next(): void;
  prev(): void;
}

/** Internal-key order: user key ascending, then sequence descending. */
export function compareInternal(
  aKey: Uint8Array,
  aSeq: number,
  bKey: Uint8Array,
  bSeq: number,
): number {
  const c = compareBytes(aKey, bKey);
  if (c !== 0) return c;
  return aSeq > bSeq ? -1 : aSeq < bSeq ? 1 : 0;
}

const EMPTY = new Uint8Array(0);

/**
 * Merges child iterators into one sorted stream with a binary heap (min-heap forward, max-heap
 * in reverse). The direction is fixed for the life of the iterator — a user iterator is either
 * forward or reverse — which removes LevelDB's direction-switching logic.
 */
export class MergingIterator implements InternalIterator {
  valid = false;
  key: Uint8Array = EMPTY;
  seq = 0;
  kind = 0;
  value: Uint8Array = EMPTY;
  readonly #children: InternalIterator[];
  /** Heap of indexes into #children; only valid children are in it. */
  readonly #heap: Int32Array;
  #size = 0;
  /** +1 forward (min-heap), -1 reverse (max-heap). */
  readonly #sign: number;

  constructor(children: InternalIterator[], reverse: boolean) {
    this.#children = children;
    this.#heap = new Int32Array(children.length);
    this.#sign = reverse ? -1 : 1;
  }

  first(): void {
    for (const c of this.#children) c.first();
    this.#rebuild();
  }

  last(): void {
    for (const c of this.#children) c.last();
    this.#rebuild();
  }

  seekGE(key: Uint8Array, seq: number): void {
    for (const c of this.#children) c.seekGE(key, seq);
    this.#rebuild();
  }

  seekLT(key: Uint8Array, seq: number): void {
    for (const c of this.#children) c.seekLT(key, seq);
    this.#rebuild();
  }

  /** Advances in the iterator's direction (forward: next; reverse: prev). */
  next(): void {
    const top = this.#children[this.#heap[0]!]!;
    if (this.#sign > 0) top.next();
    else top.prev();
    if (!top.valid) this.#heap[0] = this.#heap[--this.#size]!;
    this.#down(0);
    this.#load();
  }

  prev(): void {
    this.next();
  }

  #less(i: number, j: number): boolean {
    const a = this.#children[i]!;
    const b = this.#children[j]!;
    return this.#sign * compareInternal(a.key, a.seq, b.key, b.seq) < 0;
  }

  #rebuild(): void {
    this.#size = 0;
    for (let i = 0; i < this.#children.length; i++) {
      if (this.#children[i]!.valid) this.#heap[this.#size++] = i;
    }
    for (let i = (this.#size >> 1) - 1; i >= 0; i--) this.#down(i);
    this.#load();
  }

  #down(i: number): void {
    const h = this.#heap;
    const n = this.#size;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) return;
      let m = l;
      if (l + 1 < n && this.#less(h[l + 1]!, h[l]!)) m = l + 1;
      if (!this.#less(h[m]!, h[i]!)) return;
      const t = h[i]!;
      h[i] = h[m]!;
      h[m] = t;
      i = m;
    }
  }

  #load(): void {
    if (this.#size === 0) {
      this.valid = false;
      return;
    }
    const c = this.#children[this.#heap[0]!]!;
    this.valid = true;
    this.key = c.key;
    this.seq = c.seq;
    this.kind = c.kind;
    this.value = c.value;
  }
}
