/**
 * Table blocks: a builder with prefix compression and restart points, a reader that searches a
 * block's bytes in place, and the decoded form kept for index blocks.
 *
 * Block layout (LevelDB's `table/block_builder.cc`, with the sequence and kind in a varint tag
 * instead of an 8-byte internal-key suffix):
 *
 * ```
 *  entry: shared varint | unshared varint | valueLength varint | tag varint | key delta | value
 *         tag = sequence · 2 + kind (kind 0 = tombstone, 1 = value)
 *  ... entries, a restart point (shared = 0, full key) every RESTART_INTERVAL entries ...
 *  restart offsets: u32le × R | R: u32le
 * ```
 *
 * On disk each block is followed by its trailer (codec and checksum, see table.ts). A data
 * block read from disk is checked once and cached as those bytes ({@link Block}); a lookup
 * binary-searches the restart points — their keys are stored whole, so they are compared in
 * place — and then decodes forward from one restart point only the entries it passes, at most
 * RESTART_INTERVAL, into a reusable cursor ({@link BlockCursor}). Index blocks, resident for a
 * table's lifetime and searched on every read, are decoded once into flat typed arrays
 * ({@link DecodedBlock}).
 */
import { CorruptionError } from '../errors.js';
import { ByteSink, getU32, getVarint, VARINT } from './coding.js';

const NO_BYTES = new Uint8Array(0);

/** Entries between restart points; LevelDB's default, a balance of size and seek cost. */
export const RESTART_INTERVAL = 16;

export class BlockBuilder {
  readonly sink = new ByteSink(8192);
  #restarts: number[] = [0];
  #counter = 0;
  #last = new ByteSink(64);
  entries = 0;

