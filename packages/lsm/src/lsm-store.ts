/**
 * The store: a log-structured merge tree in the lineage of LevelDB and RocksDB.
 *
 * Write path (synchronous up to the acknowledgement): encode the batch as one log record, hand
 * it to the OS with one `write`, insert into the memtable. Without `sync` the write is then
 * acknowledged — it survives a crash of this process. With `sync`, writers join a group commit:
 * one fsync on the threadpool covers every write that reached the log before it started.
 *
 * Read path (synchronous, no threadpool hop): memtable → frozen memtable → level-0 tables
 * newest first → one table per deeper level, each table skipped when its key range or bloom
 * filter rules the key out; blocks come from the decoded-block cache or one checked `read`.
 *
 * Background: a full memtable is frozen, a fresh log started, and the frozen one written as a
 * level-0 table on the main thread in slices (so the event loop keeps turning); compaction
 * merges tables in a worker thread. Both publish their result as a manifest edit, fsynced
 * before the new version is installed.
 */
import { resolve as resolvePath } from 'node:path';
import {
  ClosedError,
  CorruptionError,
  ExistsError,
  IoError,
  LockedError,
  LsmError,
  NotFoundError,
} from './errors.js';
import { type ByteSink, compareBytes } from './internal/coding.js';
import {
  addOp,
  beginBatch,
  decodeLogStart,
  encodeLogStart,
  endBatch,
  replayBatch,
} from './internal/batch.js';
import { type CompactionJob, tablePath } from './internal/compaction.js';
import { type Compactor, inlineCompactor, workerCompactor } from './internal/compactor.js';
import {
  type InternalIterator,
  KIND_DELETE,
  KIND_PUT,
  MergingIterator,
} from './internal/iterator.js';
import { LogWriter, parseLog, readWholeFile } from './internal/log.js';
import { MemTable } from './internal/memtable.js';
import { BlockCache, TableBuilder, TableReader, TOMBSTONE } from './internal/table.js';
import {
  decodeEdit,
  encodeEdit,
  type FileMeta,
  findFile,
  LevelIterator,
  NUM_LEVELS,
  Version,
  type VersionEdit,
} from './internal/version.js';
import { type Bounds, copyBytes, LsmIterator } from './lsm-iterator.js';
import { nodeFileSystem } from './node-file-system.js';
import { Snapshot } from './snapshot.js';
import type {
  BatchOperation,
  Bytes,
  ClearOptions,
  FileSystem,
  IteratorOptions,
  KeyRange,
  ReadOptions,
  StoreOptions,
  StoreStats,
  WriteOptions,
} from './types.js';

/** Largest key, in bytes. Keys may be empty (they sort first). */
export const MAX_KEY_SIZE = 65_536;
/** Largest value, in bytes. */
export const MAX_VALUE_SIZE = 16 * 1024 * 1024;

const MiB = 1024 * 1024;
/**
 * Memtable entries written per slice of a background flush before yielding to the event loop.
 * Halved from 4096 after the benchmark's event-loop-delay row on the loaded 2-core box: a
 * slice is a few milliseconds of encoding; smaller slices only add setImmediate turns.
 */
const FLUSH_SLICE = 2048;
const DONE: Promise<void> = Promise.resolve();
const EMPTY = new Uint8Array(0);

/**
 * Directories this process has open, per file system; the LOCK file's pid alone cannot tell
 * two stores of one process apart.
 */
const openDirsByFs = new WeakMap<FileSystem, Set<string>>();

function openDirs(fs: FileSystem): Set<string> {
  let set = openDirsByFs.get(fs);
  if (set === undefined) openDirsByFs.set(fs, (set = new Set()));
  return set;
}

const fileName = (n: number, ext: string) => `${String(n).padStart(6, '0')}${ext}`;
const FILE_RE = /^(\d{6,})\.(log|sst)$/;
const MANIFEST_RE = /^MANIFEST-(\d{6,})$/;

function describe(v: unknown): string {
  return `\`${typeof v === 'string' ? v : String(v)}\` (${v === null ? 'null' : typeof v})`;
}

function toBytes(v: unknown, what: string, max: number): Uint8Array {
  let b: Uint8Array;
  if (v instanceof Uint8Array) b = v;
  else if (typeof v === 'string') b = Buffer.from(v, 'utf8');
  else
    throw new TypeError(`Expected \`${what}\` to be a Uint8Array or a string, got ${describe(v)}`);
  if (b.length > max) {
    throw new RangeError(`Expected \`${what}\` to be at most ${max} bytes, got ${b.length} bytes`);
  }
  return b;
}

function intOption(opts: StoreOptions, name: keyof StoreOptions, def: number, min: number): number {
  const v = opts[name] ?? def;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new RangeError(
      `Expected \`${name}\` to be an integer from ${min} and up, got ${describe(v)}`,
    );
  }
  return v;
}

function boolOption(opts: object, name: string, def: boolean): boolean {
  const v = (opts as Record<string, unknown>)[name] ?? def;
  if (typeof v !== 'boolean')
    throw new TypeError(`Expected \`${name}\` to be a boolean, got ${describe(v)}`);
  return v;
}

interface Resolved {
  sync: boolean;
  writeBufferSize: number;
  blockSize: number;
  bloomBitsPerKey: number;
  tableFileSize: number;
  l0CompactionTrigger: number;
  l0StopWritesTrigger: number;
  levelBaseBytes: number;
}

