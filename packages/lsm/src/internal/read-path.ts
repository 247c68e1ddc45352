/**
 * The read path (LevelDB's `Version::Get` and `DBImpl::NewInternalIterator`), synchronous with
 * no threadpool hop: memtable → frozen memtable → level-0 tables newest first → one table per
 * deeper level. A table is skipped when its key range or its bloom filter rules the key out —
 * an absent key is answered by the filters without touching a block; a present one costs one
 * search of a cached block, or one checked `read`.
 */
import { bloomHashes } from '../bloom-filter.js';
import { compareBytes } from './coding.js';
import { type InternalIterator, KIND_PUT, MergingIterator } from './iterator.js';
import type { StoreCounters } from './stats.js';
import { FOUND_TOMBSTONE, FOUND_VALUE, type Found, NOT_FOUND, type TableReader } from './table.js';
import { findFile, LevelIterator, NUM_LEVELS, type Version } from './version.js';
import type { VersionSet } from './version-set.js';
import type { WritePath } from './write-path.js';

export { FOUND_TOMBSTONE, FOUND_VALUE, NOT_FOUND };

/** Values longer than this are copied natively (one view allocation beside the result). */
const NATIVE_COPY = 512;
const bufferCopy = Buffer.prototype.copy;

export class ReadPath {
  readonly #vs: VersionSet;
  readonly #w: WritePath;
  readonly #stats: StoreCounters;
  /** Where the last lookup found its value (a view, valid until the next lookup). */
  readonly found: Found = { bytes: new Uint8Array(0), offset: 0, length: 0 };
  /** The key's two filter hashes, computed at the first filter a lookup consults. */
  readonly #hashes = new Uint32Array(2);
  #hashed = false;

  constructor(vs: VersionSet, w: WritePath, stats: StoreCounters) {
    this.#vs = vs;
    this.#w = w;
    this.#stats = stats;
  }

  /**
   * Looks up the newest version of `k` visible at `seq`: FOUND_VALUE (the value's place in
   * {@link found}), FOUND_TOMBSTONE or NOT_FOUND.
   */
  lookup(k: Uint8Array, seq: number): number {
    const w = this.#w;
    const node = w.mem.get(k, seq) ?? w.imm?.get(k, seq) ?? null;
    if (node !== null) {
      if (node.kind !== KIND_PUT) return FOUND_TOMBSTONE;
      const f = this.found;
      f.bytes = node.valueBytes;
      f.offset = node.valueOff;
      f.length = node.valueLen;
      return FOUND_VALUE;
    }
    const vs = this.#vs;
    const levels = vs.current.levels;
    this.#hashed = false;
    const l0 = levels[0]!;
    for (let i = 0; i < l0.length; i++) {
      const f = l0[i]!;
      if (compareBytes(k, f.smallest) < 0 || compareBytes(k, f.largest) > 0) continue;
      const r = this.#find(vs.table(f), k, seq);
      if (r !== NOT_FOUND) return r;
    }
    for (let l = 1; l < NUM_LEVELS; l++) {
      const files = levels[l]!;
      if (files.length === 0) continue;
      const i = findFile(files, k);
      if (i >= files.length) continue;
      const f = files[i]!;
      if (compareBytes(k, f.smallest) < 0) continue;
      const r = this.#find(vs.table(f), k, seq);
      if (r !== NOT_FOUND) return r;
    }
    return NOT_FOUND;
  }

  /** Consults `t`'s filter (hashing `k` once per lookup, not once per table), then `t`. */
  #find(t: TableReader, k: Uint8Array, seq: number): number {
    const f = t.filter;
    if (f !== null) {
      const h = this.#hashes;
      if (!this.#hashed) {
        bloomHashes(k, h);
        this.#hashed = true;
      }
      if (!f.hasHashes(h)) {
        this.#stats.bloomNegatives++;
        return NOT_FOUND;
      }
    }
    return t.find(k, seq, this.found);
  }

  /**
   * A fresh Buffer holding the value the last lookup found — the only allocation of a get
   * served from a cached block. Small values are copied by a loop: Node's `Buffer#copy` of a
   * sub-range allocates a view of the source first.
   */
  copyFound(): Buffer {
    const { bytes, offset, length } = this.found;
    const out = Buffer.allocUnsafe(length);
    if (length > NATIVE_COPY) bufferCopy.call(bytes, out, 0, offset, offset + length);
    else for (let i = 0; i < length; i++) out[i] = bytes[offset + i]!;
    return out;
  }

  /** The internal merged stream of everything in `version` plus the memtables. */
  merged(version: Version, reverse: boolean): InternalIterator {
    const w = this.#w;
    const vs = this.#vs;
    const children: InternalIterator[] = [w.mem.iterator()];
    if (w.imm !== null) children.push(w.imm.iterator());
    for (const f of version.levels[0]!) children.push(vs.table(f).iterator());
    for (let l = 1; l < NUM_LEVELS; l++) {
      const files = version.levels[l]!;
      if (files.length > 0) children.push(new LevelIterator(files, (f) => vs.table(f)));
    }
    return new MergingIterator(children, reverse);
  }
}