  /** Appends an entry; entries must arrive in internal-key order. */
  add(key: Uint8Array, seq: number, kind: number, value: Uint8Array): void {
    let shared = 0;
    if (this.#counter < RESTART_INTERVAL) {
      const last = this.#last.buf;
      const max = Math.min(this.#last.len, key.length);
      while (shared < max && last[shared] === key[shared]) shared++;
    } else {
      this.#restarts.push(this.sink.len);
      this.#counter = 0;
    }
    const s = this.sink;
    s.varint(shared);
    s.varint(key.length - shared);
    s.varint(value.length);
    s.varint(seq * 2 + kind);
    s.bytes(key, shared);
    s.bytes(value);
    this.#last.reset();
    this.#last.bytes(key);
    this.#counter++;
    this.entries++;
  }

  /** Size the block will have once finished. */
  estimate(): number {
    return this.sink.len + this.#restarts.length * 4 + 4;
  }

  /** Appends the restart array; the returned view is valid until `reset()`. */
  finish(): Uint8Array {
    for (const r of this.#restarts) this.sink.u32(r);
    this.sink.u32(this.#restarts.length);
    return this.sink.view();
  }

  reset(): void {
    this.sink.reset();
    this.#restarts = [0];
    this.#counter = 0;
    this.#last.reset();
    this.entries = 0;
  }
}

/**
 * A data block's verified bytes, as the block cache holds them. The restart array is checked
 * when the block is made; entries are checked as a cursor decodes them.
 */
export class Block {
  /** The bytes, as a plain Uint8Array view: its `subarray` is the engine's, not Buffer's. */
  readonly data: Uint8Array;
  /** End of the entries: where the restart array starts. */
  readonly limit: number;
  readonly numRestarts: number;
  /** Bytes charged against the cache budget. */
  readonly charge: number;
  /** For error reports: the table file and the block's offset in it. */
  readonly file: string;
  readonly offset: number;
  // Block-cache bookkeeping (see BlockCache): LRU neighbours and the table slot holding it.
  newer: Block | null = null;
  older: Block | null = null;
  slots: (Block | null)[] | null = null;
  slot = 0;
  /**
   * Set once an iterator has seen this block: its keys and values may then be held past any
   * later lookup, so its memory is never recycled when it is evicted (see BlockCache#take).
   */
  shared = false;

  private constructor(
    data: Uint8Array,
    limit: number,
    numRestarts: number,
    file: string,
    offset: number,
  ) {
    this.data = data;
    this.limit = limit;
    this.numRestarts = numRestarts;
    this.charge = data.buffer.byteLength + 160;
    this.file = file;
    this.offset = offset;
  }

  /** Checks the restart array of `data`; returns the defect as a string when malformed. */
  static from(bytes: Uint8Array, file: string, offset: number): Block | string {
    const data = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    const size = data.length;
    if (size < 4) return 'Block too short';
    const numRestarts = getU32(data, size - 4);
    const limit = size - 4 - numRestarts * 4;
    if (numRestarts < 1 || limit < 0) return 'Bad restart array';
    let prev = -1;
    for (let i = 0; i < numRestarts; i++) {
      const r = getU32(data, limit + i * 4);
      if (r <= prev || (r >= limit && !(r === 0 && limit === 0))) return 'Bad restart array';
      prev = r;
    }
    if (getU32(data, limit) !== 0) return 'Bad restart array';
    return new Block(data, limit, numRestarts, file, offset);
  }

  restart(i: number): number {
    return getU32(this.data, this.limit + i * 4);
  }
}

/**
 * A position in a {@link Block}: the entry at `off`, its key rebuilt in `key[0, keyLength)`
 * (a scratch buffer, overwritten by the next move), its value at `data[valueOffset,
 * valueOffset + valueLength)`. One cursor is reused for every lookup of a table, so a search
 * allocates nothing.
 */
export class BlockCursor {
  block: Block | null = null;
  data: Uint8Array = NO_BYTES;
  valid = false;
  /** Offset of the current entry, and of the entry after it. */
  off = 0;
  nextOff = 0;
  key = new Uint8Array(64);
  keyLength = 0;
  seq = 0;
  kind = 0;
  valueOffset = 0;
  valueLength = 0;
  #limit = 0;

  reset(block: Block): void {
    this.block = block;
    this.data = block.data;
    this.#limit = block.limit;
    this.valid = false;
  }

  #corrupt(reason: string): CorruptionError {
    const b = this.block!;
    return new CorruptionError(b.file, b.offset, reason);
  }

  /**
   * Decodes the entry at `off`. The key of the entry before it must be in `key` (a restart
   * point shares nothing, so call it there with any key). Past the last entry: not valid.
   */
  #parse(off: number): void {
    const data = this.data;
    const limit = this.#limit;
    if (off >= limit) {
      this.valid = false;
      return;
    }
    let p = off;
    // Single-byte varints are the common case (lengths < 128); the rest take the slow path.
    let shared = data[p++]!;
    if (shared >= 0x80) {
      getVarint(data, p - 1, limit);
      shared = VARINT[0]!;
      p = VARINT[1]!;
    }
    let unshared = p < limit ? data[p++]! : 0x80;
    if (unshared >= 0x80) {
      getVarint(data, p - 1, limit);
      unshared = VARINT[0]!;
      p = VARINT[1]!;
    }
    let vlen = p < limit ? data[p++]! : 0x80;
    if (vlen >= 0x80) {
      getVarint(data, p - 1, limit);
      vlen = VARINT[0]!;
      p = VARINT[1]!;
    }
    let tag = p < limit ? data[p++]! : 0x80;
    if (tag >= 0x80) {
      getVarint(data, p - 1, limit);
      tag = VARINT[0]!;
      p = VARINT[1]!;
    }
    if (p < 0 || p + unshared + vlen > limit || shared > this.keyLength) {
      throw this.#corrupt('Bad block entry');
    }
    const klen = shared + unshared;
    let key = this.key;
    if (klen > key.length) {
      const grown = new Uint8Array(Math.max(klen, key.length * 2));
      grown.set(key.subarray(0, shared));
      this.key = key = grown;
    }
    for (let i = 0; i < unshared; i++) key[shared + i] = data[p + i]!;
    this.keyLength = klen;
    const kind = tag % 2;
    this.kind = kind;
    this.seq = (tag - kind) / 2;
    this.valueOffset = p + unshared;
    this.valueLength = vlen;
    this.off = off;
    this.nextOff = p + unshared + vlen;
    this.valid = true;
  }

  /**
   * Compares the key stored whole at restart point `i` with (key, seq) in internal-key order
   * (user key ascending, then sequence descending), in place.
   */
  #compareRestart(i: number, key: Uint8Array, seq: number): number {
    const data = this.data;
    const limit = this.#limit;
    let p = this.block!.restart(i);
    // shared (0 at a restart point) and the value length are skipped; single-byte varints
    // are the common case and take no call.
    const shared = data[p++]!;
    let unshared = data[p++]!;
    if (unshared >= 0x80) {
      getVarint(data, p - 1, limit);
      unshared = VARINT[0]!;
      p = VARINT[1]!;
    }
    if (data[p++]! >= 0x80) {
      getVarint(data, p - 1, limit);
      p = VARINT[1]!;
    }
    let tag = data[p++]!;
    if (tag >= 0x80) {
      getVarint(data, p - 1, limit);
      tag = VARINT[0]!;
      p = VARINT[1]!;
    }
    if (p < 0 || shared !== 0 || p + unshared > limit) throw this.#corrupt('Bad restart entry');
    const n = Math.min(unshared, key.length);
    for (let j = 0; j < n; j++) {
      const d = data[p + j]! - key[j]!;
      if (d !== 0) return d;
    }
    if (unshared !== key.length) return unshared - key.length;
    const s = (tag - (tag % 2)) / 2;
    return s > seq ? -1 : s < seq ? 1 : 0;
  }