interface Waiter {
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class LsmStore {
  readonly dir: string;
  readonly #fs: FileSystem;
  readonly #o: Resolved;
  readonly #cache: BlockCache;
  readonly #compactor: Compactor;
  #mem!: MemTable;
  #imm: MemTable | null = null;
  #version = Version.empty();
  /** Versions pinned by open iterators; their tables are not deleted. */
  readonly #pinned = new Set<Version>();
  readonly #tables = new Map<number, TableReader>();
  /** Tables no longer in the current version, deleted once no pinned version lists them. */
  readonly #obsolete = new Set<number>();
  readonly #iterators = new Set<LsmIterator>();
  readonly #snapshots = new Map<Snapshot, number>();
  #log!: LogWriter;
  /** Older logs whose memtables are not yet flushed, kept open until then. */
  readonly #oldLogs: LogWriter[] = [];
  #manifest!: LogWriter;
  #manifestChain: Promise<void> = DONE;
  #nextFile = 1;
  #lastSeq = 0;
  #closed = false;
  #locked = false;
  /** A failed background write or fsync: every later write fails with it (cause). */
  #bgError: LsmError | null = null;
  // Group commit: writers waiting for the next fsync, and the fsync in flight.
  #syncWaiters: Waiter[] = [];
  #syncing: Promise<void> | null = null;
  #syncScheduled = false;
  // Write stalls: writes queued behind a full memtable or too many level-0 tables.
  readonly #stalled: (() => void)[] = [];
  #stallStart = 0;
  #flushing: Promise<void> | null = null;
  #compacting: Promise<void> | null = null;
  #compactChain: Promise<void> = DONE;
  readonly #compactPointer: (Uint8Array | null)[] = new Array(NUM_LEVELS).fill(null);
  readonly #stats = {
    writes: 0,
    syncs: 0,
    userBytes: 0,
    logBytes: 0,
    tableBytesWritten: 0,
    flushes: 0,
    compactions: 0,
    stallMs: 0,
    bloomNegatives: 0,
  };

