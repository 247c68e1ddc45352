/**
 * The version set (LevelDB's `version_set.cc`): the current version of the tree, the manifest
 * that records every change to it, the open tables, the files no version needs any more, and
 * the choice of the next compaction.
 *
 * Every change is a version edit appended to the manifest and fsynced before the new version
 * is installed (`logAndApply`, serialised). A table leaves the disk only once neither the
 * current version nor one pinned by an open iterator lists it.
 */
import { CorruptionError } from '../errors.js';
import type { FileSystem } from '../types.js';
import { compareBytes } from './coding.js';
import { MANIFEST_RE, manifestName, tablePath } from './filename.js';
import { LogWriter, parseLog, readWholeFile } from './log.js';
import type { Resolved } from './options.js';
import { type BlockCache, TableReader } from './table.js';
import {
  decodeEdit,
  encodeEdit,
  type FileMeta,
  NUM_LEVELS,
  Version,
  type VersionEdit,
} from './version.js';

const DONE: Promise<void> = Promise.resolve();

/** A compaction to run: `inputs` of `level` merged with the overlapping `next` of level + 1. */
export interface CompactionPick {
  level: number;
  inputs: FileMeta[];
  next: FileMeta[];
}

export class VersionSet {
  readonly dir: string;
  readonly #fs: FileSystem;
  readonly cache: BlockCache;
  current = Version.empty();
  /** Next unused file number (logs, tables and manifests share the counter). */
  nextFile = 1;
  /** Sequence number of the last acknowledged write. */
  lastSeq = 0;
  /** Logs numbered from this one on hold writes no table holds yet (recovered value). */
  logNumber = 0;
  /** Versions pinned by open iterators; their tables are not deleted. */
  readonly #pinned = new Set<Version>();
  readonly #tables = new Map<number, TableReader>();
  /** Tables no longer in the current version, deleted once no pinned version lists them. */
  readonly #obsolete = new Set<number>();
  #manifest: LogWriter | null = null;
  #chain: Promise<void> = DONE;
  /** Edits handed to logAndApply and not yet applied or failed. */
  #queued = 0;
  /** Per level, the largest key of the last compaction: the next one starts after it. */
  readonly #compactPointer: (Uint8Array | null)[] = new Array(NUM_LEVELS).fill(null);

  constructor(dir: string, fs: FileSystem, cache: BlockCache) {
    this.dir = dir;
    this.#fs = fs;
    this.cache = cache;
  }

  newFileNumber(): number {
    return this.nextFile++;
  }

  /**
   * Reads CURRENT and the manifest it names and rebuilds the tree they record. Throws
   * `PERF_LSM_CORRUPTION` when CURRENT names no manifest, the manifest is damaged or empty, or
   * a table it lists is missing. A torn last manifest record is the edit in flight when the
   * process died: nothing acted on it before its fsync, so it is dropped.
   */
  recover(names: readonly string[]): void {
    const fs = this.#fs;
    const currentPath = `${this.dir}/CURRENT`;
    const current = Buffer.from(readWholeFile(fs, currentPath)).toString('utf8');
    const m = /^(MANIFEST-\d{6,})\n$/.exec(current);
    if (m === null) throw new CorruptionError(currentPath, 0, 'CURRENT does not name a manifest');
    const manifestPath = `${this.dir}/${m[1]!}`;
    if (!fs.exists(manifestPath))
      throw new CorruptionError(manifestPath, 0, 'Manifest named by CURRENT is missing');
    const log = parseLog(manifestPath, readWholeFile(fs, manifestPath));
    const edits = log.records.map((r, i) => decodeEdit(manifestPath, log.offsets[i]!, r));
    if (edits.length === 0) throw new CorruptionError(manifestPath, 0, 'Empty manifest');
    let version = Version.empty();
    for (const e of edits) {
      version = version.apply(e);
      if (e.logNumber !== undefined) this.logNumber = e.logNumber;
      if (e.nextFile !== undefined) this.nextFile = Math.max(this.nextFile, e.nextFile);
      if (e.lastSequence !== undefined) this.lastSeq = Math.max(this.lastSeq, e.lastSequence);
    }
    this.#noteNames(names);
    for (const level of version.levels) {
      for (const f of level) {
        const path = tablePath(this.dir, f.number);
        if (!fs.exists(path))
          throw new CorruptionError(path, 0, 'Table listed in the manifest is missing');
      }
    }
    this.current = version;
  }

