/**
 * `@perf/lsm/level`: an [abstract-level](https://github.com/Level/abstract-level) database on
 * top of {@link LsmStore}, so the level ecosystem (sublevels, encodings, `level-read-stream`, …)
 * runs on it. It passes abstract-level's own compliance suite for every feature its manifest
 * declares: implicit and explicit snapshots, `seek`, `getSync`, `has`, permanence,
 * `createIfMissing` and `errorIfExists`.
 *
 * `abstract-level` is an optional peer dependency: install it to use this entry point.
 */
import {
  AbstractIterator,
  type AbstractIteratorOptions,
  AbstractLevel,
  type AbstractOpenOptions,
  AbstractSnapshot,
} from 'abstract-level';
import type { Entry, LsmIterator } from './lsm-iterator.js';
import { LsmStore } from './lsm-store.js';
import type { Snapshot } from './snapshot.js';
import type { IteratorOptions, KeyRange, StoreOptions } from './types.js';

type Key = Uint8Array;

/** What the compliance suite tests: every feature declared here passes it. */
const MANIFEST = {
  encodings: { buffer: true, view: true },
  seek: true,
  getSync: true,
  has: true,
  implicitSnapshots: true,
  explicitSnapshots: true,
  permanence: true,
  createIfMissing: true,
  errorIfExists: true,
};

/** Options of {@link LsmLevel}: abstract-level's database options plus the store's. */
export interface LsmLevelOptions extends StoreOptions {
  keyEncoding?: string;
  valueEncoding?: string;
}

interface RangeOptions extends KeyRange {
  reverse?: boolean;
  limit?: number;
  snapshot?: LsmLevelSnapshot;
}

function range(options: RangeOptions): IteratorOptions {
  const r: IteratorOptions = { reverse: options.reverse === true };
  if (options.gt !== undefined) r.gt = options.gt;
  if (options.gte !== undefined) r.gte = options.gte;
  if (options.lt !== undefined) r.lt = options.lt;
  if (options.lte !== undefined) r.lte = options.lte;
  if (options.limit !== undefined && options.limit >= 0) r.limit = options.limit;
  if (options.snapshot !== undefined) r.snapshot = options.snapshot.inner;
  return r;
}

/** An explicit snapshot: a store snapshot released when abstract-level closes it. */
class LsmLevelSnapshot extends AbstractSnapshot {
  readonly inner: Snapshot;

  constructor(options: object, inner: Snapshot) {
    // abstract-level's typings omit the constructor's `options` ({ owner }) argument
    super(...([options] as unknown as []));
    this.inner = inner;
  }

  async _close(): Promise<void> {
    this.inner.close();
  }
}

/** abstract-level's error for reads through a closed snapshot. */
function snapshotNotOpen(): Error {
  return Object.assign(new Error('Snapshot is not open'), { code: 'LEVEL_SNAPSHOT_NOT_OPEN' });
}

class LsmLevelIterator extends AbstractIterator<LsmLevel, Key, Key> {
  /** Null when the iterator was asked for on a snapshot that was already closed. */
  readonly #it: LsmIterator | null;

  constructor(db: LsmLevel, options: AbstractIteratorOptions<Key, Key>, it: LsmIterator | null) {
    super(db, options);
    this.#it = it;
  }

  #inner(): LsmIterator {
    if (this.#it === null) throw snapshotNotOpen();
    return this.#it;
  }

  async _next(): Promise<Entry | undefined> {
    return this.#inner().nextSync();
  }

  async _nextv(size: number): Promise<Entry[]> {
    return this.#inner().nextvSync(size);
  }

  async _all(): Promise<Entry[]> {
    return this.#inner().nextvSync(Number.MAX_SAFE_INTEGER);
  }

  _seek(target: Key): void {
    this.#it?.seek(target);
  }

  async _close(): Promise<void> {
    this.#it?.close();
  }
}

/**
 * An abstract-level database stored in an {@link LsmStore}: `new LsmLevel(dir, options)`.
 * The underlying store is `db.store` while the database is open.
 */
export class LsmLevel extends AbstractLevel<Key, string, string> {
  readonly location: string;
  readonly #options: StoreOptions;
  #store: LsmStore | null = null;

  constructor(location: string, options: LsmLevelOptions = {}) {
    if (typeof location !== 'string' || location === '') {
      throw new TypeError(
        `Expected \`location\` to be a non-empty string, got \`${String(location)}\` (${typeof location})`,
      );
    }
    super(MANIFEST, options);
    this.location = location;
    const { keyEncoding: _k, valueEncoding: _v, ...store } = options;
    this.#options = store;
  }

  /** The open store (throws a TypeError while the database is not open). */
  get store(): LsmStore {
    if (this.#store === null) throw new TypeError('The database is not open');
    return this.#store;
  }

  async _open(options: AbstractOpenOptions): Promise<void> {
    this.#store = await LsmStore.open(this.location, {
      ...this.#options,
      createIfMissing: options.createIfMissing !== false,
      errorIfExists: options.errorIfExists === true,
    });
  }

  async _close(): Promise<void> {
    await this.#store?.close();
    this.#store = null;
  }

  async _get(key: Key, options: { snapshot?: LsmLevelSnapshot }): Promise<Buffer | undefined> {
    return this.store.getSync(key, { snapshot: options.snapshot?.inner });
  }

  _getSync(key: Key, options: { snapshot?: LsmLevelSnapshot }): Buffer | undefined {
    return this.store.getSync(key, { snapshot: options.snapshot?.inner });
  }

  async _getMany(
    keys: Key[],
    options: { snapshot?: LsmLevelSnapshot },
  ): Promise<(Buffer | undefined)[]> {
    return this.store.getMany(keys, { snapshot: options.snapshot?.inner });
  }

  async _has(key: Key, options: { snapshot?: LsmLevelSnapshot }): Promise<boolean> {
    return this.store.has(key, { snapshot: options.snapshot?.inner });
  }

  async _hasMany(keys: Key[], options: { snapshot?: LsmLevelSnapshot }): Promise<boolean[]> {
    const store = this.store;
    const snap = store.snapshot();
    try {
      const at = { snapshot: options.snapshot?.inner ?? snap };
      return keys.map((k) => store.getSync(k, at) !== undefined);
    } finally {
      snap.close();
    }
  }

  async _put(key: Key, value: Key, options: { sync?: boolean }): Promise<void> {
    await this.store.put(
      key,
      value,
      options.sync === undefined ? undefined : { sync: options.sync === true },
    );
  }

  async _del(key: Key, options: { sync?: boolean }): Promise<void> {
    await this.store.delete(
      key,
      options.sync === undefined ? undefined : { sync: options.sync === true },
    );
  }

  async _batch(
    operations: { type: 'put' | 'del'; key: Key; value?: Key }[],
    options: { sync?: boolean },
  ): Promise<void> {
    await this.store.batch(
      operations.map((op) =>
        op.type === 'put'
          ? { type: 'put', key: op.key, value: op.value! }
          : { type: 'del', key: op.key },
      ),
      options.sync === undefined ? undefined : { sync: options.sync === true },
    );
  }

  async _clear(options: RangeOptions): Promise<void> {
    await this.store.clear(range(options));
  }

  _iterator(options: AbstractIteratorOptions<Key, Key> & RangeOptions): LsmLevelIterator {
    const closed = options.snapshot?.inner.closed === true;
    return new LsmLevelIterator(this, options, closed ? null : this.store.iterator(range(options)));
  }

  _snapshot(options: object): LsmLevelSnapshot {
    return new LsmLevelSnapshot(options, this.store.snapshot());
  }
}
