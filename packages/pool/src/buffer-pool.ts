import { PoolDoubleReleaseError, PoolExhaustedError, PoolForeignObjectError } from './errors.js';
import { integer, optionalBoolean, optionalInteger, options, show } from './internal/assert.js';
import type { BufferPoolOptions, BufferPoolStats } from './types.js';

/*
 * Every buffer this pool makes carries two hidden (non-enumerable, symbol-keyed) properties,
 * set once when it is created:
 *
 *   buffer[OWNER] = the pool            → a buffer from anywhere else is foreign
 *   buffer[TAG]   = class << 1 | inUse  → O(1) double-release check, and the class to return to
 *
 * A `WeakSet`/`Map` lookup would do the same, but hashing costs more than a property load and
 * a weak table's tombstones force periodic rehashing (allocation) in a long acquire/release
 * loop. Writing a small integer into an existing property allocates nothing.
 */
const OWNER = Symbol('@perf/pool.BufferPool.owner');
const TAG = Symbol('@perf/pool.BufferPool.tag');
/** Class index of a buffer above `maxSize`: handed out unpooled, dropped on release. */
const UNPOOLED = 0xff;
const IN_USE = 1;

interface Tagged {
  [OWNER]?: unknown;
  [TAG]?: number;
}

// Counter slots of `#stats` (a Float64Array: counting boxes nothing).
const CREATED = 0;
const REUSED = 1;
const DROPPED = 2;
const UNPOOLED_COUNT = 3;
const EXHAUSTED = 4;
const IN_USE_BYTES = 5;
const IDLE_BYTES = 6;
const STATS_SLOTS = 7;

const KiB = 1024;
const MiB = 1024 * KiB;
const MAX_CLASS_BYTES = 2 ** 30;

function powerOfTwo(name: string, value: unknown, fallback: number): number {
  const n = optionalInteger(name, value, fallback, 1, MAX_CLASS_BYTES);
  if ((n & (n - 1)) !== 0) {
    throw new RangeError(`Expected \`${name}\` to be a power of two, got ${show(n)}`);
  }
  return n;
}

const noop = (_buffer: Buffer): void => {};
const zero = (buffer: Buffer): void => {
  buffer.fill(0);
};

/**
 * Size-classed pooling of `Buffer`s (which are `Uint8Array`s) for I/O paths: a request is
 * rounded up to a power-of-two class between `minSize` and `maxSize`, served from that class's
 * idle stack, and given back with `release`. The pool owns at most `budget` bytes (in use plus
 * idle); past it, idle buffers of other classes are dropped first, then `acquire` throws
 * `PoolExhaustedError` and `tryAcquire` returns `null`.
 *
 * The returned buffer is the whole class buffer: `length` is the class size, at least the
 * size asked for. Use `buffer.subarray(0, n)` for an exact view, but release the buffer itself.
 * Release checks ownership and double release always (cheap, see the tag note above), because
 * handing the same I/O buffer to two requests corrupts data silently.
 */
export class BufferPool {
  readonly #minShift: number;
  readonly #minSize: number;
  readonly #maxSize: number;
  readonly #budget: number;
  readonly #prepare: (buffer: Buffer) => void;
  /** Per class, idle buffers in `[0, #tops[c])`; slots above are `undefined`. */
  readonly #idle: (Buffer | undefined)[][];
  readonly #tops: Int32Array;
  readonly #stats = new Float64Array(STATS_SLOTS);

