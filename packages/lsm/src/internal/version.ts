/**
 * Versions: which tables make up the tree, level by level, and the manifest that records every
 * change to that set.
 *
 * A version is immutable. A flush or compaction produces a *version edit* (tables added and
 * removed, plus the log number, next file number and last sequence), appends it to the manifest
 * as one checksummed log record, fsyncs, and only then installs the new version. Iterators pin
 * the version they started on; a table is deleted once no live version lists it.
 *
 * ```
 *  dir/CURRENT           "MANIFEST-000007\n" — replaced atomically (write tmp, fsync, rename, fsync dir)
 *  dir/MANIFEST-000007   log records (log.ts framing), each a JSON version edit; the first is a
 *                        full snapshot of the tree, written when the store opens
 *  dir/000009.log        write-ahead log (log.ts framing), one record per atomic write batch
 *  dir/000008.sst        tables (table.ts)
 *  dir/LOCK              pid of the process that has the store open
 * ```
 */
import { CorruptionError } from '../errors.js';
import { compareBytes } from './coding.js';
import type { InternalIterator } from './iterator.js';
import type { TableIterator, TableReader } from './table.js';

export const NUM_LEVELS = 7;

export interface FileMeta {
  readonly number: number;
  readonly size: number;
  readonly entries: number;
  readonly smallest: Uint8Array;
  readonly largest: Uint8Array;
}

/** One change to the set of tables. */
export interface VersionEdit {
  logNumber?: number;
  nextFile?: number;
  lastSequence?: number;
  added: { level: number; file: FileMeta }[];
  deleted: { level: number; number: number }[];
}

export class Version {
  /** levels[0] newest table first; levels[1..] sorted by key, never overlapping. */
  readonly levels: readonly (readonly FileMeta[])[];
  /** Open iterators and snapshots reading this version. */
  refs = 0;

  constructor(levels: readonly (readonly FileMeta[])[]) {
    this.levels = levels;
  }

  static empty(): Version {
    return new Version(Array.from({ length: NUM_LEVELS }, () => []));
  }

  apply(edit: VersionEdit): Version {
    const levels = this.levels.map((l) => l.slice());
    for (const d of edit.deleted) {
      const l = levels[d.level]!;
      const i = l.findIndex((f) => f.number === d.number);
      if (i >= 0) l.splice(i, 1);
    }
    for (const a of edit.added) levels[a.level]!.push(a.file);
    levels[0]!.sort((a, b) => b.number - a.number);
    for (let i = 1; i < NUM_LEVELS; i++)
      levels[i]!.sort((a, b) => compareBytes(a.smallest, b.smallest));
    return new Version(levels);
  }

  levelBytes(level: number): number {
    let n = 0;
    for (const f of this.levels[level]!) n += f.size;
    return n;
  }

  /** Files of `level` whose key range meets [lo, hi] (null = unbounded). */
  overlapping(level: number, lo: Uint8Array | null, hi: Uint8Array | null): FileMeta[] {
    return this.levels[level]!.filter(
      (f) =>
        (lo === null || compareBytes(f.largest, lo) >= 0) &&
        (hi === null || compareBytes(f.smallest, hi) <= 0),
    );
  }
}

