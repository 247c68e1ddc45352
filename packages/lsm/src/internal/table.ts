/**
 * Sorted string tables (`NNNNNN.sst`): immutable, written once by a flush or a compaction.
 *
 * ```
 *  +--------------+---------+--------------+---------+--------+---------+-------+---------+--------+
 *  | data block 0 | trailer | data block 1 | trailer | filter | trailer | index | trailer | footer |
 *  +--------------+---------+--------------+---------+--------+---------+-------+---------+--------+
 *  trailer (format 2): codec u8 | masked CRC-32 (native zlib) of the stored block and codec byte
 *  trailer (format 1): masked CRC-32 of the block (no codec byte: every block stored as is)
 *  index block: one entry per data block, key = its last user key, tag = its last sequence,
 *               value = varint offset | varint stored length
 *  footer (48 bytes):
 *    0 indexOffset u53 | 8 indexLength u32 | 12 filterOffset u53 | 20 filterLength u32 |
 *   24 entries u53 | 32 formatVersion u32 | 36 crc32c(0..36) masked u32 | 40 magic "PERFLSM1"
 * ```
 *
 * Data blocks may be compressed (codec.ts); the filter and index never are. Tables of format 1
 * (written before blocks carried a codec) are still read. Tables use the native CRC-32 of
 * `zlib.crc32` (≈3× faster here than CRC-32C in JavaScript on 4 KiB blocks, and blocks are
 * read on every cache miss); the footer and the log use CRC-32C.
 */
import { crc32 } from 'node:zlib';
import { BloomFilter, bloomHashes } from '../bloom-filter.js';
import { CorruptionError } from '../errors.js';
import { PrefetchReader } from '../prefetch-reader.js';
import { SequentialWriter } from '../sequential-writer.js';
import type { FileSystem } from '../types.js';
import { ByteSink, getU32, getU53, getVarint, putU32, putU53, VARINT } from './coding.js';
import { CODEC_NONE, compressBlock, DEFAULT_CODEC, decompressBlock } from './codec.js';
import { crc32c, maskCrc } from './crc32c.js';
import { Block, BlockBuilder, BlockCursor, DecodedBlock } from './block.js';
import { type InternalIterator, KIND_PUT } from './iterator.js';

export const FOOTER_SIZE = 48;
const F_INDEX_OFFSET = 0;
const F_INDEX_LENGTH = 8;
const F_FILTER_OFFSET = 12;
const F_FILTER_LENGTH = 20;
const F_ENTRIES = 24;
const F_VERSION = 32;
const F_CRC = 36;
const F_MAGIC = 40;
/** Format 1: a 4-byte trailer (checksum only). Format 2: codec byte + checksum. */
export const FORMAT_V1 = 1;
export const FORMAT_V2 = 2;
const TRAILER_SIZE = [0, 4, 5] as const;
/**
 * Block memory comes in multiples of this many bytes (see BlockCache#take), so a recycled
 * buffer fits the next block: data blocks are cut at the first entry that reaches `blockSize`,
 * so their sizes spread over about one entry above it. The cache is charged for the rounded
 * size; a 1 KiB unit left a fifth of the budget unused with 4 KiB blocks, 256 B leaves ~5 %.
 */
const RECYCLE_UNIT = 256;
/** Evicted buffers kept for reuse: a miss evicts about one block, so a few suffice. */
const MAX_FREE = 16;
/** Where blocks are read before they are checked and copied or decompressed (see `#readRaw`). */
let readScratch = Buffer.allocUnsafeSlow(16 * 1024);
const MAGIC = new Uint8Array([0x50, 0x45, 0x52, 0x46, 0x4c, 0x53, 0x4d, 0x31]); // "PERFLSM1"

const exactAlloc = (n: number): Uint8Array => Buffer.allocUnsafeSlow(n);

function blockCrc(buf: Uint8Array, start: number, end: number): number {
  return maskCrc(crc32(buf.subarray(start, end)) >>> 0);
}

/** Where a lookup found its entry: a value at `bytes[offset, offset + length)`. */
export interface Found {
  bytes: Uint8Array;
  offset: number;
  length: number;
}

