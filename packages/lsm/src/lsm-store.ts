/**
 * The store: a log-structured merge tree in the lineage of LevelDB and RocksDB. This file is
 * the public API — argument checks, then one call into the part that does the work, each in
 * its own file under internal/ along LevelDB's seams:
 *
 * ```
 *  options.ts, filename.ts   options resolved at open; the names of the store's files
 *  lock-file.ts              one process at a time
 *  recovery.ts               open: manifest, log replay (the torn-tail rule), fresh log
 *  version-set.ts            current version, manifest and logAndApply, obsolete tables,
 *                            compaction picking
 *  write-path.ts             the one write routine: stall, log, memtable, group commit, flush
 *  read-path.ts              point lookups and the merged iterator
 * ```
 *
 * Compactions run here: the version set picks one, a compactor merges the tables (in a worker
 * thread by default), and the result is published as a manifest edit.
 */
import { resolve as resolvePath } from 'node:path';
import { ClosedError, IoError, LsmError } from './errors.js';
import { addOp } from './internal/batch.js';
import { compareBytes } from './internal/coding.js';
import { type CompactionJob, type CompactionResult, tablePath } from './internal/compaction.js';
import { type Compactor, inlineCompactor, workerCompactor } from './internal/compactor.js';
import { KIND_DELETE, KIND_PUT } from './internal/iterator.js';
import { releaseLock } from './internal/lock-file.js';
import {
  boolOption,
  describe,
  MAX_KEY_SIZE,
  MAX_VALUE_SIZE,
  objectArg,
  type Resolved,
  resolveOptions,
  toBytes,
} from './internal/options.js';
import { FOUND_VALUE, ReadPath } from './internal/read-path.js';
import { recover } from './internal/recovery.js';
import { newCounters } from './internal/stats.js';
import { BlockCache } from './internal/table.js';
import { type FileMeta, NUM_LEVELS, type VersionEdit } from './internal/version.js';
import { VersionSet } from './internal/version-set.js';
import { WritePath } from './internal/write-path.js';
import { type Bounds, LsmIterator } from './lsm-iterator.js';
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

export { MAX_KEY_SIZE, MAX_VALUE_SIZE };

const DONE: Promise<void> = Promise.resolve();
const EMPTY = new Uint8Array(0);

/** A merge handed to the compactor, until its edit is installed. */
interface CompactionTask {
  level: number;
  inputs: FileMeta[];
  next: FileMeta[];
  /** Set by the first of the two installers (event loop, synchronous read). */
  installed: boolean;
  /** Settles once the edit is applied (or the merge failed). */
  done: Promise<void>;
}

export class LsmStore {
  readonly dir: string;
  readonly #fs: FileSystem;
  readonly #o: Resolved;
  readonly #vs: VersionSet;
  readonly #compactor: Compactor;
  readonly #stats = newCounters();
  #w!: WritePath;
  #r!: ReadPath;
  #closed = false;
  #locked = false;
  readonly #iterators = new Set<LsmIterator>();
  readonly #snapshots = new Map<Snapshot, number>();
  /** The background compaction in flight (at most one; never beside a manual one). */
  #bg: CompactionTask | null = null;
  /** Manual `compact()` calls queued or running: no background compaction starts meanwhile. */
  #manual = 0;
  #compactChain: Promise<void> = DONE;