  /** File numbers in use on disk are never handed out again. */
  #noteNames(names: readonly string[]): void {
    for (const n of names) {
      const m = /^(\d{6,})\.(log|sst)$/.exec(n) ?? MANIFEST_RE.exec(n);
      if (m) this.nextFile = Math.max(this.nextFile, Number(m[1]) + 1);
    }
  }

  /** A fresh store: file numbers start after any leftovers. */
  create(names: readonly string[]): void {
    this.#noteNames(names);
  }

  /**
   * Starts a fresh manifest holding the whole current tree with `logNumber`, fsyncs it, and
   * points CURRENT at it (write a temporary file, fsync, rename; the caller fsyncs the
   * directory). Returns the manifest's number.
   */
  writeSnapshot(manifestNumber: number, logNumber: number): void {
    const fs = this.#fs;
    const version = this.current;
    const edit: VersionEdit = {
      logNumber,
      nextFile: this.nextFile,
      lastSequence: this.lastSeq,
      added: version.levels.flatMap((files, level) => files.map((file) => ({ level, file }))),
      deleted: [],
    };
    const name = manifestName(manifestNumber);
    this.#manifest = new LogWriter(fs, fs.open(`${this.dir}/${name}`, 'create'));
    this.#manifest.add(encodeEdit(edit));
    fs.syncNow(this.#manifest.fd);
    const tmp = `${this.dir}/CURRENT.tmp`;
    const fd = fs.open(tmp, 'create');
    const text = Buffer.from(`${name}\n`);
    fs.append(fd, text, 0, text.length);
    fs.syncNow(fd);
    fs.close(fd);
    fs.rename(tmp, `${this.dir}/CURRENT`);
    this.logNumber = logNumber;
  }

  /** Appends an edit to the manifest, fsyncs it, and installs the new version. Serialised. */
  logAndApply(edit: VersionEdit): Promise<void> {
    this.#queued++;
    const run = async () => {
      try {
        this.#append(edit);
        await this.#fs.sync(this.#manifest!.fd);
        this.#install(edit);
      } finally {
        this.#queued--;
      }
    };
    const p = this.#chain.then(run);
    this.#chain = p.catch(() => {});
    return p;
  }

  /** True when no {@link logAndApply} is queued or in flight: {@link logAndApplySync} may run. */
  get idle(): boolean {
    return this.#queued === 0;
  }

  /**
   * {@link logAndApply} on the calling thread (`syncNow`), for a reader that must install a
   * finished compaction without an event-loop turn. Same order: the record is durable before
   * the version changes and before any table it obsoletes is deleted. Only when {@link idle}:
   * an edit queued behind an fsync in flight must not be overtaken.
   */
  logAndApplySync(edit: VersionEdit): void {
    if (this.#queued !== 0) throw new Error('logAndApplySync while a manifest edit is in flight');
    this.#append(edit);
    this.#fs.syncNow(this.#manifest!.fd);
    this.#install(edit);
  }

  #append(edit: VersionEdit): void {
    edit.nextFile = this.nextFile;
    edit.lastSequence = this.lastSeq;
    this.#manifest!.add(encodeEdit(edit));
  }

  /** After the edit is durable: the new version, then the tables no version needs go. */
  #install(edit: VersionEdit): void {
    this.current = this.current.apply(edit);
    if (edit.logNumber !== undefined) this.logNumber = edit.logNumber;
    for (const d of edit.deleted) this.#obsolete.add(d.number);
    this.deleteObsolete();
  }

  /** Resolves once every edit queued so far is applied (or failed). */
  drain(): Promise<void> {
    return this.#chain;
  }

  /** The reader of a table of a live version, opened on first use. */
  table(f: FileMeta): TableReader {
    let t = this.#tables.get(f.number);
    if (t === undefined) {
      t = TableReader.open(this.#fs, tablePath(this.dir, f.number), f.number, this.cache);
      this.#tables.set(f.number, t);
    }
    return t;
  }

  /** Pins the current version for a reader; release it with {@link unpin}. */
  pin(): Version {
    const v = this.current;
    v.refs++;
    this.#pinned.add(v);
    return v;
  }

  unpin(v: Version): void {
    if (--v.refs === 0) {
      this.#pinned.delete(v);
      this.deleteObsolete();
    }
  }

  deleteObsolete(): void {
    if (this.#obsolete.size === 0) return;
    const live = new Set<number>();
    for (const v of [this.current, ...this.#pinned])
      for (const l of v.levels) for (const f of l) live.add(f.number);
    for (const n of this.#obsolete) {
      if (live.has(n)) continue;
      this.#obsolete.delete(n);
      this.#tables.get(n)?.close();
      this.#tables.delete(n);
      this.#fs.remove(tablePath(this.dir, n));
    }
  }

  // ---------------------------------------------------------------- compaction picking

  /** Picks the most urgent compaction, or null: level 0 by file count, deeper levels by size. */
  pick(o: Resolved): CompactionPick | null {
    const v = this.current;
    if (v.levels[0]!.length >= o.l0CompactionTrigger) return this.expand(0, v.levels[0]!.slice());
    let best = -1;
    let bestScore = 1;
    for (let level = 1; level < NUM_LEVELS - 1; level++) {
      const score = v.levelBytes(level) / (o.levelBaseBytes * 10 ** (level - 1));
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
    return this.expand(best, [f]);
  }

  /** `inputs` of `level` and the files of level + 1 their key range overlaps. */
  expand(level: number, inputs: FileMeta[]): CompactionPick {
    let lo = inputs[0]!.smallest;
    let hi = inputs[0]!.largest;
    for (const f of inputs) {
      if (compareBytes(f.smallest, lo) < 0) lo = f.smallest;
      if (compareBytes(f.largest, hi) > 0) hi = f.largest;
    }
    return { level, inputs, next: this.current.overlapping(level + 1, lo, hi) };
  }

  /** Records where a compaction of `level` ended (the next one starts after `largest`). */
  compacted(level: number, largest: Uint8Array): void {
    if (level > 0) this.#compactPointer[level] = largest;
  }

  /** Closes the manifest and every open table. */
  close(): void {
    try {
      if (this.#manifest !== null) this.#fs.close(this.#manifest.fd);
    } finally {
      this.#manifest = null;
      for (const t of this.#tables.values()) t.close();
      this.#tables.clear();
    }
  }
}