export const NOT_FOUND = 0;
export const FOUND_VALUE = 1;
export const FOUND_TOMBSTONE = 2;

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
  /** Codec for data blocks (codec.ts); default: {@link DEFAULT_CODEC}. */
  codec?: number;
  /** Table format to write; default 2. Format 1 exists to test that old tables still open. */
  formatVersion?: number;
}

/** Writes one table; entries must be added in internal-key order. */
export class TableBuilder {
  readonly #out: SequentialWriter;
  readonly #opts: TableBuildOptions;
  readonly #data = new BlockBuilder();
  readonly #index = new BlockBuilder();
  readonly #handle = new ByteSink(16);
  readonly #trailer = new Uint8Array(5);
  readonly #format: number;
  readonly #codec: number;
  /**
   * The filter hashes of the distinct user keys, two per key (the filter is built at the end,
   * sized by the real count): hashes rather than copies of the keys, so adding an entry
   * allocates nothing.
   */
  #hashes = new Uint32Array(2048);
  #distinct = 0;
  /** The last user key added, in a reused buffer. */
  readonly #last = new ByteSink(64);
  #hasLast = false;
  #lastSeq = 0;
  #smallest: Uint8Array | null = null;
  entries = 0;

  constructor(fs: FileSystem, path: string, opts: TableBuildOptions) {
    this.#out = new SequentialWriter(path, { fs });
    this.#opts = opts;
    this.#format = opts.formatVersion ?? FORMAT_V2;
    this.#codec = this.#format === FORMAT_V1 ? CODEC_NONE : (opts.codec ?? DEFAULT_CODEC);
  }

  /** Bytes written so far (an estimate of the final size while building). */
  get size(): number {
    return this.#out.position + this.#data.estimate();
  }

  #sameAsLast(key: Uint8Array): boolean {
    const last = this.#last;
    if (!this.#hasLast || last.len !== key.length) return false;
    const b = last.buf;
    for (let i = 0; i < key.length; i++) if (b[i] !== key[i]) return false;
    return true;
  }

