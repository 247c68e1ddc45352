/**
 * The merge at the heart of a compaction, shared by the worker thread and the inline path:
 * read the input tables in internal-key order, drop what no reader can see any more, and
 * write the survivors as new tables of the output level.
 *
 * Drop rules (LevelDB's `DoCompactionWork`): among the versions of one user key, newest first,
 *  - a version is hidden once a *newer* version of the key has sequence ≤ the oldest live
 *    snapshot: every reader sees that newer one instead;
 *  - a tombstone with sequence ≤ the oldest snapshot is dropped when no deeper level may hold
 *    an older version of the key (`dropTombstones`: the output is the bottom for this range).
 * Output files are cut only between user keys, so the versions of one key never straddle two
 * tables of a sorted level.
 */
import type { FileSystem } from '../types.js';
import { compareBytes } from './coding.js';
import { type InternalIterator, KIND_DELETE, MergingIterator } from './iterator.js';
import { type TableInfo, TableBuilder, TableReader } from './table.js';
import { type FileMeta, LevelIterator } from './version.js';

/** A compaction to run; plain data so it can be posted to a worker. */
export interface CompactionJob {
  dir: string;
  /** Inputs per source: level-0 tables each form their own sorted run; other levels one run each. */
  runs: { level: number; files: FileMeta[] }[];
  /** Reserved numbers for output files, used in order. */
  fileNumbers: number[];
  smallestSnapshot: number;
  dropTombstones: boolean;
  blockSize: number;
  bloomBitsPerKey: number;
  tableFileSize: number;
}

export interface CompactionOutput extends TableInfo {
  number: number;
}

export interface CompactionResult {
  outputs: CompactionOutput[];
  bytesRead: number;
  bytesWritten: number;
}

export function tablePath(dir: string, number: number): string {
  return `${dir}/${String(number).padStart(6, '0')}.sst`;
}

/** Runs a compaction synchronously; every output is fsynced before this returns. */
export function runCompaction(fs: FileSystem, job: CompactionJob): CompactionResult {
  const readers: TableReader[] = [];
  const open = (f: FileMeta): TableReader => {
    const r = TableReader.open(fs, tablePath(job.dir, f.number), f.number, null, true);
    readers.push(r);
    return r;
  };
  const children: InternalIterator[] = [];
  let bytesRead = 0;
  for (const run of job.runs) {
    for (const f of run.files) bytesRead += f.size;
    if (run.level === 0) for (const f of run.files) children.push(open(f).iterator());
    else children.push(new LevelIterator(run.files, open));
  }
  const outputs: CompactionOutput[] = [];
  const opts = { blockSize: job.blockSize, bloomBitsPerKey: job.bloomBitsPerKey };
  let builder: TableBuilder | null = null;
  let number = 0;
  const finishOutput = () => {
    if (builder === null) return;
    const info = builder.finish();
    builder.syncNow();
    builder.close();
    builder = null;
    if (info.entries > 0) outputs.push({ number, ...info });
    else fs.remove(tablePath(job.dir, number));
  };
  try {
    const it = new MergingIterator(children, false);
    it.first();
    let current: Uint8Array | null = null;
    let lastSeqForKey = Number.POSITIVE_INFINITY;
    for (; it.valid; it.next()) {
      const key = it.key;
      if (current === null || compareBytes(current, key) !== 0) {
        current = key.slice();
        lastSeqForKey = Number.POSITIVE_INFINITY;
        if (builder !== null && (builder as TableBuilder).size >= job.tableFileSize) finishOutput();
      }
      let drop = false;
      if (lastSeqForKey <= job.smallestSnapshot) drop = true;
      else if (it.kind === KIND_DELETE && it.seq <= job.smallestSnapshot && job.dropTombstones)
        drop = true;
      lastSeqForKey = it.seq;
      if (drop) continue;
      if (builder === null) {
        const n = job.fileNumbers[outputs.length];
        if (n === undefined) throw new Error('compaction ran out of reserved file numbers');
        number = n;
        builder = new TableBuilder(fs, tablePath(job.dir, number), opts);
      }
      (builder as TableBuilder).add(key, it.seq, it.kind, it.value);
    }
    finishOutput();
    fs.syncDir(job.dir);
  } catch (err) {
    if (builder !== null) {
      (builder as TableBuilder).close();
      fs.remove(tablePath(job.dir, number));
    }
    for (const o of outputs) fs.remove(tablePath(job.dir, o.number));
    throw err;
  } finally {
    for (const r of readers) r.close();
  }
  let bytesWritten = 0;
  for (const o of outputs) bytesWritten += o.size;
  return { outputs, bytesRead, bytesWritten };
}
