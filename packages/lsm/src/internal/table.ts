/**
 * Sorted string tables (`NNNNNN.sst`): immutable, written once by a flush or a compaction.
 *
 * ```
 *  +----------------+-----+----------------+-----+--------------+-----+-------------+-----+--------+
 *  | data block 0   | crc | data block 1   | crc | bloom filter | crc | index block | crc | footer |
 *  +----------------+-----+----------------+-----+--------------+-----+-------------+-----+--------+
 *  crc: u32le, masked CRC-32 (native zlib) of the block bytes before it — checked on every read
 *  index block: one entry per data block, key = its last user key, tag = its last sequence,
 *               value = varint offset | varint length
 *  footer (48 bytes):
 *    0 indexOffset u53 | 8 indexLength u32 | 12 filterOffset u53 | 20 filterLength u32 |
 *   24 entries u53 | 32 formatVersion u32 | 36 crc32c(0..36) masked u32 | 40 magic "PERFLSM1"
 * ```
 *
 * Tables use the native CRC-32 of `zlib.crc32` (≈3× faster here than CRC-32C in JavaScript on
 * 4 KiB blocks, and blocks are read on every cache miss); the footer and the log use CRC-32C.
 */
import { crc32 } from 'node:zlib';
import { BloomFilter } from '../bloom-filter.js';
import { CorruptionError } from '../errors.js';
import { PrefetchReader } from '../prefetch-reader.js';
import { SequentialWriter } from '../sequential-writer.js';
import type { FileSystem } from '../types.js';
import {
  ByteSink,
  compareBytes,
  getU32,
  getU53,
  getVarint,
  putU32,
  putU53,
  VARINT,
} from './coding.js';
import { crc32c, maskCrc } from './crc32c.js';
import { Block, BlockBuilder } from './block.js';
import { type InternalIterator, KIND_PUT } from './iterator.js';

export const BLOCK_TRAILER_SIZE = 4;
export const FOOTER_SIZE = 48;
const F_INDEX_OFFSET = 0;
const F_INDEX_LENGTH = 8;
const F_FILTER_OFFSET = 12;
const F_FILTER_LENGTH = 20;
const F_ENTRIES = 24;
const F_VERSION = 32;
const F_CRC = 36;
const F_MAGIC = 40;
const FORMAT_VERSION = 1;
const MAGIC = new Uint8Array([0x50, 0x45, 0x52, 0x46, 0x4c, 0x53, 0x4d, 0x31]); // "PERFLSM1"

/** A value returned by {@link TableReader.get} for a tombstone. */
export const TOMBSTONE: Uint8Array = new Uint8Array(0);

function blockCrc(buf: Uint8Array, start: number, end: number): number {
  return maskCrc(crc32(buf.subarray(start, end)) >>> 0);
}

/** What a finished table holds, for the manifest. */
export interface TableInfo {
  size: number;
  entries: number;
  smallest: Uint8Array;
  largest: Uint8Array;
}

export interface TableBuildOptions {
  blockSize: number;
  bloomBitsPerKey: number;
}

/** Writes one table; entries must be added in internal-key order. */
export class TableBuilder {
  readonly #out: SequentialWriter;
  readonly #opts: TableBuildOptions;
  readonly #data = new BlockBuilder();
  readonly #index = new BlockBuilder();
  readonly #handle = new ByteSink(16);
  readonly #trailer = new Uint8Array(BLOCK_TRAILER_SIZE);
  /** Distinct user keys, for the filter (built at the end, sized by the real count). */
  readonly #filterKeys: Uint8Array[] = [];
  #lastKey: Uint8Array | null = null;
  #lastSeq = 0;
  #smallest: Uint8Array | null = null;
  entries = 0;

  constructor(fs: FileSystem, path: string, opts: TableBuildOptions) {
    this.#out = new SequentialWriter(path, { fs });
    this.#opts = opts;
  }

  /** Bytes written so far (an estimate of the final size while building). */
  get size(): number {
    return this.#out.position + this.#data.estimate();
  }

  /** The last user key added (to cut output files only between user keys). */
  get lastKey(): Uint8Array | null {
    return this.#lastKey;
  }