/** Index of the first file whose largest key is ≥ key (files sorted and disjoint). */
export function findFile(files: readonly FileMeta[], key: Uint8Array): number {
  let lo = 0;
  let hi = files.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareBytes(files[mid]!.largest, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const b64 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length).toString('base64');
const unb64 = (s: unknown) => {
  if (typeof s !== 'string') throw new TypeError('not a string');
  return new Uint8Array(Buffer.from(s, 'base64'));
};

export function encodeEdit(edit: VersionEdit): Uint8Array {
  return Buffer.from(
    JSON.stringify({
      log: edit.logNumber,
      next: edit.nextFile,
      seq: edit.lastSequence,
      add: edit.added.map(({ level, file: f }) => [
        level,
        f.number,
        f.size,
        f.entries,
        b64(f.smallest),
        b64(f.largest),
      ]),
      del: edit.deleted.map((d) => [d.level, d.number]),
    }),
  );
}

const isNat = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isLevel = (v: unknown): v is number => isNat(v) && v < NUM_LEVELS;

/** Parses one manifest record; any malformation is corruption at `offset`. */
export function decodeEdit(file: string, offset: number, payload: Uint8Array): VersionEdit {
  try {
    const j = JSON.parse(
      Buffer.from(payload.buffer, payload.byteOffset, payload.length).toString('utf8'),
    );
    const edit: VersionEdit = { added: [], deleted: [] };
    if (j.log !== undefined) edit.logNumber = check(j.log, isNat);
    if (j.next !== undefined) edit.nextFile = check(j.next, isNat);
    if (j.seq !== undefined) edit.lastSequence = check(j.seq, isNat);
    for (const a of j.add as unknown[][]) {
      edit.added.push({
        level: check(a[0], isLevel),
        file: {
          number: check(a[1], isNat),
          size: check(a[2], isNat),
          entries: check(a[3], isNat),
          smallest: unb64(a[4]),
          largest: unb64(a[5]),
        },
      });
    }
    for (const d of j.del as unknown[][])
      edit.deleted.push({ level: check(d[0], isLevel), number: check(d[1], isNat) });
    return edit;
  } catch (cause) {
    throw new CorruptionError(file, offset, 'Malformed manifest edit', { cause });
  }
}

function check<T>(v: unknown, ok: (v: unknown) => v is T): T {
  if (!ok(v)) throw new TypeError(`bad field ${String(v)}`);
  return v;
}

const EMPTY = new Uint8Array(0);

/**
 * Concatenates the tables of one sorted level (1 and up) into one iterator, opening each
 * table only when the iteration reaches it.
 */
export class LevelIterator implements InternalIterator {
  valid = false;
  key: Uint8Array = EMPTY;
  seq = 0;
  kind = 0;
  value: Uint8Array = EMPTY;
  readonly #files: readonly FileMeta[];
  readonly #open: (f: FileMeta) => TableReader;
  #fi = -1;
  #it: TableIterator | null = null;

  constructor(files: readonly FileMeta[], open: (f: FileMeta) => TableReader) {
    this.#files = files;
    this.#open = open;
  }

  #use(fi: number): TableIterator | null {
    if (fi < 0 || fi >= this.#files.length) {
      this.#it = null;
      this.valid = false;
      return null;
    }
    if (fi !== this.#fi || this.#it === null) {
      this.#fi = fi;
      this.#it = this.#open(this.#files[fi]!).iterator();
    }
    return this.#it;
  }

  #sync(): void {
    const it = this.#it;
    if (it === null || !it.valid) {
      this.valid = false;
      return;
    }
    this.valid = true;
    this.key = it.key;
    this.seq = it.seq;
    this.kind = it.kind;
    this.value = it.value;
  }

  #forwardFrom(fi: number): void {
    for (let i = fi; ; i++) {
      const it = this.#use(i);
      if (it === null) return;
      if (i !== fi) it.first();
      if (it.valid) break;
    }
    this.#sync();
  }

  #backwardFrom(fi: number): void {
    for (let i = fi; ; i--) {
      const it = this.#use(i);
      if (it === null) return;
      if (i !== fi) it.last();
      if (it.valid) break;
    }
    this.#sync();
  }

  first(): void {
    this.#use(0)?.first();
    this.#forwardFrom(0);
  }

  last(): void {
    const n = this.#files.length - 1;
    this.#use(n)?.last();
    this.#backwardFrom(n);
  }

  seekGE(key: Uint8Array, seq: number): void {
    const fi = findFile(this.#files, key);
    this.#use(fi)?.seekGE(key, seq);
    this.#forwardFrom(fi);
  }

  seekLT(key: Uint8Array, seq: number): void {
    const fi = findFile(this.#files, key);
    if (fi >= this.#files.length) {
      this.last();
      return;
    }
    this.#use(fi)!.seekLT(key, seq);
    this.#backwardFrom(fi);
  }

  next(): void {
    this.#it!.next();
    this.#forwardFrom(this.#fi);
  }

  prev(): void {
    this.#it!.prev();
    this.#backwardFrom(this.#fi);
  }
}
