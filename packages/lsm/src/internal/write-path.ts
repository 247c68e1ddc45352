/**
 * The write path (LevelDB's `DBImpl::Write` and `MakeRoomForWrite`): every write — a put, a
 * delete, a batch — goes through {@link WritePath.write}: wait behind a stall if the tree must
 * catch up, else encode the operations as one log record, hand it to the OS with one `write`,
 * and insert them into the memtable. Without `sync` the write is then acknowledged: it survives
 * a crash of this process. With `sync`, writers join a group commit: one fsync on the
 * threadpool covers every write that reached the log before it started.
 *
 * A full memtable is frozen, a fresh log started, and the frozen one written as a level-0
 * table on the main thread in slices (so the event loop keeps turning), then published.
 */
import { ClosedError, IoError, LsmError } from '../errors.js';
import type { FileSystem } from '../types.js';
import { beginBatch, encodeLogStart, endBatch } from './batch.js';
import type { ByteSink } from './coding.js';
import { FILE_RE, logName, tablePath } from './filename.js';
import { LogWriter } from './log.js';
import { MemTable } from './memtable.js';
import type { Resolved } from './options.js';
import type { StoreCounters } from './stats.js';
import { TableBuilder } from './table.js';
import type { VersionSet } from './version-set.js';

/**
 * Memtable entries written per slice of a background flush before yielding to the event loop.
 * A slice is a few milliseconds of encoding on a loaded 2-core machine; smaller slices only
 * add setImmediate turns (measured with the benchmark's event-loop-delay row).
 */
const FLUSH_SLICE = 2048;
const DONE: Promise<void> = Promise.resolve();

interface Waiter {
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** Adds a write's operations to the log record being built in `sink` and to `mem`. */
export type Fill = (sink: ByteSink, seq: number, mem: MemTable) => void;

export class WritePath {
  readonly #fs: FileSystem;
  readonly #dir: string;
  readonly #o: Resolved;
  readonly #vs: VersionSet;
  readonly #stats: StoreCounters;
  /** Called after a flush is published (a compaction may be due). */
  readonly #onFlushed: () => void;
  mem: MemTable;
  /** The frozen memtable being flushed, or null. */
  imm: MemTable | null = null;
  #log: LogWriter;
  /** Older logs whose memtables are not yet flushed, kept open until then. */
  readonly #oldLogs: LogWriter[] = [];
  closed = false;
  /** A failed background write or fsync: every later write fails with it (cause). */
  bgError: LsmError | null = null;
  // Group commit: writers waiting for the next fsync, and the fsync in flight.
  #syncWaiters: Waiter[] = [];
  #syncing: Promise<void> | null = null;
  #syncScheduled = false;
  // Write stalls: writes queued behind a full memtable or too many level-0 tables.
  readonly #stalled: (() => void)[] = [];
  #stallStart = 0;
  flushing: Promise<void> | null = null;

  constructor(
    fs: FileSystem,
    o: Resolved,
    vs: VersionSet,
    stats: StoreCounters,
    log: LogWriter,
    mem: MemTable,
    onFlushed: () => void,
  ) {
    this.#fs = fs;
    this.#dir = vs.dir;
    this.#o = o;
    this.#vs = vs;
    this.#stats = stats;
    this.#log = log;
    this.mem = mem;
    this.#onFlushed = onFlushed;
  }