  private constructor(dir: string, options: StoreOptions) {
    this.dir = dir;
    this.#fs = options.fs ?? nodeFileSystem;
    this.#o = {
      sync: boolOption(options, 'sync', false),
      writeBufferSize: intOption(options, 'writeBufferSize', 4 * MiB, 1024),
      blockSize: intOption(options, 'blockSize', 4096, 64),
      bloomBitsPerKey: intOption(options, 'bloomBitsPerKey', 10, 0),
      tableFileSize: intOption(options, 'tableFileSize', 2 * MiB, 1024),
      l0CompactionTrigger: intOption(options, 'l0CompactionTrigger', 4, 1),
      l0StopWritesTrigger: intOption(options, 'l0StopWritesTrigger', 12, 1),
      levelBaseBytes: intOption(options, 'levelBaseBytes', 10 * MiB, 1024),
    };
    if (this.#o.bloomBitsPerKey > 64) {
      throw new RangeError(
        `Expected \`bloomBitsPerKey\` to be an integer from 0 to 64, got ${describe(this.#o.bloomBitsPerKey)}`,
      );
    }
    if (this.#o.l0StopWritesTrigger < this.#o.l0CompactionTrigger) {
      throw new RangeError(
        `Expected \`l0StopWritesTrigger\` to be at least \`l0CompactionTrigger\` (${this.#o.l0CompactionTrigger}), got ${describe(this.#o.l0StopWritesTrigger)}`,
      );
    }
    this.#cache = new BlockCache(intOption(options, 'blockCacheSize', 32 * MiB, 0));
    const mode = options.compaction ?? (options.fs ? 'inline' : 'worker');
    if (mode !== 'worker' && mode !== 'inline') {
      throw new TypeError(
        `Expected \`compaction\` to be 'worker' or 'inline', got ${describe(mode)}`,
      );
    }
    if (mode === 'worker' && options.fs && options.fs !== nodeFileSystem) {
      throw new TypeError(
        "Expected `compaction` to be 'inline' with a custom `fs` (a worker cannot share it)",
      );
    }
    this.#compactor = mode === 'worker' ? workerCompactor() : inlineCompactor(this.#fs);
  }

  /**
   * Opens (or creates) the store in `dir`: replays the write-ahead log, writes what it held as
   * a table, and starts a fresh log. Rejects with `PERF_LSM_LOCKED` when another process has
   * it open, `PERF_LSM_NOT_FOUND` / `PERF_LSM_EXISTS` per `createIfMissing` / `errorIfExists`,
   * `PERF_LSM_CORRUPTION` when the manifest or a log record is damaged.
   */
  static async open(dir: string, options: StoreOptions = {}): Promise<LsmStore> {
    if (typeof dir !== 'string' || dir.length === 0) {
      throw new TypeError(`Expected \`dir\` to be a non-empty string, got ${describe(dir)}`);
    }
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`Expected \`options\` to be an object, got ${describe(options)}`);
    }
    const store = new LsmStore(resolvePath(dir), options);
    try {
      store.#recover(
        boolOption(options, 'createIfMissing', true),
        boolOption(options, 'errorIfExists', false),
      );
    } catch (err) {
      store.#abandon();
      throw store.#wrap(err, dir);
    }
    store.#maybeCompact();
    return store;
  }

  // ---------------------------------------------------------------- open / recovery

  #wrap(err: unknown, path: string): unknown {
    if (LsmError.is(err) || err instanceof TypeError || err instanceof RangeError) return err;
    return new IoError(path, err);
  }

  #path(name: string): string {
    return `${this.dir}/${name}`;
  }

  #lock(): void {
    if (openDirs(this.#fs).has(this.dir)) throw new LockedError(this.dir, process.pid);
    const lockPath = this.#path('LOCK');
    for (let attempt = 0; attempt < 2; attempt++) {
      let fd: number;
      try {
        fd = this.#fs.open(lockPath, 'exclusive');
      } catch (err) {
        if ((err as NodeJS.ErrnoException)?.code !== 'EEXIST') throw err;
        // Only a whole "<pid>\n" counts: a torn LOCK (a power cut mid-write) is stale.
        const m = /^(\d+)\n$/.exec(Buffer.from(readWholeFile(this.#fs, lockPath)).toString());
        const pid = m === null ? 0 : Number(m[1]);
        if (pid > 0 && pid !== process.pid && alive(pid)) throw new LockedError(this.dir, pid);
        this.#fs.remove(lockPath); // stale: its process is gone (or it is us, after a crash)
        continue;
      }
      const text = Buffer.from(`${process.pid}\n`);
      this.#fs.append(fd, text, 0, text.length);
      this.#fs.close(fd);
      openDirs(this.#fs).add(this.dir);
      this.#locked = true;
      return;
    }
    throw new LockedError(this.dir, undefined);
  }

  #recover(createIfMissing: boolean, errorIfExists: boolean): void {
    const fs = this.#fs;
    if (!fs.exists(this.dir)) {
      if (!createIfMissing) throw new NotFoundError(this.dir);
      fs.mkdir(this.dir);
    }
    this.#lock();
    let edits: VersionEdit[] = [];
    let logNumber = 0;
    const currentPath = this.#path('CURRENT');
    const names = fs.list(this.dir);
    if (fs.exists(currentPath)) {
      if (errorIfExists) throw new ExistsError(this.dir);
      const current = Buffer.from(readWholeFile(fs, currentPath)).toString('utf8');
      const m = /^(MANIFEST-\d{6,})\n$/.exec(current);
      if (m === null) throw new CorruptionError(currentPath, 0, 'CURRENT does not name a manifest');
      const manifestPath = this.#path(m[1]!);
      if (!fs.exists(manifestPath))
        throw new CorruptionError(manifestPath, 0, 'Manifest named by CURRENT is missing');
      const log = parseLog(manifestPath, readWholeFile(fs, manifestPath));
      edits = log.records.map((r, i) => decodeEdit(manifestPath, log.offsets[i]!, r));
      if (edits.length === 0) throw new CorruptionError(manifestPath, 0, 'Empty manifest');
    } else {
      const foreign = names.filter(
        (n) => n !== 'LOCK' && !FILE_RE.test(n) && !MANIFEST_RE.test(n) && !n.endsWith('.tmp'),
      );
      if (foreign.length > 0)
        throw new NotFoundError(this.dir, `${this.dir} is not a store (no CURRENT file)`);
      if (!createIfMissing) throw new NotFoundError(this.dir);
      // Leftovers of a creation that crashed before CURRENT existed hold no acknowledged data.
      for (const n of names) if (n !== 'LOCK') fs.remove(this.#path(n));
    }
    let version = Version.empty();
    for (const e of edits) {
      version = version.apply(e);
      if (e.logNumber !== undefined) logNumber = e.logNumber;
      if (e.nextFile !== undefined) this.#nextFile = Math.max(this.#nextFile, e.nextFile);
      if (e.lastSequence !== undefined) this.#lastSeq = Math.max(this.#lastSeq, e.lastSequence);
    }
    for (const n of names) {
      const m = FILE_RE.exec(n) ?? MANIFEST_RE.exec(n);
      if (m) this.#nextFile = Math.max(this.#nextFile, Number(m[1]) + 1);
    }
    for (const level of version.levels) {
      for (const f of level) {
        if (!fs.exists(tablePath(this.dir, f.number))) {
          throw new CorruptionError(
            tablePath(this.dir, f.number),
            0,
            'Table listed in the manifest is missing',
          );
        }
      }
    }
    // Replay every log not yet covered by a table, oldest first, into level-0 tables.
    const logs = names
      .map((n) => FILE_RE.exec(n))
      .filter(
        (m): m is RegExpExecArray => m !== null && m[2] === 'log' && Number(m[1]) >= logNumber,
      )
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    const added: FileMeta[] = [];
    let mem = new MemTable(0);
    const flushReplayed = () => {
      if (mem.count === 0) return;
      added.push(this.#writeTableSync(mem));
      mem = new MemTable(0);
    };
    // A torn tail is tolerated in the newest log only: it held the write in flight when the
    // process died. An older log was fsynced whole before its successor took writes, so any
    // shortfall there is lost acknowledged data; its successor's start record says how long
    // it must be (see encodeLogStart), which catches a cut at a record boundary and a log
    // missing altogether.
    const expected = new Map<number, number>();
    const parsed: { path: string; records: Uint8Array[]; offsets: number[] }[] = [];
    for (let li = logs.length - 1; li >= 0; li--) {
      const n = logs[li]!;
      const path = this.#path(fileName(n, '.log'));
      const newest = li === logs.length - 1;
      const data = readWholeFile(fs, path);
      const log = parseLog(path, data, newest);
      const want = expected.get(n);
      if (want !== undefined && data.length !== want) {
        throw new CorruptionError(
          path,
          Math.min(want, data.length),
          `Log is ${data.length} bytes; the log after it recorded ${want}`,
        );
      }
      expected.delete(n);
      parsed[li] = { path, records: log.records, offsets: log.offsets };
      const start = log.records.length > 0 ? decodeLogStart(log.records[0]!) : null;
      if (start !== null && start.prevNumber >= logNumber && start.prevNumber > 0) {
        expected.set(start.prevNumber, start.prevLength);
      }
    }
    for (const [n] of expected) {
      throw new CorruptionError(
        this.#path(fileName(n, '.log')),
        0,
        'Log named by its successor and not yet flushed is missing',
      );
    }
    for (const log of parsed) {
      const path = log.path;
      for (let i = 0; i < log.records.length; i++) {
        if (i === 0 && decodeLogStart(log.records[0]!) !== null) continue;
        const last = replayBatch(path, log.offsets[i]!, log.records[i]!, mem);
        if (last > this.#lastSeq) this.#lastSeq = last;
        if (mem.bytes >= this.#o.writeBufferSize) flushReplayed();
      }
    }
    flushReplayed();
    if (added.length > 0)
      version = version.apply({ added: added.map((file) => ({ level: 0, file })), deleted: [] });
    this.#version = version;
    // A fresh manifest holding the whole tree, then CURRENT, then the fresh log.
    const manifestNumber = this.#nextFile++;
    const newLog = this.#nextFile++;
    const snapshotEdit: VersionEdit = {
      logNumber: newLog,
      nextFile: this.#nextFile,
      lastSequence: this.#lastSeq,
      added: version.levels.flatMap((files, level) => files.map((file) => ({ level, file }))),
      deleted: [],
    };
    const manifestName = `MANIFEST-${String(manifestNumber).padStart(6, '0')}`;
    this.#manifest = new LogWriter(fs, fs.open(this.#path(manifestName), 'create'));
    this.#manifest.add(encodeEdit(snapshotEdit));
    fs.syncNow(this.#manifest.fd);
    const tmp = this.#path('CURRENT.tmp');
    const fd = fs.open(tmp, 'create');
    const text = Buffer.from(`${manifestName}\n`);
    fs.append(fd, text, 0, text.length);
    fs.syncNow(fd);
    fs.close(fd);
    fs.rename(tmp, currentPath);
    this.#log = new LogWriter(fs, fs.open(this.#path(fileName(newLog, '.log')), 'append'));
    this.#log.add(encodeLogStart(0, 0));
    this.#mem = new MemTable(newLog);
    fs.syncDir(this.dir);
    // Only now, with the new state durable, remove what it replaced.
    const live = new Set(version.levels.flatMap((l) => l.map((f) => f.number)));
    for (const n of fs.list(this.dir)) {
      const m = FILE_RE.exec(n);
      const mm = MANIFEST_RE.exec(n);
      if (m && m[2] === 'log' && Number(m[1]) < newLog) fs.remove(this.#path(n));
      else if (m && m[2] === 'sst' && !live.has(Number(m[1]))) fs.remove(this.#path(n));
      else if (mm && Number(mm[1]) !== manifestNumber) fs.remove(this.#path(n));
    }
  }

  /** Writes a memtable as a level-0 table, synchronously (recovery only). */
  #writeTableSync(mem: MemTable): FileMeta {
    const number = this.#nextFile++;
    const b = new TableBuilder(this.#fs, tablePath(this.dir, number), this.#o);
    for (let n = mem.first(); n !== null; n = n.next[0]!) b.add(n.key, n.seq, n.kind, n.value);
    const info = b.finish();
    b.syncNow();
    b.close();
    this.#stats.tableBytesWritten += info.size;
    return { number, ...info };
  }

  #abandon(): void {
    this.#closed = true;
    void this.#compactor.close();
    for (const t of this.#tables.values()) t.close();
    if (this.#locked) {
      openDirs(this.#fs).delete(this.dir);
      this.#fs.remove(this.#path('LOCK'));
    }
  }

  // ---------------------------------------------------------------- writes

  #checkWritable(): void {
    if (this.#closed) throw new ClosedError();
    if (this.#bgError !== null) throw this.#bgError;
  }

  /** True when this write must wait: a stall is in progress or the tree needs to catch up. */
  #mustStall(): boolean {
    if (this.#stalled.length > 0) return true;
    if (this.#mem.bytes >= this.#o.writeBufferSize) {
      if (this.#imm !== null) return true;
      this.#rotate();
    }
    return this.#version.levels[0]!.length >= this.#o.l0StopWritesTrigger;
  }

  #stall(write: () => Promise<void>): Promise<void> {
    if (this.#stalled.length === 0) this.#stallStart = performance.now();
    return new Promise<void>((resolve, reject) => {
      this.#stalled.push(() => {
        try {
          write().then(resolve, reject);
        } catch (err) {
          reject(err);
        }
      });
    });
  }

  /** Lets stalled writes through, in order, while there is room. */
  #releaseStalls(): void {
    while (this.#stalled.length > 0) {
      if (this.#closed || this.#bgError !== null) {
        for (const w of this.#stalled.splice(0)) w(); // each fails in its own write
        return;
      }
      if (this.#mem.bytes >= this.#o.writeBufferSize) {
        if (this.#imm !== null) return;
        this.#rotate();
      }
      if (this.#version.levels[0]!.length >= this.#o.l0StopWritesTrigger) return;
      this.#stalled.shift()!();
      if (this.#stalled.length === 0) this.#stats.stallMs += performance.now() - this.#stallStart;
    }
  }

  /** Logs one record and applies it; `fill` adds the operations to the record and memtable. */
  #commit(
    count: number,
    bytes: number,
    sync: boolean,
    fill: (sink: ByteSink, seq: number) => void,
  ): Promise<void> {
    const seq = this.#lastSeq + 1;
    const sink = this.#log.sink;
    beginBatch(sink, seq);
    fill(sink, seq);
    endBatch(sink, count);
    const before = this.#log.bytes;
    try {
      this.#log.commit();
    } catch (err) {
      this.#log.begin();
      this.#bgError = new IoError(this.#path(fileName(this.#mem.logNumber, '.log')), err);
      throw this.#bgError;
    }
    this.#stats.logBytes += this.#log.bytes - before;
    this.#lastSeq = seq + count - 1;
    this.#stats.writes += count;
    this.#stats.userBytes += bytes;
    return sync ? this.#groupSync() : DONE;
  }

  #putNow(k: Uint8Array, v: Uint8Array, sync: boolean): Promise<void> {
    this.#checkWritable();
    return this.#commit(1, k.length + v.length, sync, (sink, seq) => {
      addOp(sink, KIND_PUT, k, v);
      this.#mem.add(seq, KIND_PUT, k, v);
    });
  }

  #delNow(k: Uint8Array, sync: boolean): Promise<void> {
    this.#checkWritable();
    return this.#commit(1, k.length, sync, (sink, seq) => {
      addOp(sink, KIND_DELETE, k, EMPTY);
      this.#mem.add(seq, KIND_DELETE, k, EMPTY);
    });
  }

  #syncOf(options: WriteOptions | undefined): boolean {
    if (options === undefined) return this.#o.sync;
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`Expected \`options\` to be an object, got ${describe(options)}`);
    }
    return options.sync === undefined ? this.#o.sync : boolOption(options, 'sync', false);
  }

  /**
   * Stores `value` under `key`. Resolves once the write reached the OS (or, with `sync`, the
   * disk). Bad arguments throw at once (TypeError/RangeError); after `close()` it rejects with
   * `PERF_LSM_CLOSED`.
   */
  put(key: Bytes, value: Bytes, options?: WriteOptions): Promise<void> {
    const k = toBytes(key, 'key', MAX_KEY_SIZE);
    const v = toBytes(value, 'value', MAX_VALUE_SIZE);
    const sync = this.#syncOf(options);
    try {
      if (!this.#closed && this.#mustStall()) return this.#stall(() => this.#putNow(k, v, sync));
      return this.#putNow(k, v, sync);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Deletes `key` (writes a tombstone). Same acknowledgement and errors as {@link put}. */
  delete(key: Bytes, options?: WriteOptions): Promise<void> {
    const k = toBytes(key, 'key', MAX_KEY_SIZE);
    const sync = this.#syncOf(options);
    try {
      if (!this.#closed && this.#mustStall()) return this.#stall(() => this.#delNow(k, sync));
      return this.#delNow(k, sync);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Applies `operations` atomically: one log record, consecutive sequence numbers; after a
   * crash all of them are present or none. An empty batch resolves at once.
   */
  batch(operations: readonly BatchOperation[], options?: WriteOptions): Promise<void> {
    if (!Array.isArray(operations)) {
      throw new TypeError(`Expected \`operations\` to be an array, got ${describe(operations)}`);
    }
    const kinds = new Uint8Array(operations.length);
    const keys: Uint8Array[] = new Array(operations.length);
    const values: Uint8Array[] = new Array(operations.length);
    let bytes = 0;
    for (let i = 0; i < operations.length; i++) {
      const op = operations[i] as BatchOperation;
      if (typeof op !== 'object' || op === null) {
        throw new TypeError(`Expected \`operations[${i}]\` to be an object, got ${describe(op)}`);
      }
      keys[i] = toBytes(op.key, `operations[${i}].key`, MAX_KEY_SIZE);
      if (op.type === 'put') {
        kinds[i] = KIND_PUT;
        values[i] = toBytes(op.value, `operations[${i}].value`, MAX_VALUE_SIZE);
      } else if (op.type === 'del') {
        kinds[i] = KIND_DELETE;
        values[i] = EMPTY;
      } else {
        throw new TypeError(
          `Expected \`operations[${i}].type\` to be 'put' or 'del', got ${describe((op as { type: unknown }).type)}`,
        );
      }
      bytes += keys[i]!.length + values[i]!.length;
    }
    const sync = this.#syncOf(options);
    if (operations.length === 0) return this.#closed ? Promise.reject(new ClosedError()) : DONE;
    const write = () => {
      this.#checkWritable();
      return this.#commit(operations.length, bytes, sync, (sink, seq) => {
        for (let i = 0; i < kinds.length; i++) addOp(sink, kinds[i]!, keys[i]!, values[i]!);
        for (let i = 0; i < kinds.length; i++)
          this.#mem.add(seq + i, kinds[i]!, keys[i]!, values[i]!);
      });
    };
    try {
      if (!this.#closed && this.#mustStall()) return this.#stall(write);
      return write();
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Joins the next group commit: one fsync for every write that reached the log before it. */
  #groupSync(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#syncWaiters.push({ resolve, reject });
      if (this.#syncing === null && !this.#syncScheduled) {
        // Start at the end of this tick, so writers issued in the same tick share the fsync.
        this.#syncScheduled = true;
        queueMicrotask(() => this.#startSync());
      }
    });
  }

  #startSync(): void {
    this.#syncScheduled = false;
    const waiters = this.#syncWaiters;
    if (waiters.length === 0) return;
    this.#syncWaiters = [];
    const log = this.#log;
    this.#stats.syncs++;
    this.#syncing = this.#fs.sync(log.fd).then(
      () => {
        for (const w of waiters) w.resolve();
      },
      (err: unknown) => {
        this.#bgError ??= new IoError(this.#path(fileName(this.#mem.logNumber, '.log')), err);
        for (const w of waiters) w.reject(this.#bgError);
      },
    );
    void this.#syncing.then(() => {
      this.#syncing = null;
      if (this.#syncWaiters.length > 0) this.#startSync();
    });
  }

  /** Freezes the memtable and starts a new log; the frozen one is flushed in the background. */
  #rotate(): void {
    const number = this.#nextFile++;
    const fd = this.#fs.open(this.#path(fileName(number, '.log')), 'append');
    // The old log is made durable before the new one takes writes: a later synced write then
    // implies every earlier write survives a power cut (no gap between logs), and writers still
    // waiting for a group commit on the old log are covered by the new log's next fsync.
    // One fsync per `writeBufferSize` of writes.
    this.#fs.syncNow(this.#log.fd);
    this.#fs.syncDir(this.dir); // the new log's name must survive a power cut with its data
    const prevLength = this.#fs.size(this.#log.fd);
    this.#oldLogs.push(this.#log);
    this.#log = new LogWriter(this.#fs, fd);
    this.#log.add(encodeLogStart(this.#mem.logNumber, prevLength));
    this.#imm = this.#mem;
    this.#mem = new MemTable(number);
    this.#flushing = this.#flushImm().catch((err: unknown) => {
      // A flush cut short by close() is no failure: its logs stay and are replayed on open.
      if (!this.#closed) this.#bgError ??= LsmError.is(err) ? err : new IoError(this.dir, err);
      this.#releaseStalls();
    });
  }

  /** Writes the frozen memtable as a level-0 table, in slices, then publishes it. */
  async #flushImm(): Promise<void> {
    const imm = this.#imm!;
    const number = this.#nextFile++;
    const builder = new TableBuilder(this.#fs, tablePath(this.dir, number), this.#o);
    let info: ReturnType<TableBuilder['finish']>;
    try {
      let i = 0;
      for (let n = imm.first(); n !== null; n = n.next[0]!) {
        builder.add(n.key, n.seq, n.kind, n.value);
        if (++i % FLUSH_SLICE === 0) {
          await new Promise<void>((r) => setImmediate(r));
          if (this.#closed) throw new ClosedError();
        }
      }
      info = builder.finish();
      await builder.sync();
      builder.close();
      this.#fs.syncDir(this.dir);
    } catch (err) {
      builder.close();
      this.#fs.remove(tablePath(this.dir, number));
      throw err;
    }
    this.#stats.tableBytesWritten += info.size;
    this.#stats.flushes++;
    const added = info.entries > 0 ? [{ level: 0, file: { number, ...info } }] : [];
    // Logs older than the active one hold only what this table now holds. Capture both before
    // the first await: once `#imm` is null a write may rotate again, and the log it retires
    // must survive until its own flush.
    const keepFrom = this.#mem.logNumber;
    const retired = this.#oldLogs.splice(0);
    await this.#logAndApply({ logNumber: keepFrom, added, deleted: [] });
    this.#imm = null;
    this.#flushing = null;
    for (const old of retired) {
      await this.#syncing; // an fsync in flight may still use the descriptor
      this.#fs.close(old.fd);
    }
    for (const n of this.#fs.list(this.dir)) {
      const m = FILE_RE.exec(n);
      if (m && m[2] === 'log' && Number(m[1]) < keepFrom) this.#fs.remove(this.#path(n));
    }
    this.#releaseStalls();
    this.#maybeCompact();
  }

  /** Appends an edit to the manifest, fsyncs it, and installs the new version. Serialised. */
  #logAndApply(edit: VersionEdit): Promise<void> {
    const run = async () => {
      edit.nextFile = this.#nextFile;
      edit.lastSequence = this.#lastSeq;
      this.#manifest.add(encodeEdit(edit));
      await this.#fs.sync(this.#manifest.fd);
      const old = this.#version;
      this.#version = old.apply(edit);
      for (const d of edit.deleted) this.#obsolete.add(d.number);
      this.#deleteObsolete();
    };
    const p = this.#manifestChain.then(run);
    this.#manifestChain = p.catch(() => {});
    return p;
  }

  #deleteObsolete(): void {
    if (this.#obsolete.size === 0) return;
    const live = new Set<number>();
    for (const v of [this.#version, ...this.#pinned])
      for (const l of v.levels) for (const f of l) live.add(f.number);
    for (const n of this.#obsolete) {
      if (live.has(n)) continue;
      this.#obsolete.delete(n);
      this.#tables.get(n)?.close();
      this.#tables.delete(n);
      this.#cache.evictFile(n);
      this.#fs.remove(tablePath(this.dir, n));
    }
  }

  // ---------------------------------------------------------------- compaction

  #maxBytes(level: number): number {
    return this.#o.levelBaseBytes * 10 ** (level - 1);
  }

  /** Picks the most urgent compaction, or null: level 0 by file count, deeper levels by size. */
  #pick(): { level: number; inputs: FileMeta[]; next: FileMeta[] } | null {
    const v = this.#version;
    if (v.levels[0]!.length >= this.#o.l0CompactionTrigger)
      return this.#expand(0, v.levels[0]!.slice());
    let best = -1;
    let bestScore = 1;
    for (let level = 1; level < NUM_LEVELS - 1; level++) {
      const score = v.levelBytes(level) / this.#maxBytes(level);
      if (score > bestScore) {
        best = level;
        bestScore = score;
      }
    }
    if (best < 0) return null;
    // Round-robin through the level's key space (LevelDB's compact pointer).
    const files = v.levels[best]!;
    const ptr = this.#compactPointer[best]!;
    const f = files.find((x) => ptr === null || compareBytes(x.smallest, ptr) > 0) ?? files[0]!;
    return this.#expand(best, [f]);
  }

  #expand(level: number, inputs: FileMeta[]) {
    let lo = inputs[0]!.smallest;
    let hi = inputs[0]!.largest;
    for (const f of inputs) {
      if (compareBytes(f.smallest, lo) < 0) lo = f.smallest;
      if (compareBytes(f.largest, hi) > 0) hi = f.largest;
    }
    return { level, inputs, next: this.#version.overlapping(level + 1, lo, hi) };
  }

  /** Starts a background compaction when one is due and none is running. */
  #maybeCompact(): void {
    if (this.#closed || this.#compacting !== null || this.#bgError !== null) return;
    const pick = this.#pick();
    if (pick === null) return;
    this.#compacting = this.#exclusive(() => this.#compact(pick.level, pick.inputs, pick.next))
      .catch((err: unknown) => {
        if (!this.#closed) this.#bgError ??= LsmError.is(err) ? err : new IoError(this.dir, err);
      })
      .finally(() => {
        this.#compacting = null;
        this.#releaseStalls();
        this.#maybeCompact();
      });
  }

  /** Runs `fn` after every compaction already queued (background and manual never overlap). */
  #exclusive(fn: () => Promise<void>): Promise<void> {
    const p = this.#compactChain.then(fn);
    this.#compactChain = p.catch(() => {});
    return p;
  }

  async #compact(level: number, inputs: FileMeta[], next: FileMeta[]): Promise<void> {
    if (this.#closed) return;
    const out = level + 1;
    const all = [...inputs, ...next];
    let lo = all[0]!.smallest;
    let hi = all[0]!.largest;
    let bytes = 0;
    for (const f of all) {
      if (compareBytes(f.smallest, lo) < 0) lo = f.smallest;
      if (compareBytes(f.largest, hi) > 0) hi = f.largest;
      bytes += f.size;
    }
    let bottom = true;
    for (let l = out + 1; l < NUM_LEVELS; l++)
      if (this.#version.overlapping(l, lo, hi).length > 0) bottom = false;
    const reserve = Math.ceil(bytes / this.#o.tableFileSize) + all.length + 2;
    const fileNumbers = Array.from({ length: reserve }, () => this.#nextFile++);
    let smallestSnapshot = this.#lastSeq;
    for (const s of this.#snapshots.values()) if (s < smallestSnapshot) smallestSnapshot = s;
    const job: CompactionJob = {
      dir: this.dir,
      runs:
        level === 0
          ? [
              { level: 0, files: inputs },
              { level: 1, files: next },
            ]
          : [
              { level, files: inputs },
              { level: out, files: next },
            ],
      fileNumbers,
      smallestSnapshot,
      dropTombstones: bottom,
      blockSize: this.#o.blockSize,
      bloomBitsPerKey: this.#o.bloomBitsPerKey,
      tableFileSize: this.#o.tableFileSize,
    };
    const result = await this.#compactor.run(job);
    if (this.#closed) {
      for (const o of result.outputs) this.#fs.remove(tablePath(this.dir, o.number));
      return;
    }
    this.#stats.tableBytesWritten += result.bytesWritten;
    this.#stats.compactions++;
    if (level > 0) this.#compactPointer[level] = inputs[inputs.length - 1]!.largest;
    await this.#logAndApply({
      added: result.outputs.map(({ number, size, entries, smallest, largest }) => ({
        level: out,
        file: { number, size, entries, smallest, largest },
      })),
      deleted: [
        ...inputs.map((f) => ({ level, number: f.number })),
        ...next.map((f) => ({ level: out, number: f.number })),
      ],
    });
  }

  /** Writes the memtable as a table now (even if small) and waits for it. */
  async flush(): Promise<void> {
    if (this.#closed) throw new ClosedError();
    while (this.#flushing !== null) await this.#flushing;
    if (this.#bgError !== null) throw this.#bgError;
    if (this.#mem.count > 0) {
      this.#rotate();
      await this.#flushing;
    }
    if (this.#bgError !== null) throw this.#bgError;
  }

  /**
   * Flushes the memtable, then merges every table that overlaps `range` (all of them without a
   * range) level by level down to the deepest non-empty level: one sorted run, with shadowed
   * versions and (at the bottom) tombstones dropped.
   */
  async compact(range: KeyRange = {}): Promise<void> {
    const { lower, upper } = this.#bounds(range);
    await this.flush();
    await this.#exclusive(async () => {
      let deepest = 0;
      for (let l = 0; l < NUM_LEVELS; l++) if (this.#version.levels[l]!.length > 0) deepest = l;
      for (let level = 0; level < Math.max(1, deepest); level++) {
        if (this.#closed) throw new ClosedError();
        const inputs = this.#version.overlapping(level, lower, upper);
        if (inputs.length === 0) continue;
        const e = this.#expand(level, inputs);
        await this.#compact(e.level, e.inputs, e.next);
      }
    });
    if (this.#bgError !== null) throw this.#bgError;
  }

  // ---------------------------------------------------------------- reads

  #readSeq(options: ReadOptions | undefined): number {
    if (options === undefined) return this.#lastSeq;
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`Expected \`options\` to be an object, got ${describe(options)}`);
    }
    const s = options.snapshot;
    if (s === undefined) return this.#lastSeq;
    if (!(s instanceof Snapshot) || s.owner !== this) {
      throw new TypeError(
        `Expected \`snapshot\` to be a snapshot of this store, got ${describe(s)}`,
      );
    }
    s.check();
    return s.sequence;
  }

  #table(f: FileMeta): TableReader {
    let t = this.#tables.get(f.number);
    if (t === undefined) {
      t = TableReader.open(this.#fs, tablePath(this.dir, f.number), f.number, this.#cache);
      this.#tables.set(f.number, t);
    }
    return t;
  }

  /** The newest visible version: a value view, TOMBSTONE, or undefined. */
  #lookup(k: Uint8Array, seq: number): Uint8Array | undefined {
    const node = this.#mem.get(k, seq) ?? this.#imm?.get(k, seq) ?? null;
    if (node !== null) return node.kind === KIND_PUT ? node.value : TOMBSTONE;
    const levels = this.#version.levels;
    for (const f of levels[0]!) {
      if (compareBytes(k, f.smallest) < 0 || compareBytes(k, f.largest) > 0) continue;
      const r = this.#tableGet(f, k, seq);
      if (r !== undefined) return r;
    }
    for (let l = 1; l < NUM_LEVELS; l++) {
      const files = levels[l]!;
      if (files.length === 0) continue;
      const i = findFile(files, k);
      if (i >= files.length) continue;
      const f = files[i]!;
      if (compareBytes(k, f.smallest) < 0) continue;
      const r = this.#tableGet(f, k, seq);
      if (r !== undefined) return r;
    }
    return undefined;
  }

  #tableGet(f: FileMeta, k: Uint8Array, seq: number): Uint8Array | undefined {
    const t = this.#table(f);
    if (t.filter !== null && !t.filter.has(k)) {
      this.#stats.bloomNegatives++;
      return undefined;
    }
    return t.get(k, seq);
  }

  /**
   * The value of `key` (a fresh Buffer), or undefined — synchronously: a read never leaves the
   * main thread (a block read is one `readSync`). Throws `PERF_LSM_CORRUPTION` rather than
   * return a value that failed its checksum.
   */
  getSync(key: Bytes, options?: ReadOptions): Buffer | undefined {
    const k = toBytes(key, 'key', MAX_KEY_SIZE);
    const seq = this.#readSeq(options);
    if (this.#closed) throw new ClosedError();
    const v = this.#lookup(k, seq);
    return v === undefined || v === TOMBSTONE ? undefined : copyBytes(v);
  }

  /** The value of `key`, or undefined. See {@link getSync}. */
  get(key: Bytes, options?: ReadOptions): Promise<Buffer | undefined> {
    try {
      return Promise.resolve(this.getSync(key, options));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Values of `keys`, in order (undefined for a missing key), all at one read point. */
  getMany(keys: readonly Bytes[], options?: ReadOptions): Promise<(Buffer | undefined)[]> {
    try {
      if (!Array.isArray(keys))
        throw new TypeError(`Expected \`keys\` to be an array, got ${describe(keys)}`);
      const ks = keys.map((k, i) => toBytes(k, `keys[${i}]`, MAX_KEY_SIZE));
      const seq = this.#readSeq(options);
      if (this.#closed) throw new ClosedError();
      return Promise.resolve(
        ks.map((k) => {
          const v = this.#lookup(k, seq);
          return v === undefined || v === TOMBSTONE ? undefined : copyBytes(v);
        }),
      );
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** True when `key` has a value (without copying it). */
  has(key: Bytes, options?: ReadOptions): Promise<boolean> {
    try {
      const k = toBytes(key, 'key', MAX_KEY_SIZE);
      const seq = this.#readSeq(options);
      if (this.#closed) throw new ClosedError();
      const v = this.#lookup(k, seq);
      return Promise.resolve(v !== undefined && v !== TOMBSTONE);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  #bounds(range: KeyRange): Bounds {
    if (typeof range !== 'object' || range === null) {
      throw new TypeError(`Expected \`options\` to be an object, got ${describe(range)}`);
    }
    const b = (name: 'gt' | 'gte' | 'lt' | 'lte') =>
      range[name] === undefined ? null : toBytes(range[name], name, MAX_KEY_SIZE);
    const gt = b('gt');
    const gte = b('gte');
    const lt = b('lt');
    const lte = b('lte');
    // With both bounds of a side given, the inclusive one wins (abstract-level's rule).
    return {
      lower: gte ?? gt,
      lowerInclusive: gte !== null,
      upper: lte ?? lt,
      upperInclusive: lte !== null,
    };
  }

  /** The internal merged stream of everything in `version` plus the memtables. */
  #merged(version: Version, reverse: boolean): InternalIterator {
    const children: InternalIterator[] = [this.#mem.iterator()];
    if (this.#imm !== null) children.push(this.#imm.iterator());
    for (const f of version.levels[0]!) children.push(this.#table(f).iterator());
    for (let l = 1; l < NUM_LEVELS; l++) {
      const files = version.levels[l]!;
      if (files.length > 0) children.push(new LevelIterator(files, (f) => this.#table(f)));
    }
    return new MergingIterator(children, reverse);
  }

  /**
   * An iterator over `[key, value]` entries in key order (or reverse), within the range, at
   * one point in time (the snapshot, or now). Async-iterable and iterable; `nextv(n)` returns
   * entries in bulk; `seek(key)` repositions. Close it (or iterate to the end) to release the
   * tables it reads.
   */
  iterator(options: IteratorOptions = {}): LsmIterator {
    const bounds = this.#bounds(options);
    const reverse = boolOption(options, 'reverse', false);
    const rawLimit = options.limit ?? Number.POSITIVE_INFINITY;
    if (
      typeof rawLimit !== 'number' ||
      Number.isNaN(rawLimit) ||
      (rawLimit < 0 && rawLimit !== -1)
    ) {
      throw new RangeError(
        `Expected \`limit\` to be a number from 0 and up, or -1, got ${describe(rawLimit)}`,
      );
    }
    const limit = rawLimit === -1 ? Number.POSITIVE_INFINITY : rawLimit;
    const seq = this.#readSeq(options);
    if (this.#closed) throw new ClosedError();
    const version = this.#version;
    version.refs++;
    this.#pinned.add(version);
    let it: LsmIterator;
    try {
      it = new LsmIterator(this.#merged(version, reverse), seq, bounds, reverse, limit, (done) => {
        this.#iterators.delete(done);
        if (--version.refs === 0) {
          this.#pinned.delete(version);
          this.#deleteObsolete();
        }
      });
    } catch (err) {
      if (--version.refs === 0) this.#pinned.delete(version);
      throw err;
    }
    this.#iterators.add(it);
    return it;
  }

  /** A point-in-time view for reads and iterators (`{ snapshot }`). Release with `close()`. */
  snapshot(): Snapshot {
    if (this.#closed) throw new ClosedError();
    const s = new Snapshot(this, this.#lastSeq, (done) => this.#snapshots.delete(done));
    this.#snapshots.set(s, s.sequence);
    return s;
  }

  /**
   * Deletes every key in `range` (all keys without one), in batches of 1000 as of the moment it
   * starts. Each batch is atomic; the whole clear is not (a crash midway leaves a prefix done).
   */
  async clear(options: ClearOptions = {}): Promise<void> {
    const sync = this.#syncOf(options);
    const it = this.iterator({ ...options, limit: options.limit ?? Number.POSITIVE_INFINITY });
    try {
      for (;;) {
        const batch = it.nextvSync(1000);
        if (batch.length === 0) break;
        await this.batch(
          batch.map(([key]) => ({ type: 'del' as const, key })),
          { sync },
        );
      }
    } finally {
      it.close();
    }
  }

  // ---------------------------------------------------------------- status

  stats(): StoreStats {
    const v = this.#version;
    const levels = v.levels.map((files, level) => ({
      level,
      files: files.length,
      bytes: v.levelBytes(level),
    }));
    const s = this.#stats;
    return {
      sequence: this.#lastSeq,
      memtableBytes: this.#mem?.bytes ?? 0,
      flushing: this.#imm !== null,
      levels,
      tableBytes: levels.reduce((a, l) => a + l.bytes, 0),
      writes: s.writes,
      syncs: s.syncs,
      userBytes: s.userBytes,
      tableBytesWritten: s.tableBytesWritten,
      writeAmplification: s.userBytes === 0 ? 0 : (s.logBytes + s.tableBytesWritten) / s.userBytes,
      flushes: s.flushes,
      compactions: s.compactions,
      stallMs: s.stallMs,
      blockCache: {
        bytes: this.#cache.bytes,
        budget: this.#cache.budget,
        hits: this.#cache.hits,
        misses: this.#cache.misses,
      },
      bloomNegatives: s.bloomNegatives,
    };
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Waits for in-flight group commits and background work, fsyncs the log, closes every file
   * and releases the lock. Open iterators are closed. Idempotent.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const it of [...this.#iterators]) it.close();
    this.#releaseStalls();
    while (this.#syncing !== null || this.#syncScheduled) {
      if (this.#syncing !== null) await this.#syncing;
      else await DONE;
    }
    await this.#flushing;
    await this.#compacting;
    await this.#compactChain;
    await this.#manifestChain;
    await this.#compactor.close();
    try {
      for (const log of [...this.#oldLogs, this.#log]) {
        if (this.#bgError === null) this.#fs.syncNow(log.fd);
        this.#fs.close(log.fd);
      }
      this.#fs.close(this.#manifest.fd);
    } finally {
      for (const t of this.#tables.values()) t.close();
      this.#tables.clear();
      for (const s of [...this.#snapshots.keys()]) s.close();
      openDirs(this.#fs).delete(this.dir);
      this.#fs.remove(this.#path('LOCK'));
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
