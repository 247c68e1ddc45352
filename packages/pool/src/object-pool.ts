import { fn, integer, optionalBoolean, optionalInteger, options, show } from './internal/assert.js';
import { type ReleaseGuard, TrackingGuard, UNGUARDED } from './internal/release-guard.js';
import type { ObjectPoolOptions, ObjectPoolStats } from './types.js';

// Slots of the counters in `#stats`: a Float64Array, so counting never boxes a number.
const CREATED = 0;
const REUSED = 1;
const DROPPED = 2;
/** Idle objects let go by `drain` (not "dropped": they were never over capacity). */
const DRAINED = 3;
const STATS_SLOTS = 4;
// "in use" is not counted per call: every created object is in use, idle, dropped or drained,
// so inUse = created - idle - dropped - drained. Two fewer stores per acquire/release pair.

const DEFAULT_CAPACITY = 1024;
const MAX_CAPACITY = 2 ** 24;

const noop = (): void => {};

/**
 * A pool of reusable objects: `acquire()` hands out an idle one (or creates one), `release()`
 * resets it and keeps it for the next acquire, up to `capacity` idle objects.
 *
 * The idle objects sit in a stack (`#idle[0 .. #top)`, top is the next to hand out) that is
 * allocated once at full capacity, so in steady state acquire/release write one array slot
 * and a few counters and allocate nothing. That only pays for objects whose fields V8 stores
 * unboxed-free: small integers, booleans, `null` and references. A `double` written into an
 * object field is boxed in a fresh HeapNumber on most stores, so float records churn the young
 * generation even when pooled — keep those in {@link defineStruct} instead (see the README).
 */
export class ObjectPool<T extends object> {
  readonly #create: () => T;
  readonly #reset: (object: T) => void;
  readonly #guard: ReleaseGuard<T>;
  /** Idle objects in `[0, #top)`; slots at and above `#top` are `undefined` (nothing retained). */
  readonly #idle: (T | undefined)[];
  readonly #capacity: number;
  #top = 0;
  readonly #stats = new Float64Array(STATS_SLOTS);

  constructor(opts: ObjectPoolOptions<T>) {
    const o = options<ObjectPoolOptions<T>>('options', opts);
    this.#create = fn<() => T>('create', o.create);
    this.#reset = fn<(object: T) => void>('reset', o.reset, noop);
    this.#capacity = optionalInteger('capacity', o.capacity, DEFAULT_CAPACITY, 0, MAX_CAPACITY);
    const prefill = optionalInteger('prefill', o.prefill, 0, 0, this.#capacity);
    this.#guard = optionalBoolean('debug', o.debug, false)
      ? new TrackingGuard<T>()
      : (UNGUARDED as ReleaseGuard<T>);
    // Filled with `undefined` rather than `new Array(n)`: a packed array keeps its fast
    // elements kind, a holey one makes every read check the prototype chain.
    this.#idle = Array.from({ length: this.#capacity }, () => undefined);
    for (let i = 0; i < prefill; i++) {
      const object = this.#make();
      this.#guard.released(object);
      this.#idle[this.#top++] = object;
    }
  }

  /** An idle object, or a new one from `create` when none is idle. */
  acquire(): T {
    const top = this.#top;
    let object: T;
    if (top > 0) {
      object = this.#idle[top - 1] as T;
      this.#idle[top - 1] = undefined;
      this.#top = top - 1;
      this.#stats[REUSED] = this.#stats[REUSED]! + 1;
    } else {
      object = this.#make();
    }
    this.#guard.acquired(object);
    return object;
  }

  /**
   * Resets `object` and keeps it for reuse, or drops it when `capacity` objects are idle.
   * In `debug` mode a double release or a foreign object throws before anything changes.
   */
  release(object: T): void {
    if (typeof object !== 'object' || object === null) {
      throw new TypeError(`Expected an object to release, got ${show(object)}`);
    }
    this.#guard.released(object);
    this.#reset(object);
    if (this.#top < this.#capacity) this.#idle[this.#top++] = object;
    else this.#stats[DROPPED] = this.#stats[DROPPED]! + 1;
  }

  /** Idle objects in the pool now. */
  get size(): number {
    return this.#top;
  }

  /** Most idle objects kept. */
  get capacity(): number {
    return this.#capacity;
  }

  /** A snapshot of the counters (allocates; not for the hot path). */
  stats(): ObjectPoolStats {
    const s = this.#stats;
    return {
      created: s[CREATED]!,
      reused: s[REUSED]!,
      dropped: s[DROPPED]!,
      inUse: s[CREATED]! - this.#top - s[DROPPED]! - s[DRAINED]!,
      idle: this.#top,
    };
  }

  /** Drops every idle object (to the GC); `count` of them when given. Returns how many. */
  drain(count: number = this.#top): number {
    const n = Math.min(integer('count', count, 0, Number.MAX_SAFE_INTEGER), this.#top);
    for (let i = 0; i < n; i++) this.#idle[--this.#top] = undefined;
    this.#stats[DRAINED] = this.#stats[DRAINED]! + n;
    return n;
  }

  #make(): T {
    const object = this.#create();
    if (typeof object !== 'object' || object === null) {
      throw new TypeError(`Expected \`create\` to return an object, got ${show(object)}`);
    }
    this.#guard.created(object);
    this.#stats[CREATED] = this.#stats[CREATED]! + 1;
    return object;
  }
}
