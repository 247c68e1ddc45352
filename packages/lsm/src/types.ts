/**
 * The vocabulary of @perf/lsm: store options, operations, iterator ranges, statistics and the
 * file-system layer the store does all its I/O through.
 */

/** A key or value: bytes, or a string stored as its UTF-8 bytes. */
export type Bytes = Uint8Array | string;

/**
 * The file I/O the store performs, as a small replaceable layer. The default is
 * {@link nodeFileSystem}; tests replace it with one that forgets everything not fsynced to
 * simulate a power cut. Every method except {@link FileSystem.sync} is synchronous: the store's
 * hot path stays on the main thread and only fsync waits on the threadpool.
 */
export interface FileSystem {
  /**
   * Opens `path` and returns a descriptor. `read`: existing file, read-only. `append`: create
   * if missing, writes go to the end. `create`: create or truncate. `exclusive`: create, fail
   * with `EEXIST` if it exists.
   */
  open(path: string, mode: 'read' | 'append' | 'create' | 'exclusive'): number;
  /** Reads up to `length` bytes at `position` into `buf[offset..]`; returns the count read. */
  read(fd: number, buf: Uint8Array, offset: number, length: number, position: number): number;
  /** Appends `buf[offset, offset + length)` at the end of the file (hands it to the OS). */
  append(fd: number, buf: Uint8Array, offset: number, length: number): void;
  /** Current size of the file in bytes. */
  size(fd: number): number;
  /** Shrinks the file to `length` bytes (drops a torn log tail). */
  truncate(fd: number, length: number): void;
  /** fsync on the threadpool: resolves once the file's data is durable. */
  sync(fd: number): Promise<void>;
  /** fsync on the calling thread (rare paths: manifest, CURRENT, log rotation). */
  syncNow(fd: number): void;
  close(fd: number): void;
  /** Atomically replaces `to` with `from` (POSIX rename). */
  rename(from: string, to: string): void;
  /** Removes a file; a missing file is not an error. */
  remove(path: string): void;
  /** Names of the entries of a directory. */
  list(dir: string): string[];
  /** Creates a directory and its parents. */
  mkdir(dir: string): void;
  exists(path: string): boolean;
  /** fsync a directory, making renames and creations in it durable. */
  syncDir(dir: string): void;
}

/** Options of {@link LsmStore.open}. */
export interface StoreOptions {
  /**
   * fsync the log before every write's promise resolves. Concurrent writers share one fsync
   * (group commit). Without it an acknowledged write has reached the OS: it survives a process
   * crash, not a power cut. A write can also ask for it alone with `{ sync: true }`.
   * @defaultValue `false`
   */
  sync?: boolean;
  /** Create the directory and an empty store when there is none. @defaultValue `true` */
  createIfMissing?: boolean;
  /** Fail with `PERF_LSM_EXISTS` when the directory already holds a store. @defaultValue `false` */
  errorIfExists?: boolean;
  /**
   * Bytes of writes the memtable takes before it is frozen and flushed to a level-0 table.
   * @defaultValue `4 MiB`
   */
  writeBufferSize?: number;
  /** Target size of a table's data block, in bytes (before its 4-byte checksum). @defaultValue `4096` */
  blockSize?: number;
  /**
   * Bloom filter bits per key of each table; the hash count is the optimum `round(bits · ln 2)`.
   * 0 disables filters. @defaultValue `10` (≈ 0.8 % false positives)
   */
  bloomBitsPerKey?: number;
  /** Byte budget of the decoded-block cache, shared by all tables. @defaultValue `32 MiB` */
  blockCacheSize?: number;
  /** Target size of one table written by compaction, in bytes. @defaultValue `2 MiB` */
  tableFileSize?: number;
  /** Number of level-0 tables that triggers a level-0 compaction. @defaultValue `4` */
  l0CompactionTrigger?: number;
  /**
   * Number of level-0 tables at which writes wait for compaction (a bounded write stall).
   * @defaultValue `12`
   */
  l0StopWritesTrigger?: number;
  /** Byte budget of level 1; each deeper level gets 10× more. @defaultValue `10 MiB` */
  levelBaseBytes?: number;
  /**
   * Where compaction runs: `'worker'`, a worker thread that merges tables off the main thread,
   * or `'inline'`, on the main thread (required with a custom {@link FileSystem}, which a worker
   * cannot share). @defaultValue `'worker'`, or `'inline'` when `fs` is given
   */
  compaction?: 'worker' | 'inline';
  /** The file-system layer. @defaultValue `nodeFileSystem` (exported by `@perf/lsm`) */
  fs?: FileSystem;
}

/** Options of one write. */
export interface WriteOptions {
  /** fsync before resolving (group commit). @defaultValue the store's `sync` option */
  sync?: boolean;
}

/** Options of one read. */
export interface ReadOptions {
  /** Read as of this snapshot instead of the latest state. */
  snapshot?: SnapshotHandle;
}

/** A point in time of the store, from {@link LsmStore.snapshot}. Release it with `close()`. */
export interface SnapshotHandle {
  /** The sequence number this snapshot reads at. */
  readonly sequence: number;
  /** Releases the snapshot, letting compaction drop the versions only it could see. */
  close(): void;
}

/** One operation of an atomic {@link LsmStore.batch}. */
export type BatchOperation =
  | { type: 'put'; key: Bytes; value: Bytes }
  | { type: 'del'; key: Bytes };

/**
 * A key range. When both bounds of one side are given, the inclusive one (`gte`, `lte`) wins,
 * as in abstract-level.
 */
export interface KeyRange {
  gt?: Bytes;
  gte?: Bytes;
  lt?: Bytes;
  lte?: Bytes;
}

/** Options of {@link LsmStore.iterator}. */
export interface IteratorOptions extends KeyRange, ReadOptions {
  /** Iterate from the highest key down. @defaultValue `false` */
  reverse?: boolean;
  /** Stop after this many entries; `-1` or `Infinity` for no limit. @defaultValue `Infinity` */
  limit?: number;
}

/** Options of {@link LsmStore.clear}. */
export interface ClearOptions extends KeyRange, WriteOptions {
  /** Delete at most this many entries, from the start of the range. @defaultValue `Infinity` */
  limit?: number;
  /** Delete from the end of the range. @defaultValue `false` */
  reverse?: boolean;
}

/** One level of the tree, in {@link StoreStats}. */
export interface LevelStats {
  level: number;
  files: number;
  bytes: number;
}

/** Counters and gauges of a store, from {@link LsmStore.stats}. */
export interface StoreStats {
  /** Last sequence number assigned (one per written key). */
  sequence: number;
  /** Bytes held by the active memtable. */
  memtableBytes: number;
  /** True while a frozen memtable waits to be written as a table. */
  flushing: boolean;
  levels: LevelStats[];
  /** Total bytes of live tables. */
  tableBytes: number;
  /** Writes (keys) accepted since open. */
  writes: number;
  /** fsync calls made by group commit since open. */
  syncs: number;
  /** Bytes of user keys and values written since open. */
  userBytes: number;
  /** Bytes of tables written since open (flushes and compactions). */
  tableBytesWritten: number;
  /** `(log + table bytes written) / user bytes`: write amplification since open. */
  writeAmplification: number;
  flushes: number;
  compactions: number;
  /** Milliseconds writers spent waiting on flushes or compaction since open. */
  stallMs: number;
  blockCache: { bytes: number; budget: number; hits: number; misses: number };
  /** Table reads a bloom filter avoided. */
  bloomNegatives: number;
}
