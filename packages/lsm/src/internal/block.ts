/**
 * Table blocks: a builder with prefix compression and restart points, and the decoded form the
 * block cache holds.
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
 * On disk each block is followed by a 4-byte masked checksum of its bytes (the trailer, see
 * table.ts). A block read from disk is checked, then decoded once into flat typed arrays — keys
 * into one arena, values as offsets into the raw bytes — so a cached block serves binary
 * searches and iteration with no further parsing or per-entry objects.
 */
import { ByteSink, getU32, getVarint, VARINT } from './coding.js';

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

/** A decoded block, or null with the reason when the bytes are not a well-formed block. */
export class Block {
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
  static decode(data: Uint8Array): Block | string {
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
    return new Block(data, n, keys, keyOff, valOff, valLen, seqs, kinds);
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
