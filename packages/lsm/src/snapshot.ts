import { ClosedError } from './errors.js';
import type { SnapshotHandle } from './types.js';

/**
 * A point-in-time view of a store: reads and iterators given `{ snapshot }` see exactly the
 * writes with a sequence number up to `sequence`. Compaction keeps every version a live
 * snapshot can see, so release snapshots (`close()`) when done.
 */
export class Snapshot implements SnapshotHandle {
  readonly sequence: number;
  readonly #release: (s: Snapshot) => void;
  #closed = false;
  /** @internal The store that made it (a snapshot of another store is a TypeError). */
  readonly owner: object;

  /** @internal */
  constructor(owner: object, sequence: number, release: (s: Snapshot) => void) {
    this.owner = owner;
    this.sequence = sequence;
    this.#release = release;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** @internal Throws `PERF_LSM_CLOSED` once released. */
  check(): void {
    if (this.#closed) throw new ClosedError('snapshot');
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#release(this);
  }
}
