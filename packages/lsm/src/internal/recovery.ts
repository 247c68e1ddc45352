/**
 * Opening a store (LevelDB's `DBImpl::Recover`): take the lock, rebuild the tree from the
 * manifest, replay every log no table covers yet into level-0 tables, then make the result
 * durable as a fresh manifest and a fresh log before removing what they replace.
 *
 * The log rule: a torn tail is tolerated in the newest log only — it held the write in flight
 * when the process died. An older log was fsynced whole before its successor took writes, so
 * any shortfall there is lost acknowledged data; its successor's start record says how long
 * it must be (see `encodeLogStart`), which also catches a cut at a record boundary and a log
 * missing altogether. Anything else damaged fails `open` with `PERF_LSM_CORRUPTION`.
 */
import { CorruptionError, ExistsError, NotFoundError } from '../errors.js';
import type { FileSystem } from '../types.js';
import { decodeLogStart, encodeLogStart, replayBatch } from './batch.js';
import { FILE_RE, logName, MANIFEST_RE, tablePath } from './filename.js';
import { acquireLock } from './lock-file.js';
import { LogWriter, parseLog, readWholeFile } from './log.js';
import { latin1Key, MemTable } from './memtable.js';
import type { Resolved } from './options.js';
import type { StoreCounters } from './stats.js';
import { TableBuilder } from './table.js';
import type { FileMeta } from './version.js';
import type { VersionSet } from './version-set.js';

export interface Recovered {
  log: LogWriter;
  mem: MemTable;
}

interface ParsedLog {
  path: string;
  records: Uint8Array[];
  offsets: number[];
}

/**
 * Recovers the store in `vs.dir` (see the file comment). The caller releases the lock if this
 * throws.
 */
export function recover(
  fs: FileSystem,
  o: Resolved,
  vs: VersionSet,
  stats: StoreCounters,
  createIfMissing: boolean,
  errorIfExists: boolean,
  onLocked: () => void,
): Recovered {
  const dir = vs.dir;
  if (!fs.exists(dir)) {
    if (!createIfMissing) throw new NotFoundError(dir);
    fs.mkdir(dir);
  }
  acquireLock(fs, dir);
  onLocked();
  const names = fs.list(dir);
  if (fs.exists(`${dir}/CURRENT`)) {
    if (errorIfExists) throw new ExistsError(dir);
    vs.recover(names);
  } else {
    const foreign = names.filter(
      (n) => n !== 'LOCK' && !FILE_RE.test(n) && !MANIFEST_RE.test(n) && !n.endsWith('.tmp'),
    );
    if (foreign.length > 0) throw new NotFoundError(dir, `${dir} is not a store (no CURRENT file)`);
    if (!createIfMissing) throw new NotFoundError(dir);
    // Leftovers of a creation that crashed before CURRENT existed hold no acknowledged data.
    for (const n of names) if (n !== 'LOCK') fs.remove(`${dir}/${n}`);
    vs.create(names);
  }

  const logs = names
    .map((n) => FILE_RE.exec(n))
    .filter(
      (m): m is RegExpExecArray => m !== null && m[2] === 'log' && Number(m[1]) >= vs.logNumber,
    )
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
  const parsed = readLogs(fs, dir, logs, vs.logNumber);

  // Replay, oldest first, into level-0 tables.
  const added: FileMeta[] = [];
  let mem = new SortedRun();
  const flushReplayed = () => {
    if (mem.count === 0) return;
    added.push(writeTableSync(fs, o, vs, stats, mem));
    mem = new SortedRun();
  };
  for (const log of parsed) {
    for (let i = 0; i < log.records.length; i++) {
      if (i === 0 && decodeLogStart(log.records[0]!) !== null) continue;
      const last = replayBatch(log.path, log.offsets[i]!, log.records[i]!, mem);
      if (last > vs.lastSeq) vs.lastSeq = last;
      if (mem.bytes >= o.writeBufferSize) flushReplayed();
    }
  }
  flushReplayed();
  if (added.length > 0)
    vs.current = vs.current.apply({
      added: added.map((file) => ({ level: 0, file })),
      deleted: [],
    });

  // A fresh manifest holding the whole tree, then CURRENT, then the fresh log.
  const manifestNumber = vs.newFileNumber();
  const newLog = vs.newFileNumber();
  vs.writeSnapshot(manifestNumber, newLog);
  const log = new LogWriter(fs, fs.open(`${dir}/${logName(newLog)}`, 'append'));
  log.add(encodeLogStart(0, 0));
  fs.syncDir(dir);
  // Only now, with the new state durable, remove what it replaced.
  const live = new Set(vs.current.levels.flatMap((l) => l.map((f) => f.number)));
  for (const n of fs.list(dir)) {
    const m = FILE_RE.exec(n);
    const mm = MANIFEST_RE.exec(n);
    if (m && m[2] === 'log' && Number(m[1]) < newLog) fs.remove(`${dir}/${n}`);
    else if (m && m[2] === 'sst' && !live.has(Number(m[1]))) fs.remove(`${dir}/${n}`);
    else if (mm && Number(mm[1]) !== manifestNumber) fs.remove(`${dir}/${n}`);
  }
  return { log, mem: new MemTable(newLog) };
}