  private constructor(dir: string, options: StoreOptions) {
    this.dir = dir;
    this.#fs = options.fs ?? nodeFileSystem;
    this.#o = resolveOptions(options, options.fs !== undefined && options.fs !== nodeFileSystem);
    this.#vs = new VersionSet(dir, this.#fs, new BlockCache(this.#o.blockCacheSize));
    this.#compactor =
      this.#o.compaction === 'worker' ? workerCompactor() : inlineCompactor(this.#fs);
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
    objectArg(options);
    const store = new LsmStore(resolvePath(dir), options);
    try {
      const { log, mem } = recover(
        store.#fs,
        store.#o,
        store.#vs,
        store.#stats,
        boolOption(options, 'createIfMissing', true),
        boolOption(options, 'errorIfExists', false),
        () => {
          store.#locked = true;
        },
      );
      store.#w = new WritePath(store.#fs, store.#o, store.#vs, store.#stats, log, mem, () =>
        store.#maybeCompact(),
      );
      store.#r = new ReadPath(store.#vs, store.#w, store.#stats);
    } catch (err) {
      store.#abandon();
      throw LsmError.is(err) || err instanceof TypeError || err instanceof RangeError
        ? err
        : new IoError(dir, err);
    }
    store.#maybeCompact();
    return store;
  }

  #abandon(): void {
    this.#closed = true;
    void this.#compactor.close();
    this.#vs.close();
    if (this.#locked) releaseLock(this.#fs, this.dir);
  }

  // ---------------------------------------------------------------- writes

  #syncOf(options: WriteOptions | undefined): boolean {
    if (options === undefined) return this.#o.sync;
    objectArg(options);
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
    if (this.#closed) return Promise.reject(new ClosedError());
    return this.#w.write(1, k.length + v.length, sync, (sink, seq, mem) => {
      addOp(sink, KIND_PUT, k, v);
      mem.add(seq, KIND_PUT, k, v);
    });
  }

  /** Deletes `key` (writes a tombstone). Same acknowledgement and errors as {@link put}. */
  delete(key: Bytes, options?: WriteOptions): Promise<void> {
    const k = toBytes(key, 'key', MAX_KEY_SIZE);
    const sync = this.#syncOf(options);
    if (this.#closed) return Promise.reject(new ClosedError());
    return this.#w.write(1, k.length, sync, (sink, seq, mem) => {
      addOp(sink, KIND_DELETE, k, EMPTY);
      mem.add(seq, KIND_DELETE, k, EMPTY);
    });
  }

  /**
   * Applies `operations` atomically: one log record, consecutive sequence numbers; after a
   * crash all of them are present or none. An empty batch resolves at once.
   */
  batch(operations: readonly BatchOperation[], options?: WriteOptions): Promise<void> {
    if (!Array.isArray(operations)) {
      throw new TypeError(`Expected \`operations\` to be an array, got ${describe(operations)}`);
    }
    const n = operations.length;
    const kinds = new Uint8Array(n);
    const keys: Uint8Array[] = new Array(n);
    const values: Uint8Array[] = new Array(n);
    let bytes = 0;
    for (let i = 0; i < n; i++) {
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
    if (this.#closed) return Promise.reject(new ClosedError());
    if (n === 0) return DONE;
    return this.#w.write(n, bytes, sync, (sink, seq, mem) => {
      for (let i = 0; i < n; i++) addOp(sink, kinds[i]!, keys[i]!, values[i]!);
      for (let i = 0; i < n; i++) mem.add(seq + i, kinds[i]!, keys[i]!, values[i]!);
    });
  }

  // ---------------------------------------------------------------- compaction

  /** Starts a background compaction when one is due and none (background or manual) runs. */
  #maybeCompact(): void {
    if (this.#closed || this.#bg !== null || this.#manual > 0 || this.#w.bgError !== null) return;
    const pick = this.#vs.pick(this.#o);
    if (pick === null) return;
    const task = this.#start(pick.level, pick.inputs, pick.next);
    this.#bg = task;
    task.done = task.done
      .catch((err: unknown) => this.#bgFailed(err))
      .finally(() => this.#bgSettled(task));
  }

  /** A background merge or its install failed: the store stops taking writes. */
  #bgFailed(err: unknown): void {
    if (!this.#closed) this.#w.bgError ??= LsmError.is(err) ? err : new IoError(this.dir, err);
  }

  /** After `task` is installed (or failed), by either installer: stalled writers go on. */
  #bgSettled(task: CompactionTask): void {
    if (this.#bg === task) this.#bg = null;
    this.#w.releaseStalls();
    this.#maybeCompact();
  }

  /** Runs `fn` after every manual compaction already queued (they never overlap). */
  #exclusive(fn: () => Promise<void>): Promise<void> {
    const p = this.#compactChain.then(fn);
    this.#compactChain = p.catch(() => {});
    return p;
  }

  /**
   * Hands the merge of `inputs` (of `level`) with `next` (of level + 1) to the compactor. The
   * result is installed by whichever comes first: the event loop (the task's `done`), or a
   * synchronous read ({@link #catchUp}).
   */
  #start(level: number, inputs: FileMeta[], next: FileMeta[]): CompactionTask {
    const vs = this.#vs;
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
      if (vs.current.overlapping(l, lo, hi).length > 0) bottom = false;
    const reserve = Math.ceil(bytes / this.#o.tableFileSize) + all.length + 2;
    const fileNumbers = Array.from({ length: reserve }, () => vs.newFileNumber());
    let smallestSnapshot = vs.lastSeq;
    for (const s of this.#snapshots.values()) if (s < smallestSnapshot) smallestSnapshot = s;
    const job: CompactionJob = {
      dir: this.dir,
      runs: [
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
    const task: CompactionTask = { level, inputs, next, installed: false, done: DONE };
    task.done = this.#compactor.run(job).then((result) => this.#finish(task, result, false));
    return task;
  }

  /**
   * Publishes a finished merge as one manifest edit, once (the second caller returns): fsynced
   * on the threadpool from the event loop, on this thread from {@link #catchUp}. Either way the
   * edit is durable before the inputs are deleted, and tables a pinned version (an open
   * iterator) lists stay until it is released.
   */
  #finish(task: CompactionTask, result: CompactionResult, now: boolean): Promise<void> | undefined {
    if (task.installed) return undefined;
    task.installed = true;
    if (this.#closed) {
      for (const o of result.outputs) this.#fs.remove(tablePath(this.dir, o.number));
      return undefined;
    }
    const { level, inputs, next } = task;
    const out = level + 1;
    this.#stats.tableBytesWritten += result.bytesWritten;
    this.#stats.compactions++;
    this.#vs.compacted(level, inputs[inputs.length - 1]!.largest);
    const edit: VersionEdit = {
      added: result.outputs.map(({ number, size, entries, smallest, largest }) => ({
        level: out,
        file: { number, size, entries, smallest, largest },
      })),
      deleted: [
        ...inputs.map((f) => ({ level, number: f.number })),
        ...next.map((f) => ({ level: out, number: f.number })),
      ],
    };
    if (!now) return this.#vs.logAndApply(edit);
    this.#vs.logAndApplySync(edit);
    return undefined;
  }

  /**
   * Called by every synchronous read before it looks: installs a background compaction the
   * worker has finished, and starts the next one due, without waiting for the event loop. A
   * loop of `getSync` never yields, so without this it would read through every level-0 table
   * a merge already replaced for as long as it runs. Costs a field test (and one shared-word
   * load while a merge runs). Skipped while another manifest edit (a flush) is in flight: the
   * event loop installs the result then, in order.
   */
  #catchUp(): void {
    const task = this.#bg;
    if (task === null || task.installed || !this.#vs.idle) return;
    const result = this.#compactor.takeFinished();
    if (result === undefined) return;
    try {
      this.#finish(task, result, true);
    } catch (err) {
      // As on the event-loop path: the store stops taking writes; this read is still answered.
      this.#bgFailed(err);
      return;
    }
    this.#bgSettled(task);
  }

  /** Writes the memtable as a table now (even if small) and waits for it. */
  flush(): Promise<void> {
    return this.#w.flush();
  }

  /**
   * Flushes the memtable, then merges every table that overlaps `range` (all of them without a
   * range) level by level down to the deepest non-empty level: one sorted run, with shadowed
   * versions and (at the bottom) tombstones dropped.
   */
  async compact(range: KeyRange = {}): Promise<void> {
    const { lower, upper } = this.#bounds(range);
    await this.flush();
    this.#manual++;
    try {
      await this.#exclusive(async () => {
        while (this.#bg !== null) await this.#bg.done;
        const levels = this.#vs.current.levels;
        let deepest = 0;
        for (let l = 0; l < NUM_LEVELS; l++) if (levels[l]!.length > 0) deepest = l;
        for (let level = 0; level < Math.max(1, deepest); level++) {
          if (this.#closed) throw new ClosedError();
          const inputs = this.#vs.current.overlapping(level, lower, upper);
          if (inputs.length === 0) continue;
          const e = this.#vs.expand(level, inputs);
          await this.#start(e.level, e.inputs, e.next).done;
        }
      });
    } finally {
      this.#manual--;
      this.#maybeCompact();
    }
    if (this.#w.bgError !== null) throw this.#w.bgError;
  }

  // ---------------------------------------------------------------- reads

  #readSeq(options: ReadOptions | undefined): number {
    if (options === undefined) return this.#vs.lastSeq;
    objectArg(options);
    const s = options.snapshot;
    if (s === undefined) return this.#vs.lastSeq;
    if (!(s instanceof Snapshot) || s.owner !== this) {
      throw new TypeError(
        `Expected \`snapshot\` to be a snapshot of this store, got ${describe(s)}`,
      );
    }
    s.check();
    return s.sequence;
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
    if (this.#bg !== null) this.#catchUp();
    return this.#r.lookup(k, seq) === FOUND_VALUE ? this.#r.copyFound() : undefined;
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
      if (this.#bg !== null) this.#catchUp();
      return Promise.resolve(
        ks.map((k) => (this.#r.lookup(k, seq) === FOUND_VALUE ? this.#r.copyFound() : undefined)),
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
      if (this.#bg !== null) this.#catchUp();
      return Promise.resolve(this.#r.lookup(k, seq) === FOUND_VALUE);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  #bounds(range: KeyRange): Bounds {
    objectArg(range);
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
    if (this.#bg !== null) this.#catchUp();
    const version = this.#vs.pin();
    let it: LsmIterator;
    try {
      it = new LsmIterator(
        this.#r.merged(version, reverse),
        seq,
        bounds,
        reverse,
        limit,
        (done) => {
          this.#iterators.delete(done);
          this.#vs.unpin(version);
        },
      );
    } catch (err) {
      this.#vs.unpin(version);
      throw err;
    }
    this.#iterators.add(it);
    return it;
  }

  /** A point-in-time view for reads and iterators (`{ snapshot }`). Release with `close()`. */
  snapshot(): Snapshot {
    if (this.#closed) throw new ClosedError();
    const s = new Snapshot(this, this.#vs.lastSeq, (done) => this.#snapshots.delete(done));
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
    const v = this.#vs.current;
    const levels = v.levels.map((files, level) => ({
      level,
      files: files.length,
      bytes: v.levelBytes(level),
    }));
    const s = this.#stats;
    const cache = this.#vs.cache;
    return {
      sequence: this.#vs.lastSeq,
      memtableBytes: this.#w?.mem.bytes ?? 0,
      flushing: this.#w?.imm != null,
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
        bytes: cache.bytes,
        budget: cache.budget,
        hits: cache.hits,
        misses: cache.misses,
      },
      bloomNegatives: s.bloomNegatives,
    };
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Waits for in-flight group commits, fsyncs the logs, closes every file and releases the
   * lock. A flush or compaction in progress is abandoned, not waited for: what it was writing
   * stays in the logs and input tables, and the next `open` picks it up. Open iterators are
   * closed. Idempotent.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const it of [...this.#iterators]) it.close();
    this.#w.stop();
    try {
      await this.#w.close();
    } finally {
      // A background compaction is not waited for: stopping the compactor abandons its merge
      // (the inputs stay live; the next open removes its unfinished outputs).
      await this.#compactor.close();
      await this.#bg?.done;
      await this.#compactChain;
      await this.#vs.drain();
      try {
        this.#vs.close();
      } finally {
        for (const s of [...this.#snapshots.keys()]) s.close();
        releaseLock(this.#fs, this.dir);
      }
    }
  }
}