  /** Compares the current entry with (key, seq) in internal-key order. */
  compare(key: Uint8Array, seq: number): number {
    const k = this.key;
    const len = this.keyLength;
    const n = Math.min(len, key.length);
    for (let j = 0; j < n; j++) {
      const d = k[j]! - key[j]!;
      if (d !== 0) return d;
    }
    if (len !== key.length) return len - key.length;
    const s = this.seq;
    return s > seq ? -1 : s < seq ? 1 : 0;
  }

  /** True when the current entry has user key `key`. */
  keyEquals(key: Uint8Array): boolean {
    const len = this.keyLength;
    if (len !== key.length) return false;
    const k = this.key;
    for (let j = 0; j < len; j++) if (k[j] !== key[j]) return false;
    return true;
  }

  /** Moves to the first entry ≥ (key, seq); not valid when every entry is smaller. */
  seekGE(key: Uint8Array, seq: number): void {
    // The last restart point < (key, seq): the target lies in its run or later.
    let lo = 0;
    let hi = this.block!.numRestarts - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.#compareRestart(mid, key, seq) < 0) lo = mid;
      else hi = mid - 1;
    }
    this.keyLength = 0;
    this.#parse(this.block!.restart(lo));
    while (this.valid && this.compare(key, seq) < 0) this.#parse(this.nextOff);
  }

  first(): void {
    this.keyLength = 0;
    this.#parse(0);
  }

  last(): void {
    const b = this.block!;
    this.keyLength = 0;
    this.#parse(b.restart(b.numRestarts - 1));
    while (this.valid && this.nextOff < this.#limit) this.#parse(this.nextOff);
  }

  next(): void {
    this.#parse(this.nextOff);
  }

  /** Moves to the entry before the current one: from the restart point before it, forward. */
  prev(): void {
    const target = this.off;
    const b = this.block!;
    let r = b.numRestarts - 1;
    while (r >= 0 && b.restart(r) >= target) r--;
    if (r < 0) {
      this.valid = false;
      return;
    }
    this.keyLength = 0;
    this.#parse(b.restart(r));
    while (this.valid && this.nextOff < target) this.#parse(this.nextOff);
  }
}

/**
 * An index block decoded once into flat typed arrays — keys into one arena, values as offsets
 * into the raw bytes — so the search every read starts with needs no parsing.
 */
export class DecodedBlock {
  readonly n: number;
  /** Raw block bytes; values are views into it. */
  readonly data: Uint8Array;
  /** Full keys, concatenated; key i is keys[keyOff[i], keyOff[i + 1]). */
  readonly keys: Uint8Array;
  readonly keyOff: Uint32Array;
  readonly valOff: Uint32Array;
  readonly valLen: Uint32Array;
  readonly seqs: Float64Array;
  readonly kinds: Uint8Array;
  /** Bytes this block holds, charged against the cache budget. */
  readonly charge: number;