  add(key: Uint8Array, seq: number, kind: number, value: Uint8Array): void {
    if (!this.#sameAsLast(key)) {
      if (this.#opts.bloomBitsPerKey > 0) {
        if (2 * this.#distinct + 2 > this.#hashes.length) {
          const grown = new Uint32Array(this.#hashes.length * 2);
          grown.set(this.#hashes);
          this.#hashes = grown;
        }
        bloomHashes(key, this.#hashes, 2 * this.#distinct);
        this.#distinct++;
      }
      if (this.#smallest === null) this.#smallest = key.slice();
      this.#last.reset();
      this.#last.bytes(key);
      this.#hasLast = true;
    }
    this.#lastSeq = seq;
    this.#data.add(key, seq, kind, value);
    this.entries++;
    if (this.#data.estimate() >= this.#opts.blockSize) this.#flushBlock();
  }

  /** Appends a block and its trailer; returns the block's offset. */
  #writeBlock(contents: Uint8Array, codec: number): number {
    const off = this.#out.position;
    this.#out.append(contents);
    const t = this.#trailer;
    if (this.#format === FORMAT_V1) {
      putU32(t, 0, blockCrc(contents, 0, contents.length));
      this.#out.append(t.subarray(0, 4));
    } else {
      t[0] = codec;
      putU32(t, 1, maskCrc(crc32(t.subarray(0, 1), crc32(contents)) >>> 0));
      this.#out.append(t);
    }
    return off;
  }

  #flushBlock(): void {
    if (this.#data.entries === 0) return;
    const raw = this.#data.finish();
    const packed = compressBlock(raw, this.#codec);
    const contents = packed ?? raw;
    const len = contents.length;
    const off = this.#writeBlock(contents, packed === null ? CODEC_NONE : this.#codec);
    this.#handle.reset();
    this.#handle.varint(off);
    this.#handle.varint(len);
    this.#index.add(this.#last.view(), this.#lastSeq, KIND_PUT, this.#handle.view());
    this.#data.reset();
  }

  /** Writes the filter, index and footer and closes the file (not fsynced: see `syncNow`). */
  finish(): TableInfo {
    this.#flushBlock();
    let filterOff = 0;
    let filterLen = 0;
    if (this.#opts.bloomBitsPerKey > 0) {
      const f = BloomFilter.create(this.#distinct, this.#opts.bloomBitsPerKey);
      for (let i = 0; i < this.#distinct; i++) f.addHashes(this.#hashes, 2 * i);
      const bytes = f.toBytes();
      filterOff = this.#writeBlock(bytes, CODEC_NONE);
      filterLen = bytes.length;
    }
    const index = this.#index.finish();
    const indexOff = this.#writeBlock(index, CODEC_NONE);
    const footer = new Uint8Array(FOOTER_SIZE);
    putU53(footer, F_INDEX_OFFSET, indexOff);
    putU32(footer, F_INDEX_LENGTH, index.length);
    putU53(footer, F_FILTER_OFFSET, filterOff);
    putU32(footer, F_FILTER_LENGTH, filterLen);
    putU53(footer, F_ENTRIES, this.entries);
    putU32(footer, F_VERSION, this.#format);
    putU32(footer, F_CRC, maskCrc(crc32c(footer, 0, F_CRC)));
    footer.set(MAGIC, F_MAGIC);
    this.#out.append(footer);
    this.#out.flush();
    return {
      size: this.#out.position,
      entries: this.entries,
      smallest: this.#smallest ?? new Uint8Array(0),
      largest: this.#hasLast ? this.#last.view().slice() : new Uint8Array(0),
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
 * Verified data blocks shared by every table, evicted least-recently-used within a byte budget.
 * The index blocks and bloom filters of open tables stay resident and count against the same
 * budget (`resident`), so `bytes` is what the store's tables hold in memory.
 *
 * Each table keeps its cached blocks in an array of slots by block number, so a hit is an
 * array read plus relinking the block at the young end of one doubly linked list: no hashing,
 * no allocation.
 *
 * ```
 *  newest ⇄ block ⇄ block ⇄ … ⇄ oldest      (evicted from here: its slot is cleared)
 * ```
 *
 * An evicted block's memory is recycled for the next block read from a file, unless an
 * iterator has seen it (`Block#shared`). A point lookup's view of a block lives only until the
 * value is copied out, before the next lookup can evict anything, so a block only point lookups
 * touched has no reader left when it is evicted. Recycling matters because random gets past
 * the cache's size evict one block per miss: a fresh `ArrayBuffer` for each (`allocUnsafeSlow`,
 * external memory the collector must track) was 9 % of a random-get profile at 1M keys, and
 * the garbage collector another 11 %.
 */
export class BlockCache {
  readonly budget: number;
  /** Bytes held: cached data blocks plus the resident index blocks and filters. */
  bytes = 0;
  /** Bytes of index blocks and filters of open tables. */
  resident = 0;
  hits = 0;
  misses = 0;
  #newest: Block | null = null;
  #oldest: Block | null = null;
  /** Memory of evicted blocks no reader can still see, each RECYCLE_UNIT-rounded. */
  readonly #free: ArrayBuffer[] = [];

  constructor(budget: number) {
    this.budget = budget;
  }

  /**
   * `n` bytes for a block about to be cached: recycled memory of an evicted block when one of
   * a fitting size is free, else a fresh buffer rounded up to RECYCLE_UNIT so that buffers are
   * interchangeable between blocks of slightly different sizes.
   */
  readonly take = (n: number): Uint8Array => {
    const free = this.#free;
    for (let i = free.length - 1; i >= 0; i--) {
      const ab = free[i]!;
      if (ab.byteLength >= n && ab.byteLength - n < 2 * RECYCLE_UNIT) {
        free[i] = free[free.length - 1]!;
        free.pop();
        return new Uint8Array(ab, 0, n);
      }
    }
    const cap = Math.ceil(n / RECYCLE_UNIT) * RECYCLE_UNIT;
    const b = Buffer.allocUnsafeSlow(cap);
    return new Uint8Array(b.buffer, b.byteOffset, n);
  };

  /** The block in `slots[i]`, made the newest; undefined (a miss) when not cached. */
  get(slots: (Block | null)[], i: number): Block | undefined {
    const b = slots[i];
    if (b == null) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    if (b !== this.#newest) {
      this.#unlink(b);
      this.#pushNewest(b);
    }
    return b;
  }

  /** Caches `block` as `slots[i]`, evicting the oldest blocks beyond the budget. */
  set(slots: (Block | null)[], i: number, block: Block): void {
    if (block.charge + this.resident > this.budget) return;
    block.slots = slots;
    block.slot = i;
    slots[i] = block;
    this.#pushNewest(block);
    this.bytes += block.charge;
    this.#evict();
  }

  /** Drops `block` (evicted, or its table is closing); recycles its memory when unshared. */
  remove(block: Block): void {
    this.#unlink(block);
    this.bytes -= block.charge;
    block.slots![block.slot] = null;
    block.slots = null;
    if (!block.shared && this.#free.length < MAX_FREE)
      this.#free.push(block.data.buffer as ArrayBuffer);
  }

  addResident(n: number): void {
    this.resident += n;
    this.bytes += n;
    this.#evict();
  }

  removeResident(n: number): void {
    this.resident -= n;
    this.bytes -= n;
  }

  #evict(): void {
    while (this.bytes > this.budget && this.#oldest !== null) this.remove(this.#oldest);
  }

  #pushNewest(b: Block): void {
    b.older = this.#newest;
    b.newer = null;
    if (this.#newest !== null) this.#newest.newer = b;
    else this.#oldest = b;
    this.#newest = b;
  }

  #unlink(b: Block): void {
    if (b.newer !== null) b.newer.older = b.older;
    else this.#newest = b.older;
    if (b.older !== null) b.older.newer = b.newer;
    else this.#oldest = b.newer;
    b.newer = null;
    b.older = null;
  }
}

/**
 * Reads one table. Opening reads the footer, the index and the filter into memory (resident,
 * charged to the cache); data blocks are read on demand (one `read` of the block and its
 * trailer), checked once, decompressed, and cached as verified bytes. With `prefetch`
 * (compaction, full scans) blocks come from a read-ahead window and bypass the cache.
 */
export class TableReader {
  readonly path: string;
  readonly number: number;
  readonly #fs: FileSystem;
  readonly #fd: number;
  readonly #cache: BlockCache | null;
  readonly #prefetch: PrefetchReader | null;
  readonly #index: DecodedBlock;
  readonly #blockOff: Float64Array;
  readonly #blockLen: Float64Array;
  /** Cached blocks by block number (see BlockCache). */
  readonly #slots: (Block | null)[];
  readonly #trailer: number;
  readonly #format: number;
  /** Reused by every point lookup of this table: a lookup allocates nothing. */
  readonly #cursor = new BlockCursor();
  #residentCharge = 0;
  /** Codec of the block `#readChecked` read last. */
  #codec = CODEC_NONE;
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
    const footer = new Uint8Array(this.#readRaw(this.size - FOOTER_SIZE, FOOTER_SIZE));
    for (let i = 0; i < MAGIC.length; i++) {
      if (footer[F_MAGIC + i] !== MAGIC[i])
        throw this.#corrupt(this.size - FOOTER_SIZE, 'Bad table magic number');
    }
    if (getU32(footer, F_CRC) !== maskCrc(crc32c(footer, 0, F_CRC))) {
      throw this.#corrupt(this.size - FOOTER_SIZE, 'Table footer checksum mismatch');
    }
    const format = getU32(footer, F_VERSION);
    if (format !== FORMAT_V1 && format !== FORMAT_V2) {
      throw this.#corrupt(this.size - FOOTER_SIZE, 'Unknown table format version');
    }
    this.#format = format;
    this.#trailer = TRAILER_SIZE[format];
    this.entries = getU53(footer, F_ENTRIES);
    const filterLen = getU32(footer, F_FILTER_LENGTH);
    if (filterLen > 0) {
      const bytes = new Uint8Array(this.#readChecked(getU53(footer, F_FILTER_OFFSET), filterLen));
      try {
        this.filter = BloomFilter.fromBytes(bytes);
      } catch (cause) {
        throw this.#corrupt(getU53(footer, F_FILTER_OFFSET), 'Bad bloom filter', cause);
      }
      this.#residentCharge += bytes.length;
    } else this.filter = null;
    const indexOff = getU53(footer, F_INDEX_OFFSET);
    const index = DecodedBlock.decode(
      new Uint8Array(this.#readChecked(indexOff, getU32(footer, F_INDEX_LENGTH))),
    );
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
    this.#slots = new Array(index.n).fill(null);
    this.#residentCharge += index.charge + index.n * 16;
    cache?.addResident(this.#residentCharge);
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

  /** Table format version (1: no codec byte; 2: codec byte per block). */
  get formatVersion(): number {
    return this.#format;
  }

  #corrupt(offset: number, what: string, cause?: unknown): CorruptionError {
    return new CorruptionError(
      this.path,
      offset,
      what,
      cause === undefined ? undefined : { cause },
    );
  }

  /** `len` bytes at `off`: a view of the read-ahead window or of a scratch buffer (copy it). */
  #readRaw(off: number, len: number): Buffer {
    if (this.#prefetch !== null) {
      const v = this.#prefetch.read(off, len);
      if (v.length !== len) throw this.#corrupt(off, 'Truncated table');
      return Buffer.from(v.buffer, v.byteOffset, v.length);
    }
    // Every caller copies or decompresses what it keeps, so one scratch buffer serves all reads.
    if (readScratch.length < len)
      readScratch = Buffer.allocUnsafeSlow(Math.max(len, 2 * readScratch.length));
    const buf = readScratch.subarray(0, len);
    let got = 0;
    while (got < len) {
      const n = this.#fs.read(this.#fd, buf, got, len - got, off + got);
      if (n <= 0) throw this.#corrupt(off, 'Truncated table');
      got += n;
    }
    return buf;
  }

  /**
   * Reads a block and its trailer and verifies the checksum; returns the stored bytes and
   * leaves the codec in `#codec`.
   */
  #readChecked(off: number, len: number): Buffer {
    const buf = this.#readRaw(off, len + this.#trailer);
    if (this.#format === FORMAT_V1) {
      if (getU32(buf, len) !== blockCrc(buf, 0, len))
        throw this.#corrupt(off, 'Block checksum mismatch');
      this.#codec = CODEC_NONE;
    } else {
      if (getU32(buf, len + 1) !== blockCrc(buf, 0, len + 1))
        throw this.#corrupt(off, 'Block checksum mismatch');
      this.#codec = buf[len]!;
    }
    return buf.subarray(0, len);
  }

  get blocks(): number {
    return this.#index.n;
  }

  /**
   * Data block i: from the cache, or read from the file, checked, decompressed and cached —
   * so the checksum is verified once per read from the file, never on a cache hit.
   */
  block(i: number): Block {
    const cache = this.#cache;
    if (cache !== null) {
      const hit = cache.get(this.#slots, i);
      if (hit !== undefined) return hit;
    }
    const off = this.#blockOff[i]!;
    const stored = this.#readChecked(off, this.#blockLen[i]!);
    const alloc = cache !== null ? cache.take : exactAlloc;
    let bytes: Uint8Array;
    if (this.#codec === CODEC_NONE) {
      bytes = alloc(stored.length);
      bytes.set(stored);
    } else {
      const out = decompressBlock(stored, this.#codec, alloc);
      if (typeof out === 'string') throw this.#corrupt(off, out);
      bytes = out;
    }
    const block = Block.from(bytes, this.path, off);
    if (typeof block === 'string') throw this.#corrupt(off, block);
    if (cache !== null) cache.set(this.#slots, i, block);
    return block;
  }

  /** Block i for an iterator, which may hold views of it indefinitely: never recycled. */
  sharedBlock(i: number): Block {
    const b = this.block(i);
    b.shared = true;
    return b;
  }

  /** Index of the first data block whose last entry is ≥ (key, seq), or `blocks`. */
  findBlock(key: Uint8Array, seq: number): number {
    return this.#index.findGE(key, seq);
  }

  /**
   * Looks up the newest version of `key` with sequence ≤ `seq` in this table: FOUND_VALUE
   * (its place in `found`: a view of a cached block, valid until the next lookup),
   * FOUND_TOMBSTONE, or NOT_FOUND. Allocates nothing when the block is cached.
   */
  find(key: Uint8Array, seq: number, found: Found): number {
    const bi = this.#index.findGE(key, seq);
    if (bi >= this.#index.n) return NOT_FOUND;
    const c = this.#cursor;
    c.reset(this.block(bi));
    c.seekGE(key, seq);
    if (!c.valid || !c.keyEquals(key)) return NOT_FOUND;
    if (c.kind !== KIND_PUT) return FOUND_TOMBSTONE;
    found.bytes = c.data;
    found.offset = c.valueOffset;
    found.length = c.valueLength;
    return FOUND_VALUE;
  }

  iterator(): TableIterator {
    return new TableIterator(this);
  }

  close(): void {
    const cache = this.#cache;
    if (cache !== null) {
      for (const b of this.#slots) if (b !== null) cache.remove(b);
      cache.removeResident(this.#residentCharge);
      this.#residentCharge = 0;
    }
    this.#prefetch?.close();
    this.#fs.close(this.#fd);
  }
}

const EMPTY = new Uint8Array(0);
/** Keys an iterator hands out are copied into arenas of this size (one allocation per arena). */
const KEY_ARENA = 16 * 1024;

/**
 * A two-level iterator: the index picks the block, a cursor searches it from its restart
 * points (the same search as a point lookup). `key` and `value` stay valid after the iterator
 * moves on (the merging iterator above compares and keeps them): keys are copied into an
 * arena, values are views of the block.
 */
export class TableIterator implements InternalIterator {
  valid = false;
  key: Uint8Array = EMPTY;
  seq = 0;
  kind = 0;
  value: Uint8Array = EMPTY;
  readonly #t: TableReader;
  readonly #c = new BlockCursor();
  #bi = 0;
  /** Starts small: a seek of a few entries should not pay for a whole arena per table. */
  #arena = new Uint8Array(256);
  #arenaPos = 0;

  constructor(table: TableReader) {
    this.#t = table;
  }

  #load(): void {
    const c = this.#c;
    if (!c.valid) {
      this.valid = false;
      return;
    }
    const len = c.keyLength;
    if (this.#arenaPos + len > this.#arena.length) {
      this.#arena = new Uint8Array(Math.max(Math.min(KEY_ARENA, this.#arena.length * 4), len));
      this.#arenaPos = 0;
    }
    const a = this.#arena;
    const pos = this.#arenaPos;
    const k = c.key;
    for (let i = 0; i < len; i++) a[pos + i] = k[i]!;
    this.#arenaPos = pos + len;
    this.key = a.subarray(pos, pos + len);
    this.seq = c.seq;
    this.kind = c.kind;
    this.value = c.data.subarray(c.valueOffset, c.valueOffset + c.valueLength);
    this.valid = true;
  }

  /** Positions on block `bi`'s first (or last) entry, skipping empty blocks. */
  #enter(bi: number, atEnd: boolean): void {
    const t = this.#t;
    const c = this.#c;
    for (;;) {
      if (bi < 0 || bi >= t.blocks) {
        this.valid = false;
        return;
      }
      this.#bi = bi;
      c.reset(t.sharedBlock(bi));
      if (atEnd) c.last();
      else c.first();
      if (c.valid) break;
      bi += atEnd ? -1 : 1;
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
    const t = this.#t;
    const bi = t.findBlock(key, seq);
    if (bi >= t.blocks) {
      this.valid = false;
      return;
    }
    this.#bi = bi;
    const c = this.#c;
    c.reset(t.sharedBlock(bi));
    c.seekGE(key, seq);
    if (!c.valid) this.#enter(bi + 1, false);
    else this.#load();
  }

  seekLT(key: Uint8Array, seq: number): void {
    const t = this.#t;
    const bi = t.findBlock(key, seq);
    if (bi >= t.blocks) {
      this.last();
      return;
    }
    this.#bi = bi;
    const c = this.#c;
    c.reset(t.sharedBlock(bi));
    c.seekGE(key, seq);
    // Every entry of the block is smaller: its last one is the answer.
    if (!c.valid) c.last();
    else c.prev();
    if (!c.valid) this.#enter(bi - 1, true);
    else this.#load();
  }

  next(): void {
    const c = this.#c;
    c.next();
    if (!c.valid) this.#enter(this.#bi + 1, false);
    else this.#load();
  }

  prev(): void {
    const c = this.#c;
    c.prev();
    if (!c.valid) this.#enter(this.#bi - 1, true);
    else this.#load();
  }
}