  add(key: Uint8Array, seq: number, kind: number, value: Uint8Array): void {
    if (this.#lastKey === null || compareBytes(this.#lastKey, key) !== 0) {
      const copy = key.slice();
      if (this.#opts.bloomBitsPerKey > 0) this.#filterKeys.push(copy);
      this.#lastKey = copy;
      if (this.#smallest === null) this.#smallest = copy;
    }
    this.#lastSeq = seq;
    this.#data.add(key, seq, kind, value);
    this.entries++;
    if (this.#data.estimate() >= this.#opts.blockSize) this.#flushBlock();
  }

  #writeBlock(contents: Uint8Array): number {
    const off = this.#out.position;
    this.#out.append(contents);
    putU32(this.#trailer, 0, blockCrc(contents, 0, contents.length));
    this.#out.append(this.#trailer);
    return off;
  }

  #flushBlock(): void {
    if (this.#data.entries === 0) return;
    const contents = this.#data.finish();
    const len = contents.length;
    const off = this.#writeBlock(contents);
    this.#handle.reset();
    this.#handle.varint(off);
    this.#handle.varint(len);
    this.#index.add(this.#lastKey!, this.#lastSeq, KIND_PUT, this.#handle.view());
    this.#data.reset();
  }

  /** Writes the filter, index and footer and closes the file (not fsynced: see `syncNow`). */
  finish(): TableInfo {
    this.#flushBlock();
    let filterOff = 0;
    let filterLen = 0;
    if (this.#opts.bloomBitsPerKey > 0) {
      const f = BloomFilter.create(this.#filterKeys.length, this.#opts.bloomBitsPerKey);
      for (const k of this.#filterKeys) f.add(k);
      const bytes = f.toBytes();
      filterOff = this.#writeBlock(bytes);
      filterLen = bytes.length;
    }
    const index = this.#index.finish();
    const indexOff = this.#writeBlock(index);
    const footer = new Uint8Array(FOOTER_SIZE);
    putU53(footer, F_INDEX_OFFSET, indexOff);
    putU32(footer, F_INDEX_LENGTH, index.length);
    putU53(footer, F_FILTER_OFFSET, filterOff);
    putU32(footer, F_FILTER_LENGTH, filterLen);
    putU53(footer, F_ENTRIES, this.entries);
    putU32(footer, F_VERSION, FORMAT_VERSION);
    putU32(footer, F_CRC, maskCrc(crc32c(footer, 0, F_CRC)));
    footer.set(MAGIC, F_MAGIC);
    this.#out.append(footer);
    this.#out.flush();
    return {
      size: this.#out.position,
      entries: this.entries,
      smallest: this.#smallest ?? new Uint8Array(0),
      largest: this.#lastKey ?? new Uint8Array(0),
    };
  }

  /** fsync on the calling thread (worker threads and the inline path). */
  syncNow(): void {
    this.#out.syncNow();
  }

  /** fsync on the threadpool. */
  sync(): Promise<void> {
    return this.#out.sync();
  }

  close(): void {
    this.#out.close();
  }
}

/**
 * Decoded blocks shared by every table, evicted least-recently-used within a byte budget.
 * A Map keeps insertion order, so a hit re-inserts the block at the young end and eviction
 * walks from the old end.
 */
export class BlockCache {
  readonly #map = new Map<number, Block>();
  readonly budget: number;
  bytes = 0;
  hits = 0;
  misses = 0;

  constructor(budget: number) {
    this.budget = budget;
  }

  /** Cache key: file number · 2^32 + block offset (tables stay under 4 GiB). */
  get(key: number): Block | undefined {
    const b = this.#map.get(key);
    if (b !== undefined) {
      this.hits++;
      this.#map.delete(key);
      this.#map.set(key, b);
    } else this.misses++;
    return b;
  }

  set(key: number, block: Block): void {
    if (block.charge > this.budget) return;
    this.#map.set(key, block);
    this.bytes += block.charge;
    while (this.bytes > this.budget) {
      const oldest = this.#map.keys().next().value as number;
      this.bytes -= this.#map.get(oldest)!.charge;
      this.#map.delete(oldest);
    }
  }

  /** Drops the blocks of a deleted table (its number will never be reused). */
  evictFile(number: number): void {
    const lo = number * 0x100000000;
    const hi = lo + 0x100000000;
    for (const [k, b] of this.#map) {
      if (k >= lo && k < hi) {
        this.bytes -= b.charge;
        this.#map.delete(k);
      }
    }
  }
}

/**
 * Reads one table. Opening reads the footer, the index and the filter into memory; data
 * blocks are read on demand (one `read` of the block and its trailer), checked, decoded, and
 * cached. With `prefetch` (compaction, full scans) blocks come from a read-ahead window and
 * bypass the cache.
 */
export class TableReader {
  readonly path: string;
  readonly number: number;
  readonly #fs: FileSystem;
  readonly #fd: number;
  readonly #cache: BlockCache | null;
  readonly #prefetch: PrefetchReader | null;
  readonly #index: Block;
  readonly #blockOff: Float64Array;
  readonly #blockLen: Float64Array;
  readonly filter: BloomFilter | null;
  readonly entries: number;
  readonly size: number;

  private constructor(
    fs: FileSystem,
    path: string,
    number: number,
    fd: number,
    cache: BlockCache | null,
    prefetch: boolean,
  ) {
    this.#fs = fs;
    this.path = path;
    this.number = number;
    this.#fd = fd;
    this.#cache = cache;
    this.size = fs.size(fd);
    this.#prefetch = prefetch ? new PrefetchReader(fd, { fs }) : null;
    if (this.size < FOOTER_SIZE) throw this.#corrupt(0, 'Table shorter than its footer');
    const footer = this.#readRaw(this.size - FOOTER_SIZE, FOOTER_SIZE).slice();
    for (let i = 0; i < MAGIC.length; i++) {
      if (footer[F_MAGIC + i] !== MAGIC[i])
        throw this.#corrupt(this.size - FOOTER_SIZE, 'Bad table magic number');
    }
    if (getU32(footer, F_CRC) !== maskCrc(crc32c(footer, 0, F_CRC))) {
      throw this.#corrupt(this.size - FOOTER_SIZE, 'Table footer checksum mismatch');
    }
    if (getU32(footer, F_VERSION) !== FORMAT_VERSION) {
      throw this.#corrupt(this.size - FOOTER_SIZE, 'Unknown table format version');
    }
    this.entries = getU53(footer, F_ENTRIES);
    const filterLen = getU32(footer, F_FILTER_LENGTH);
    if (filterLen > 0) {
      const bytes = this.#readChecked(getU53(footer, F_FILTER_OFFSET), filterLen).slice();
      try {
        this.filter = BloomFilter.fromBytes(bytes);
      } catch (cause) {
        throw this.#corrupt(getU53(footer, F_FILTER_OFFSET), 'Bad bloom filter', cause);
      }
    } else this.filter = null;
    const indexOff = getU53(footer, F_INDEX_OFFSET);
    const index = Block.decode(this.#readChecked(indexOff, getU32(footer, F_INDEX_LENGTH)).slice());
    if (typeof index === 'string') throw this.#corrupt(indexOff, `Index block: ${index}`);
    this.#index = index;
    this.#blockOff = new Float64Array(index.n);
    this.#blockLen = new Float64Array(index.n);
    for (let i = 0; i < index.n; i++) {
      const v = index.value(i);
      getVarint(v, 0, v.length);
      this.#blockOff[i] = VARINT[0]!;
      const p = VARINT[1]!;
      getVarint(v, p < 0 ? v.length : p, v.length);
      this.#blockLen[i] = VARINT[0]!;
      if (p < 0 || VARINT[1]! < 0 || this.#blockOff[i]! + this.#blockLen[i]! > indexOff) {
        throw this.#corrupt(indexOff, 'Bad block handle in index');
      }
    }
  }

  /** Opens a table; throws {@link CorruptionError} when its footer, index or filter is damaged. */
  static open(
    fs: FileSystem,
    path: string,
    number: number,
    cache: BlockCache | null,
    prefetch = false,
  ): TableReader {
    const fd = fs.open(path, 'read');
    try {
      return new TableReader(fs, path, number, fd, cache, prefetch);
    } catch (err) {
      fs.close(fd);
      throw err;
    }
  }

  #corrupt(offset: number, what: string, cause?: unknown): CorruptionError {
    return new CorruptionError(
      this.path,
      offset,
      what,
      cause === undefined ? undefined : { cause },
    );
  }

  #readRaw(off: number, len: number): Uint8Array {
    if (this.#prefetch !== null) {
      const v = this.#prefetch.read(off, len);
      if (v.length !== len) throw this.#corrupt(off, 'Truncated table');
      return v;
    }
    const buf = new Uint8Array(len);
    let got = 0;
    while (got < len) {
      const n = this.#fs.read(this.#fd, buf, got, len - got, off + got);
      if (n <= 0) throw this.#corrupt(off, 'Truncated table');
      got += n;
    }
    return buf;
  }

  /** Reads a block and its trailer and verifies the checksum; returns the block bytes. */
  #readChecked(off: number, len: number): Uint8Array {
    const buf = this.#readRaw(off, len + BLOCK_TRAILER_SIZE);
    if (getU32(buf, len) !== blockCrc(buf, 0, len))
      throw this.#corrupt(off, 'Block checksum mismatch');
    return buf.subarray(0, len);
  }

  get blocks(): number {
    return this.#index.n;
  }

  /** Data block i, from the cache or the file (checked, decoded, then cached). */
  block(i: number): Block {
    const off = this.#blockOff[i]!;
    const cache = this.#cache;
    const cacheKey = this.number * 0x100000000 + off;
    if (cache !== null) {
      const hit = cache.get(cacheKey);
      if (hit !== undefined) return hit;
    }
    let raw = this.#readChecked(off, this.#blockLen[i]!);
    if (this.#prefetch !== null) raw = raw.slice(); // the window is reused by the next read
    const block = Block.decode(raw);
    if (typeof block === 'string') throw this.#corrupt(off, block);
    if (cache !== null) cache.set(cacheKey, block);
    return block;
  }

  /** Index of the first data block whose last entry is ≥ (key, seq), or `blocks`. */
  findBlock(key: Uint8Array, seq: number): number {
    return this.#index.findGE(key, seq);
  }

  /**
   * The newest version of `key` with sequence ≤ `seq` in this table: its value (a view; copy
   * it), {@link TOMBSTONE} for a delete, or undefined when the table has none.
   */
  get(key: Uint8Array, seq: number): Uint8Array | undefined {
    const bi = this.#index.findGE(key, seq);
    if (bi >= this.#index.n) return undefined;
    const b = this.block(bi);
    const i = b.findGE(key, seq);
    if (i >= b.n || !b.keyEquals(i, key)) return undefined;
    return b.kinds[i] === KIND_PUT ? b.value(i) : TOMBSTONE;
  }

  iterator(): TableIterator {
    return new TableIterator(this);
  }

  close(): void {
    this.#prefetch?.close();
    this.#fs.close(this.#fd);
  }
}

const EMPTY = new Uint8Array(0);

/** A two-level iterator: the index picks the block, the decoded block the entry. */
export class TableIterator implements InternalIterator {
  valid = false;
  key: Uint8Array = EMPTY;
  seq = 0;
  kind = 0;
  value: Uint8Array = EMPTY;
  readonly #t: TableReader;
  #bi = 0;
  #b: Block | null = null;
  #i = 0;

  constructor(table: TableReader) {
    this.#t = table;
  }

  #load(): void {
    const b = this.#b!;
    const i = this.#i;
    this.valid = true;
    this.key = b.key(i);
    this.seq = b.seqs[i]!;
    this.kind = b.kinds[i]!;
    this.value = b.value(i);
  }

  #enter(bi: number, atEnd: boolean): void {
    if (bi < 0 || bi >= this.#t.blocks) {
      this.valid = false;
      this.#b = null;
      return;
    }
    this.#bi = bi;
    this.#b = this.#t.block(bi);
    this.#i = atEnd ? this.#b.n - 1 : 0;
    if (this.#b.n === 0) {
      this.valid = false;
      return;
    }
    this.#load();
  }

  first(): void {
    this.#enter(0, false);
  }

  last(): void {
    this.#enter(this.#t.blocks - 1, true);
  }

  seekGE(key: Uint8Array, seq: number): void {
    const bi = this.#t.findBlock(key, seq);
    if (bi >= this.#t.blocks) {
      this.valid = false;
      return;
    }
    this.#bi = bi;
    this.#b = this.#t.block(bi);
    this.#i = this.#b.findGE(key, seq);
    if (this.#i >= this.#b.n) this.#enter(bi + 1, false);
    else this.#load();
  }

  seekLT(key: Uint8Array, seq: number): void {
    const bi = this.#t.findBlock(key, seq);
    if (bi >= this.#t.blocks) {
      this.last();
      return;
    }
    this.#bi = bi;
    this.#b = this.#t.block(bi);
    this.#i = this.#b.findGE(key, seq) - 1;
    if (this.#i < 0) this.#enter(bi - 1, true);
    else this.#load();
  }

  next(): void {
    if (++this.#i >= this.#b!.n) this.#enter(this.#bi + 1, false);
    else this.#load();
  }

  prev(): void {
    if (--this.#i < 0) this.#enter(this.#bi - 1, true);
    else this.#load();
  }
}
