/**
 * A user-facing iterator over a key range at one sequence number, built on the internal merged
 * stream of memtables and tables. Forward iterators take, per user key, the first version with
 * sequence ≤ the read point (versions arrive newest first); reverse iterators see the versions
 * of a key oldest first and keep the last visible one.
 */
import { compareBytes } from './internal/coding.js';
import { type InternalIterator, KIND_PUT, SEQ_MAX, SEQ_MIN } from './internal/iterator.js';
import { ClosedError } from './errors.js';

/** One entry of an iteration: `[key, value]`, fresh copies the caller owns. */
export type Entry = [key: Buffer, value: Buffer];

/** @internal Resolved bounds of an iteration. */
export interface Bounds {
  lower: Uint8Array | null;
  lowerInclusive: boolean;
  upper: Uint8Array | null;
  upperInclusive: boolean;
}

export function copyBytes(v: Uint8Array): Buffer {
  const b = Buffer.allocUnsafe(v.length);
  b.set(v);
  return b;
}

function sameKey(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class LsmIterator implements AsyncIterable<Entry>, Iterable<Entry> {
  readonly #it: InternalIterator;
  readonly #seq: number;
  readonly #b: Bounds;
  readonly #reverse: boolean;
  readonly #limit: number;
  readonly #onClose: (it: LsmIterator) => void;
  #count = 0;
  #closed = false;
  #done = false;
  /** The user key last emitted or shadowed (forward only): its older versions are skipped. */
  #skip: Uint8Array | null = null;

  /** @internal */
  constructor(
    it: InternalIterator,
    seq: number,
    bounds: Bounds,
    reverse: boolean,
    limit: number,
    onClose: (it: LsmIterator) => void,
  ) {
    this.#it = it;
    this.#seq = seq;
    this.#b = bounds;
    this.#reverse = reverse;
    this.#limit = limit;
    this.#onClose = onClose;
    this.#position(null);
  }

  /** Entries returned so far (counted against `limit`). */
  get count(): number {
    return this.#count;
  }

  get closed(): boolean {
    return this.#closed;
  }

  #position(target: Uint8Array | null): void {
    const { lower, lowerInclusive, upper, upperInclusive } = this.#b;
    const it = this.#it;
    this.#skip = null;
    this.#done = false;
    if (!this.#reverse) {
      if (target !== null && (lower === null || compareBytes(target, lower) > 0))
        it.seekGE(target, SEQ_MAX);
      else if (lower !== null) it.seekGE(lower, lowerInclusive ? SEQ_MAX : SEQ_MIN);
      else it.first();
    } else {
      if (target !== null && (upper === null || compareBytes(target, upper) < 0))
        it.seekLT(target, SEQ_MIN);
      else if (upper !== null) it.seekLT(upper, upperInclusive ? SEQ_MIN : SEQ_MAX);
      else it.last();
    }
  }

  #aboveUpper(key: Uint8Array): boolean {
    const u = this.#b.upper;
    if (u === null) return false;
    const c = compareBytes(key, u);
    return this.#b.upperInclusive ? c > 0 : c >= 0;
  }

  #belowLower(key: Uint8Array): boolean {
    const l = this.#b.lower;
    if (l === null) return false;
    const c = compareBytes(key, l);
    return this.#b.lowerInclusive ? c < 0 : c <= 0;
  }

  /** Positions on the next visible entry; returns false at the end. Leaves it on that entry. */
  #advance(): { key: Uint8Array; value: Uint8Array } | null {
    const it = this.#it;
    const seq = this.#seq;
    if (this.#done || this.#count >= this.#limit) return null;
    if (!this.#reverse) {
      for (; it.valid; it.next()) {
        if (it.seq > seq) continue;
        const key = it.key;
        if (this.#skip !== null && sameKey(key, this.#skip)) continue;
        if (this.#aboveUpper(key)) break;
        this.#skip = key;
        if (it.kind === KIND_PUT) {
          const value = it.value;
          it.next();
          return { key, value };
        }
      }
    } else {
      while (it.valid) {
        const key = it.key;
        if (this.#belowLower(key)) break;
        let kind = -1;
        let value: Uint8Array | null = null;
        for (; it.valid && sameKey(it.key, key); it.next()) {
          if (it.seq <= seq) {
            kind = it.kind;
            value = it.value;
          }
        }
        if (kind === KIND_PUT) return { key, value: value! };
      }
    }
    this.#done = true;
    return null;
  }

  #check(): void {
    if (this.#closed) throw new ClosedError('iterator');
  }

  /** The next entry, synchronously, or undefined at the end of the range. */
  nextSync(): Entry | undefined {
    this.#check();
    const e = this.#advance();
    if (e === null) return undefined;
    this.#count++;
    return [copyBytes(e.key), copyBytes(e.value)];
  }

  /** The next entry, or undefined at the end of the range. */
  next(): Promise<Entry | undefined> {
    try {
      return Promise.resolve(this.nextSync());
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Up to `size` entries, synchronously; fewer (possibly none) only at the end of the range. */
  nextvSync(size: number): Entry[] {
    if (!Number.isInteger(size) || size < 0) {
      throw new RangeError(
        `Expected \`size\` to be an integer from 0 and up, got \`${size}\` (${typeof size})`,
      );
    }
    this.#check();
    const out: Entry[] = [];
    while (out.length < size) {
      const e = this.#advance();
      if (e === null) break;
      this.#count++;
      out.push([copyBytes(e.key), copyBytes(e.value)]);
    }
    return out;
  }

  /** Up to `size` entries in one call (one promise for the lot). */
  nextv(size: number): Promise<Entry[]> {
    try {
      return Promise.resolve(this.nextvSync(size));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Every remaining entry. */
  async all(): Promise<Entry[]> {
    try {
      return this.nextvSync(Number.MAX_SAFE_INTEGER);
    } finally {
      this.close();
    }
  }

  /**
   * Moves to the first key ≥ `target` (reverse: the last key ≤ `target`), staying inside the
   * range. Does not reset the count against `limit`.
   */
  seek(target: Uint8Array | string): void {
    this.#check();
    const t = typeof target === 'string' ? Buffer.from(target) : target;
    if (!(t instanceof Uint8Array)) {
      throw new TypeError(
        `Expected \`target\` to be a Uint8Array or a string, got \`${String(target)}\` (${typeof target})`,
      );
    }
    // forward: seekGE(target); reverse: seekLT(target, SEQ_MIN), the last key ≤ target
    this.#position(t);
  }

  /** Releases the iterator (and the tables it pins). Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#onClose(this);
  }

  *[Symbol.iterator](): Iterator<Entry> {
    try {
      for (;;) {
        const e = this.nextSync();
        if (e === undefined) return;
        yield e;
      }
    } finally {
      this.close();
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Entry> {
    try {
      for (;;) {
        const batch = this.nextvSync(256);
        if (batch.length === 0) return;
        yield* batch;
      }
    } finally {
      this.close();
    }
  }
}