/** Reads and checks the live logs (numbers ascending); see the file comment for the rule. */
function readLogs(fs: FileSystem, dir: string, logs: number[], logNumber: number): ParsedLog[] {
  /** Lengths that older logs must have, as their successors recorded them. */
  const expected = new Map<number, number>();
  const parsed: ParsedLog[] = [];
  for (let li = logs.length - 1; li >= 0; li--) {
    const n = logs[li]!;
    const path = `${dir}/${logName(n)}`;
    const data = readWholeFile(fs, path);
    const log = parseLog(path, data, li === logs.length - 1);
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
    if (start !== null && start.prevNumber > 0 && start.prevNumber >= logNumber) {
      expected.set(start.prevNumber, start.prevLength);
    }
  }
  for (const [n] of expected) {
    throw new CorruptionError(
      `${dir}/${logName(n)}`,
      0,
      'Log named by its successor and not yet flushed is missing',
    );
  }
  return parsed;
}

/**
 * What recovery replays into: the entries as they come, sorted once when written out. A skip
 * list's search and its node per entry dominated the profile of replaying a 4 MiB log; the
 * views point into the log's bytes, alive until recovery ends.
 */
class SortedRun {
  readonly #keys: Uint8Array[] = [];
  /** The keys as Latin-1 strings: V8 compares one-byte strings natively (see memtable.ts). */
  readonly #skeys: string[] = [];
  readonly #seqs: number[] = [];
  readonly #kinds: number[] = [];
  readonly #values: Uint8Array[] = [];
  /** Bytes the same entries would hold in a memtable, to cut tables where a flush would. */
  bytes = 0;

  get count(): number {
    return this.#keys.length;
  }

  add(seq: number, kind: number, key: Uint8Array, value: Uint8Array): void {
    this.#keys.push(key);
    this.#skeys.push(latin1Key(key));
    this.#seqs.push(seq);
    this.#kinds.push(kind);
    this.#values.push(value);
    this.bytes += 2 * key.length + value.length + 64;
  }

  /** Visits the entries in internal-key order: key ascending, then sequence descending. */
  forEach(fn: (key: Uint8Array, seq: number, kind: number, value: Uint8Array) => void): void {
    const sk = this.#skeys;
    const seqs = this.#seqs;
    const order = Uint32Array.from({ length: sk.length }, (_, i) => i);
    order.sort((a, b) => {
      const x = sk[a]!;
      const y = sk[b]!;
      return x < y ? -1 : x > y ? 1 : seqs[b]! - seqs[a]!;
    });
    for (const i of order) fn(this.#keys[i]!, seqs[i]!, this.#kinds[i]!, this.#values[i]!);
  }
}

/** Writes replayed entries as a level-0 table, synchronously (recovery only). */
function writeTableSync(
  fs: FileSystem,
  o: Resolved,
  vs: VersionSet,
  stats: StoreCounters,
  run: SortedRun,
): FileMeta {
  const number = vs.newFileNumber();
  const b = new TableBuilder(fs, tablePath(vs.dir, number), o);
  run.forEach((key, seq, kind, value) => {
    b.add(key, seq, kind, value);
  });
  const info = b.finish();
  b.syncNow();
  b.close();
  stats.tableBytesWritten += info.size;
  return { number, ...info };
}
