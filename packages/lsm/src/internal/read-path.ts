/**
 * The read path (LevelDB's `Version::Get` and `DBImpl::NewInternalIterator`), synchronous with
 * no threadpool hop: memtable → frozen memtable → level-0 tables newest first → one table per
 * deeper level. A table is skipped when its key range or its bloom filter rules the key out;
 * its blocks come from the block cache or one checked `read`.
 */
import { compareBytes } from './coding.js';
import { type InternalIterator, KIND_PUT, MergingIterator } from './iterator.js';
import type { StoreCounters } from './stats.js';
import { TOMBSTONE } from './table.js';
import { findFile, LevelIterator, NUM_LEVELS, type Version } from './version.js';
import type { VersionSet } from './version-set.js';
import type { WritePath } from './write-path.js';

export class ReadPath {
  readonly #vs: VersionSet;
  readonly #w: WritePath;
  readonly #stats: StoreCounters;

  constructor(vs: VersionSet, w: WritePath, stats: StoreCounters) {
    this.#vs = vs;
    this.#w = w;
    this.#stats = stats;
  }

  /** The newest version of `k` visible at `seq`: a value view, TOMBSTONE, or undefined. */
  lookup(k: Uint8Array, seq: number): Uint8Array | undefined {
    const w = this.#w;
    const node = w.mem.get(k, seq) ?? w.imm?.get(k, seq) ?? null;
    if (node !== null) return node.kind === KIND_PUT ? node.value : TOMBSTONE;
    const vs = this.#vs;
    const levels = vs.current.levels;
    for (const f of levels[0]!) {
      if (compareBytes(k, f.smallest) < 0 || compareBytes(k, f.largest) > 0) continue;
      const t = vs.table(f);
      if (t.filter !== null && !t.filter.has(k)) {
        this.#stats.bloomNegatives++;
        continue;
      }
      const r = t.get(k, seq);
      if (r !== undefined) return r;
    }
    for (let l = 1; l < NUM_LEVELS; l++) {
      const files = levels[l]!;
      if (files.length === 0) continue;
      const i = findFile(files, k);
      if (i >= files.length) continue;
      const f = files[i]!;
      if (compareBytes(k, f.smallest) < 0) continue;
      const t = vs.table(f);
      if (t.filter !== null && !t.filter.has(k)) {
        this.#stats.bloomNegatives++;
        continue;
      }
      const r = t.get(k, seq);
      if (r !== undefined) return r;
    }
    return undefined;
  }

  /** The internal merged stream of everything in `version` plus the memtables. */
  merged(version: Version, reverse: boolean): InternalIterator {
    const w = this.#w;
    const vs = this.#vs;
    const children: InternalIterator[] = [w.mem.iterator()];
    if (w.imm !== null) children.push(w.imm.iterator());
    for (const f of version.levels[0]!) children.push(vs.table(f).iterator());
    for (let l = 1; l < NUM_LEVELS; l++) {
      const files = version.levels[l]!;
      if (files.length > 0) children.push(new LevelIterator(files, (f) => vs.table(f)));
    }
    return new MergingIterator(children, reverse);
  }
}