  constructor(opts?: BufferPoolOptions) {
    const o = options<BufferPoolOptions>('options', opts);
    this.#minSize = powerOfTwo('minSize', o.minSize, 256);
    this.#maxSize = powerOfTwo('maxSize', o.maxSize, MiB);
    if (this.#maxSize < this.#minSize) {
      throw new RangeError(
        `Expected \`maxSize\` to be at least \`minSize\` (${this.#minSize}), got ${show(this.#maxSize)}`,
      );
    }
    this.#budget = optionalInteger('budget', o.budget, 64 * MiB, 0, Number.MAX_SAFE_INTEGER);
    this.#prepare = optionalBoolean('zeroFill', o.zeroFill, false) ? zero : noop;
    this.#minShift = 31 - Math.clz32(this.#minSize);
    const classes = 31 - Math.clz32(this.#maxSize) - this.#minShift + 1;
    this.#idle = Array.from({ length: classes }, () => []);
    this.#tops = new Int32Array(classes);
  }

  /** A buffer of at least `size` bytes; throws `PoolExhaustedError` when the budget is spent. */
  acquire(size: number): Buffer {
    const buffer = this.tryAcquire(size);
    if (buffer === null) throw new PoolExhaustedError(this.#budget, this.sizeClassOf(size));
    return buffer;
  }

  /** A buffer of at least `size` bytes, or `null` when the budget is spent. */
  tryAcquire(size: number): Buffer | null {
    if (size >>> 0 !== size) integer('size', size, 0, 2 ** 32 - 1);
    if (size > this.#maxSize) return this.#unpooled(size);
    const c = this.#classOf(size);
    const bytes = this.#minSize << c;
    const s = this.#stats;
    let buffer: Buffer;
    const top = this.#tops[c]!;
    if (top > 0) {
      const stack = this.#idle[c]!;
      buffer = stack[top - 1]!;
      stack[top - 1] = undefined;
      this.#tops[c] = top - 1;
      s[IDLE_BYTES] = s[IDLE_BYTES]! - bytes;
      s[REUSED] = s[REUSED]! + 1;
    } else {
      if (s[IN_USE_BYTES]! + s[IDLE_BYTES]! + bytes > this.#budget && !this.#makeRoom(bytes)) {
        s[EXHAUSTED] = s[EXHAUSTED]! + 1;
        return null;
      }
      buffer = this.#make(bytes, c);
      s[CREATED] = s[CREATED]! + 1;
    }
    (buffer as Tagged)[TAG] = (c << 1) | IN_USE;
    s[IN_USE_BYTES] = s[IN_USE_BYTES]! + bytes;
    this.#prepare(buffer);
    return buffer;
  }

  /**
   * Gives a buffer back for reuse. It must be one this pool handed out (not a `subarray` of
   * it): otherwise `PoolForeignObjectError`; twice without an acquire in between is
   * `PoolDoubleReleaseError`. Do not touch the buffer after releasing it.
   */
  release(buffer: Buffer | Uint8Array): void {
    const t = buffer as Tagged;
    if (typeof buffer !== 'object' || buffer === null) {
      throw new TypeError(`Expected a Buffer to release, got ${show(buffer)}`);
    }
    if (t[OWNER] !== this) throw new PoolForeignObjectError();
    const tag = t[TAG]!;
    if ((tag & IN_USE) === 0) throw new PoolDoubleReleaseError();
    const c = tag >> 1;
    t[TAG] = tag & ~IN_USE;
    if (c === UNPOOLED) return;
    const bytes = this.#minSize << c;
    const stack = this.#idle[c]!;
    stack[this.#tops[c]!++] = buffer as Buffer;
    this.#stats[IN_USE_BYTES] = this.#stats[IN_USE_BYTES]! - bytes;
    this.#stats[IDLE_BYTES] = this.#stats[IDLE_BYTES]! + bytes;
  }

  /** The byte length `acquire(size)` returns: the size class, or `size` itself above `maxSize`. */
  sizeClassOf(size: number): number {
    integer('size', size, 0, 2 ** 32 - 1);
    return size > this.#maxSize ? size : this.#minSize << this.#classOf(size);
  }

  /** Drops idle buffers (largest classes first) until at most `idleBytes` stay idle. */
  trim(idleBytes = 0): void {
    integer('idleBytes', idleBytes, 0, Number.MAX_SAFE_INTEGER);
    this.#dropIdle(this.#stats[IDLE_BYTES]! - idleBytes);
  }

  /** The byte budget. */
  get budget(): number {
    return this.#budget;
  }

  /** A snapshot of the counters (allocates; not for the hot path). */
  stats(): BufferPoolStats {
    const s = this.#stats;
    return {
      created: s[CREATED]!,
      reused: s[REUSED]!,
      dropped: s[DROPPED]!,
      unpooled: s[UNPOOLED_COUNT]!,
      exhausted: s[EXHAUSTED]!,
      bytesInUse: s[IN_USE_BYTES]!,
      bytesIdle: s[IDLE_BYTES]!,
    };
  }

  /** Class index: 0 for sizes up to minSize, then one per doubling (ceil(log2) - minShift). */
  #classOf(size: number): number {
    return size <= this.#minSize ? 0 : 32 - Math.clz32(size - 1) - this.#minShift;
  }

  #make(bytes: number, c: number): Buffer {
    // allocUnsafeSlow: a buffer of its own, never a slice of Node's shared 8 KiB pool, so it
    // is released exactly when the pool lets go of it.
    const buffer = Buffer.allocUnsafeSlow(bytes);
    Object.defineProperty(buffer, OWNER, { value: this, writable: false });
    Object.defineProperty(buffer, TAG, { value: c << 1, writable: true });
    return buffer;
  }

  #unpooled(size: number): Buffer {
    const buffer = this.#make(size, UNPOOLED);
    (buffer as Tagged)[TAG] = (UNPOOLED << 1) | IN_USE;
    this.#stats[UNPOOLED_COUNT] = this.#stats[UNPOOLED_COUNT]! + 1;
    this.#prepare(buffer);
    return buffer;
  }

  /** Drops idle buffers until `bytes` more fit under the budget; false if they cannot. */
  #makeRoom(bytes: number): boolean {
    const s = this.#stats;
    const excess = s[IN_USE_BYTES]! + s[IDLE_BYTES]! + bytes - this.#budget;
    if (excess > s[IDLE_BYTES]!) return false;
    this.#dropIdle(excess);
    return true;
  }

  /** Drops idle buffers, largest class first, until at least `bytes` are freed. */
  #dropIdle(bytes: number): void {
    const s = this.#stats;
    for (let c = this.#tops.length - 1; c >= 0 && bytes > 0; c--) {
      const stack = this.#idle[c]!;
      const size = this.#minSize << c;
      while (this.#tops[c]! > 0 && bytes > 0) {
        stack[--this.#tops[c]!] = undefined;
        s[IDLE_BYTES] = s[IDLE_BYTES]! - size;
        s[DROPPED] = s[DROPPED]! + 1;
        bytes -= size;
      }
    }
  }
}