  /**
   * The one write routine: `count` operations of `bytes` user bytes, added by `fill`. Resolves
   * once acknowledged; rejects (never throws) with `PERF_LSM_CLOSED` or the background error.
   */
  write(count: number, bytes: number, sync: boolean, fill: Fill): Promise<void> {
    try {
      if (!this.closed && this.#mustStall()) {
        if (this.#stalled.length === 0) this.#stallStart = performance.now();
        return new Promise<void>((resolve, reject) => {
          this.#stalled.push(() => {
            try {
              this.#commit(count, bytes, sync, fill).then(resolve, reject);
            } catch (err) {
              reject(err);
            }
          });
        });
      }
      return this.#commit(count, bytes, sync, fill);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Throws when no write may proceed. */
  checkWritable(): void {
    if (this.closed) throw new ClosedError();
    if (this.bgError !== null) throw this.bgError;
  }

  /** True when this write must wait: a stall is in progress or the tree needs to catch up. */
  #mustStall(): boolean {
    if (this.#stalled.length > 0) return true;
    if (this.mem.bytes >= this.#o.writeBufferSize) {
      if (this.imm !== null) return true;
      this.#rotate();
    }
    return this.#vs.current.levels[0]!.length >= this.#o.l0StopWritesTrigger;
  }

  /** Lets stalled writes through, in order, while there is room. */
  releaseStalls(): void {
    while (this.#stalled.length > 0) {
      if (this.closed || this.bgError !== null) {
        for (const w of this.#stalled.splice(0)) w(); // each fails in its own write
        return;
      }
      if (this.mem.bytes >= this.#o.writeBufferSize) {
        if (this.imm !== null) return;
        this.#rotate();
      }
      if (this.#vs.current.levels[0]!.length >= this.#o.l0StopWritesTrigger) return;
      this.#stalled.shift()!();
      if (this.#stalled.length === 0) this.#stats.stallMs += performance.now() - this.#stallStart;
    }
  }

  /** Logs one record and applies it. */
  #commit(count: number, bytes: number, sync: boolean, fill: Fill): Promise<void> {
    this.checkWritable();
    const vs = this.#vs;
    const seq = vs.lastSeq + 1;
    const log = this.#log;
    const sink = log.sink;
    beginBatch(sink, seq);
    fill(sink, seq, this.mem);
    endBatch(sink, count);
    const before = log.bytes;
    try {
      log.commit();
    } catch (err) {
      log.begin();
      this.bgError = new IoError(`${this.#dir}/${logName(this.mem.logNumber)}`, err);
      throw this.bgError;
    }
    this.#stats.logBytes += log.bytes - before;
    vs.lastSeq = seq + count - 1;
    this.#stats.writes += count;
    this.#stats.userBytes += bytes;
    return sync ? this.#groupSync() : DONE;
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
    this.#stats.syncs++;
    this.#syncing = this.#fs.sync(this.#log.fd).then(
      () => {
        for (const w of waiters) w.resolve();
      },
      (err: unknown) => {
        this.bgError ??= new IoError(`${this.#dir}/${logName(this.mem.logNumber)}`, err);
        for (const w of waiters) w.reject(this.bgError);
      },
    );
    void this.#syncing.then(() => {
      this.#syncing = null;
      if (this.#syncWaiters.length > 0) this.#startSync();
    });
  }

  /** Writes the memtable as a table now (even if small) and waits for it. */
  async flush(): Promise<void> {
    if (this.closed) throw new ClosedError();
    while (this.flushing !== null) await this.flushing;
    if (this.bgError !== null) throw this.bgError;
    if (this.mem.count > 0) {
      this.#rotate();
      await this.flushing;
    }
    if (this.bgError !== null) throw this.bgError;
  }

  /** Freezes the memtable and starts a new log; the frozen one is flushed in the background. */
  #rotate(): void {
    const number = this.#vs.newFileNumber();
    const fd = this.#fs.open(`${this.#dir}/${logName(number)}`, 'append');
    // The old log is made durable before the new one takes writes: a later synced write then
    // implies every earlier write survives a power cut (no gap between logs), and writers still
    // waiting for a group commit on the old log are covered by the new log's next fsync.
    // One fsync per `writeBufferSize` of writes.
    this.#fs.syncNow(this.#log.fd);
    this.#fs.syncDir(this.#dir); // the new log's name must survive a power cut with its data
    const prevLength = this.#fs.size(this.#log.fd);
    this.#oldLogs.push(this.#log);
    this.#log = new LogWriter(this.#fs, fd);
    this.#log.add(encodeLogStart(this.mem.logNumber, prevLength));
    this.imm = this.mem;
    this.mem = new MemTable(number);
    this.flushing = this.#flushImm().catch((err: unknown) => {
      // A flush cut short by close() is no failure: its logs stay and are replayed on open.
      if (!this.closed) this.bgError ??= LsmError.is(err) ? err : new IoError(this.#dir, err);
      this.releaseStalls();
    });
  }

  /** Writes the frozen memtable as a level-0 table, in slices, then publishes it. */
  async #flushImm(): Promise<void> {
    const imm = this.imm!;
    const vs = this.#vs;
    const number = vs.newFileNumber();
    const path = tablePath(this.#dir, number);
    const builder = new TableBuilder(this.#fs, path, this.#o);
    let info: ReturnType<TableBuilder['finish']>;
    try {
      let i = 0;
      for (let n = imm.first(); n !== null; n = n.next[0]!) {
        builder.add(n.key, n.seq, n.kind, n.value);
        if (++i % FLUSH_SLICE === 0) {
          await new Promise<void>((r) => setImmediate(r));
          if (this.closed) throw new ClosedError();
        }
      }
      info = builder.finish();
      await builder.sync();
      builder.close();
      this.#fs.syncDir(this.#dir);
    } catch (err) {
      builder.close();
      this.#fs.remove(path);
      throw err;
    }
    this.#stats.tableBytesWritten += info.size;
    this.#stats.flushes++;
    const added = info.entries > 0 ? [{ level: 0, file: { number, ...info } }] : [];
    // Logs older than the active one hold only what this table now holds. Capture both before
    // the first await: once `imm` is null a write may rotate again, and the log it retires
    // must survive until its own flush.
    const keepFrom = this.mem.logNumber;
    const retired = this.#oldLogs.splice(0);
    await vs.logAndApply({ logNumber: keepFrom, added, deleted: [] });
    this.imm = null;
    this.flushing = null;
    for (const old of retired) {
      await this.#syncing; // an fsync in flight may still use the descriptor
      this.#fs.close(old.fd);
    }
    for (const n of this.#fs.list(this.#dir)) {
      const m = FILE_RE.exec(n);
      if (m && m[2] === 'log' && Number(m[1]) < keepFrom) this.#fs.remove(`${this.#dir}/${n}`);
    }
    this.releaseStalls();
    this.#onFlushed();
  }

  /** Marks the path closed: stalled writes fail, a running flush stops at its next slice. */
  stop(): void {
    this.closed = true;
    this.releaseStalls();
  }

  /** Waits for group commits and the flush in flight, then fsyncs and closes every log. */
  async close(): Promise<void> {
    while (this.#syncing !== null || this.#syncScheduled) {
      if (this.#syncing !== null) await this.#syncing;
      else await DONE;
    }
    await this.flushing;
    for (const log of [...this.#oldLogs, this.#log]) {
      if (this.bgError === null) this.#fs.syncNow(log.fd);
      this.#fs.close(log.fd);
    }
  }
}