  private constructor(
    data: Uint8Array,
    n: number,
    keys: Uint8Array,
    keyOff: Uint32Array,
    valOff: Uint32Array,
    valLen: Uint32Array,
    seqs: Float64Array,
    kinds: Uint8Array,
  ) {
    this.data = data;
    this.n = n;
    this.keys = keys;
    this.keyOff = keyOff;
    this.valOff = valOff;
    this.valLen = valLen;
    this.seqs = seqs;
    this.kinds = kinds;
    this.charge = data.length + keys.length + n * 21 + 200;
  }

  /** Decodes block bytes; returns a string describing the defect when they are malformed. */
  static decode(data: Uint8Array): DecodedBlock | string {
    const size = data.length;
    if (size < 4) return 'Block too short';
    const numRestarts = getU32(data, size - 4);
    const limit = size - 4 - numRestarts * 4;
    if (numRestarts < 1 || limit < 0) return 'Bad restart array';
    // Count entries first so the typed arrays are allocated once, at their final size.
    let n = 0;
    let keyBytes = 0;
    let off = 0;
    while (off < limit) {
      getVarint(data, off, limit);
      const shared = VARINT[0]!;
      getVarint(data, VARINT[1]!, limit);
      const unshared = VARINT[0]!;
      getVarint(data, VARINT[1]!, limit);
      const vlen = VARINT[0]!;
      getVarint(data, VARINT[1]!, limit);
      const next = VARINT[1]! + unshared + vlen;
      if (VARINT[1]! < 0 || next > limit || (n === 0 && shared !== 0)) return 'Bad block entry';
      keyBytes += shared + unshared;
      off = next;
      n++;
    }
    const keys = new Uint8Array(keyBytes);
    const keyOff = new Uint32Array(n + 1);
    const valOff = new Uint32Array(n);
    const valLen = new Uint32Array(n);
    const seqs = new Float64Array(n);
    const kinds = new Uint8Array(n);
    off = 0;
    let kpos = 0;
    let prevStart = 0;
    let prevLen = 0;
    for (let i = 0; i < n; i++) {
      getVarint(data, off, limit);
      const shared = VARINT[0]!;
      getVarint(data, VARINT[1]!, limit);
      const unshared = VARINT[0]!;
      getVarint(data, VARINT[1]!, limit);
      const vlen = VARINT[0]!;
      getVarint(data, VARINT[1]!, limit);
      const tag = VARINT[0]!;
      const p = VARINT[1]!;
      if (shared > prevLen) return 'Bad shared key prefix';
      keys.copyWithin(kpos, prevStart, prevStart + shared);
      keys.set(data.subarray(p, p + unshared), kpos + shared);
      keyOff[i] = kpos;
      prevStart = kpos;
      prevLen = shared + unshared;
      kpos += prevLen;
      const kind = tag % 2;
      seqs[i] = (tag - kind) / 2;
      kinds[i] = kind;
      valOff[i] = p + unshared;
      valLen[i] = vlen;
      off = p + unshared + vlen;
    }
    keyOff[n] = kpos;
    return new DecodedBlock(data, n, keys, keyOff, valOff, valLen, seqs, kinds);
  }

  key(i: number): Uint8Array {
    return this.keys.subarray(this.keyOff[i]!, this.keyOff[i + 1]!);
  }

  value(i: number): Uint8Array {
    const o = this.valOff[i]!;
    return this.data.subarray(o, o + this.valLen[i]!);
  }

  /** Compares entry i with (key, seq) in internal-key order. */
  compare(i: number, key: Uint8Array, seq: number): number {
    const ks = this.keys;
    const start = this.keyOff[i]!;
    const len = this.keyOff[i + 1]! - start;
    const n = Math.min(len, key.length);
    for (let j = 0; j < n; j++) {
      const d = ks[start + j]! - key[j]!;
      if (d !== 0) return d;
    }
    if (len !== key.length) return len - key.length;
    const s = this.seqs[i]!;
    return s > seq ? -1 : s < seq ? 1 : 0;
  }

  /** Index of the first entry ≥ (key, seq), or n. */
  findGE(key: Uint8Array, seq: number): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(mid, key, seq) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** True when entry i has user key `key`. */
  keyEquals(i: number, key: Uint8Array): boolean {
    const start = this.keyOff[i]!;
    if (this.keyOff[i + 1]! - start !== key.length) return false;
    const ks = this.keys;
    for (let j = 0; j < key.length; j++) if (ks[start + j] !== key[j]) return false;
    return true;
  }
}
