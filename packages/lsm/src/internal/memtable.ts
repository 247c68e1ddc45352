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
import { type InternalIterator, KIND_PUT } from './iterator.js';

/**
 * Keys are also kept as Latin-1 strings (one char per byte, so string order is unsigned-byte
 * order): V8 compares flat one-byte strings natively instead of a JavaScript byte loop. The
 * skip list's comparisons dominated the CPU profile of inserts; measured in process CPU time
 * (the shared box was too loaded for wall-clock figures), 20 000 16-byte keys sharing an
 * 11-byte prefix: inserts ~1.6× and memtable gets ~2.5× cheaper. One conversion per operation.
 */
const latin1 = Buffer.prototype.latin1Slice as unknown as (
  this: Uint8Array,
  start: number,
  end: number,
) => string;

export function latin1Key(key: Uint8Array): string {
  return latin1.call(key, 0, key.length);
}

/** Internal-key order over (Latin-1 key, sequence): key ascending, sequence descending. */
function compareNode(n: Node, skey: string, seq: number): number {
  const k = n.skey;
  if (k !== skey) return k < skey ? -1 : 1;
  return n.seq > seq ? -1 : n.seq < seq ? 1 : 0;
}

const MAX_HEIGHT = 12;
/** Each level holds about 1/BRANCHING of the nodes of the level below. */
const BRANCHING = 4;
const ARENA_CHUNK = 1 << 20;
/** Per-entry bookkeeping counted against `writeBufferSize`: node object, links, views. */
const NODE_OVERHEAD = 64;

/**
 * A skip-list node. Key and value bytes live in the memtable's arena chunks and are addressed
 * by offset: a node lives until its memtable is flushed, so every object it holds survives
 * young-generation collections and is copied; two typed-array views per entry made up most of
 * that (the fill profile). Views are made on demand by `key`/`value`, short-lived.
 */
class Node {
  readonly keyBytes: Uint8Array;
  readonly keyOff: number;
  readonly keyLen: number;
  readonly valueBytes: Uint8Array;
  readonly valueOff: number;
  readonly valueLen: number;
  /** The key as a Latin-1 string, the comparison key. */
  readonly skey: string;
  readonly seq: number;
  readonly kind: number;
  readonly next: (Node | null)[];

  constructor(
    keyBytes: Uint8Array,
    keyOff: number,
    keyLen: number,
    valueBytes: Uint8Array,
    valueOff: number,
    valueLen: number,
    skey: string,
    seq: number,
    kind: number,
    height: number,
  ) {
    this.keyBytes = keyBytes;
    this.keyOff = keyOff;
    this.keyLen = keyLen;
    this.valueBytes = valueBytes;
    this.valueOff = valueOff;
    this.valueLen = valueLen;
    this.skey = skey;
    this.seq = seq;
    this.kind = kind;
    this.next = new Array<Node | null>(height).fill(null);
  }

  get key(): Uint8Array {
    return this.keyBytes.subarray(this.keyOff, this.keyOff + this.keyLen);
  }

  get value(): Uint8Array {
    return this.valueBytes.subarray(this.valueOff, this.valueOff + this.valueLen);
  }
}

const EMPTY = new Uint8Array(0);

export class MemTable {
  readonly #head = new Node(EMPTY, 0, 0, EMPTY, 0, 0, '', 0, 0, MAX_HEIGHT);
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

  /** The chunk and offset `#copy` placed its bytes at (a value too large gets a chunk of its own). */
  #copiedTo: Uint8Array = EMPTY;
  #copiedAt = 0;

  #copy(src: Uint8Array): void {
    const n = src.length;
    if (n > ARENA_CHUNK >> 2) {
      this.#copiedTo = src.slice();
      this.#copiedAt = 0;
      return;
    }
    if (this.#arenaPos + n > ARENA_CHUNK) {
      this.#arena = new Uint8Array(ARENA_CHUNK);
      this.#arenaPos = 0;
    }
    const at = this.#arenaPos;
    this.#arena.set(src, at);
    this.#arenaPos = at + n;
    this.#copiedTo = this.#arena;
    this.#copiedAt = at;
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
    const skey = latin1Key(key);
    this.#search(skey, seq, prev);
    const height = this.#randomHeight();
    if (height > this.#height) {
      for (let i = this.#height; i < height; i++) prev[i] = this.#head;
      this.#height = height;
    }
    this.#copy(key);
    const keyBytes = this.#copiedTo;
    const keyOff = this.#copiedAt;
    let valueBytes: Uint8Array = EMPTY;
    let valueOff = 0;
    if (kind === KIND_PUT) {
      this.#copy(value);
      valueBytes = this.#copiedTo;
      valueOff = this.#copiedAt;
    }
    const node = new Node(
      keyBytes,
      keyOff,
      key.length,
      valueBytes,
      valueOff,
      kind === KIND_PUT ? value.length : 0,
      skey,
      seq,
      kind,
      height,
    );
    for (let i = 0; i < height; i++) {
      node.next[i] = prev[i]!.next[i]!;
      prev[i]!.next[i] = node;
    }
    this.bytes += 2 * key.length + value.length + NODE_OVERHEAD;
    this.count++;
  }

  /**
   * Finds the first node ≥ (key, seq); with `prev`, also records the last node before it at
   * every level (the insertion points). LevelDB's trick: a node already found ≥ the target at
   * a higher level is not compared again when the search meets it on the way down.
   */
  #search(skey: string, seq: number, prev: Node[] | null): Node | null {
    let x = this.#head;
    let bound: Node | null = null;
    for (let level = this.#height - 1; level >= 0; level--) {
      for (;;) {
        const n = x.next[level]!;
        if (n === null || n === bound || compareNode(n, skey, seq) >= 0) {
          bound = n;
          break;
        }
        x = n;
      }
      if (prev !== null) prev[level] = x;
    }
    return x.next[0]!;
  }

  /** First node ≥ (key, seq), or null. */
  seekNode(key: Uint8Array, seq: number): Node | null {
    return this.#search(latin1Key(key), seq, null);
  }

  /** Last node < (key, seq), or null (the head). */
  lastBefore(key: Uint8Array | string | null, seq: number): Node | null {
    const skey = key === null || typeof key === 'string' ? key : latin1Key(key);
    let x = this.#head;
    for (let level = this.#height - 1; level >= 0; level--) {
      for (;;) {
        const n = x.next[level]!;
        if (n === null || (skey !== null && compareNode(n, skey, seq) >= 0)) break;
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
    if (this.count === 0) return null;
    const skey = latin1Key(key);
    const n = this.#search(skey, seq, null);
    return n !== null && n.skey === skey ? n : null;
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
    this.#set(this.#table.lastBefore(n.skey, n.seq));
  }
}
