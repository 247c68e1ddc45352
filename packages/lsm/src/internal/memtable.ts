/**
 * The memtable: a skip list of internal entries (user key, sequence, kind, value), ordered by
 * user key ascending then sequence descending, so the newest version of a key comes first and
 * a read at snapshot `s` takes the first entry with sequence ≤ s.
 *
 * Provenance: W. Pugh, "Skip Lists: A Probabilistic Alternative to Balanced Trees" (1990), in
 * the shape of LevelDB's `db/skiplist.h` — branching factor 4, maximum height 12, no deletion
 * (a delete is a tombstone entry), no back pointers (`prev` re-searches from the head in
 * O(log n), as LevelDB does).
 *
 * Keys and values are copied into 1 MiB arena chunks, so the table holds a few large
 * allocations instead of two small ones per write.
 */
import { compareBytes } from './coding.js';
import { compareInternal, type InternalIterator, KIND_PUT } from './iterator.js';

const MAX_HEIGHT = 12;
/** Each level holds about 1/BRANCHING of the nodes of the level below. */
const BRANCHING = 4;
const ARENA_CHUNK = 1 << 20;
/** Per-entry bookkeeping counted against `writeBufferSize`: node object, links, views. */
const NODE_OVERHEAD = 64;

class Node {
  readonly key: Uint8Array;
  readonly seq: number;
  readonly kind: number;
  readonly value: Uint8Array;
  readonly next: (Node | null)[];

  constructor(key: Uint8Array, seq: number, kind: number, value: Uint8Array, height: number) {
    this.key = key;
    this.seq = seq;
    this.kind = kind;
    this.value = value;
    this.next = new Array<Node | null>(height).fill(null);
  }
}

const EMPTY = new Uint8Array(0);

export class MemTable {
  readonly #head = new Node(EMPTY, 0, 0, EMPTY, MAX_HEIGHT);
  #height = 1;
  /** xorshift32 state for node heights; a fixed seed keeps runs reproducible. */
  #rand = 0x2545f491;
  /** Search path scratch, reused by every insert. */
  readonly #prev: Node[] = new Array<Node>(MAX_HEIGHT).fill(this.#head);
  #arena = new Uint8Array(ARENA_CHUNK);
  #arenaPos = 0;
  /** Approximate memory held, compared against `writeBufferSize`. */
  bytes = 0;
  count = 0;
  /** The log file whose records this memtable holds (deleted once it is flushed). */
  readonly logNumber: number;

  constructor(logNumber: number) {
    this.logNumber = logNumber;
  }

  #copy(src: Uint8Array): Uint8Array {
    const n = src.length;
    if (n > ARENA_CHUNK >> 2) return src.slice();
    if (this.#arenaPos + n > ARENA_CHUNK) {
      this.#arena = new Uint8Array(ARENA_CHUNK);
      this.#arenaPos = 0;
    }
    const at = this.#arenaPos;
    this.#arena.set(src, at);
    this.#arenaPos = at + n;
    return this.#arena.subarray(at, at + n);
  }

  #randomHeight(): number {
    let h = 1;
    let x = this.#rand;
    for (;;) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      if (h >= MAX_HEIGHT || (x >>> 0) % BRANCHING !== 0) break;
      h++;
    }
    this.#rand = x;
    return h;
  }

  /** Inserts a version. (key, seq) pairs are unique: sequence numbers are never reused. */
  add(seq: number, kind: number, key: Uint8Array, value: Uint8Array): void {
    const prev = this.#prev;
    let x = this.#head;
    for (let level = this.#height - 1; level >= 0; level--) {
      for (;;) {
        const n = x.next[level]!;
        if (n === null || compareInternal(n.key, n.seq, key, seq) >= 0) break;
        x = n;
      }
      prev[level] = x;
    }
    const height = this.#randomHeight();
    if (height > this.#height) {
      for (let i = this.#height; i < height; i++) prev[i] = this.#head;
      this.#height = height;
    }
    const node = new Node(
      this.#copy(key),
      seq,
      kind,
      kind === KIND_PUT ? this.#copy(value) : EMPTY,
      height,
    );
    for (let i = 0; i < height; i++) {
      node.next[i] = prev[i]!.next[i]!;
      prev[i]!.next[i] = node;
    }
    this.bytes += key.length + value.length + NODE_OVERHEAD;
    this.count++;
  }

  /** First node ≥ (key, seq), or null. */
  seekNode(key: Uint8Array, seq: number): Node | null {
    let x = this.#head;
    for (let level = this.#height - 1; level >= 0; level--) {
      for (;;) {
        const n = x.next[level]!;
        if (n === null || compareInternal(n.key, n.seq, key, seq) >= 0) break;
        x = n;
      }
    }
    return x.next[0]!;
  }

  /** Last node < (key, seq), or null (the head). */
  lastBefore(key: Uint8Array | null, seq: number): Node | null {
    let x = this.#head;
    for (let level = this.#height - 1; level >= 0; level--) {
      for (;;) {
        const n = x.next[level]!;
        if (n === null || (key !== null && compareInternal(n.key, n.seq, key, seq) >= 0)) break;
        x = n;
      }
    }
    return x === this.#head ? null : x;
  }

  /**
   * The newest version of `key` visible at `seq`: the node, or null when the memtable has no
   * version of the key at or below `seq`. The caller checks `kind` for a tombstone.
   */
  get(key: Uint8Array, seq: number): Node | null {
    const n = this.seekNode(key, seq);
    return n !== null && compareBytes(n.key, key) === 0 ? n : null;
  }

  first(): Node | null {
    return this.#head.next[0]!;
  }

  iterator(): MemTableIterator {
    return new MemTableIterator(this);
  }
}

export type { Node as MemNode };

export class MemTableIterator implements InternalIterator {
  valid = false;
  key: Uint8Array = EMPTY;
  seq = 0;
  kind = 0;
  value: Uint8Array = EMPTY;
  readonly #table: MemTable;
  #node: Node | null = null;

  constructor(table: MemTable) {
    this.#table = table;
  }

  #set(n: Node | null): void {
    this.#node = n;
    if (n === null) {
      this.valid = false;
      return;
    }
    this.valid = true;
    this.key = n.key;
    this.seq = n.seq;
    this.kind = n.kind;
    this.value = n.value;
  }

  first(): void {
    this.#set(this.#table.first());
  }

  last(): void {
    this.#set(this.#table.lastBefore(null, 0));
  }

  seekGE(key: Uint8Array, seq: number): void {
    this.#set(this.#table.seekNode(key, seq));
  }

  seekLT(key: Uint8Array, seq: number): void {
    this.#set(this.#table.lastBefore(key, seq));
  }

  next(): void {
    this.#set(this.#node!.next[0]!);
  }

  prev(): void {
    const n = this.#node!;
    this.#set(this.#table.lastBefore(n.key, n.seq));
  }
}
