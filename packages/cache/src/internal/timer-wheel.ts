// A hierarchical timer wheel: expiry in amortised O(1) per entry, never one setTimeout per entry.
// Ported from Caffeine's TimerWheel (Ben Manes), after Varghese & Lauck, "Hashed and
// Hierarchical Timing Wheels" (1987). Times are milliseconds of the cache's clock.
//
// Five levels of buckets; level i has BUCKETS[i] buckets of SPANS[i] ms each, so it covers
// SPANS[i+1] ms. An entry is filed in the coarsest-needed level by the time until it expires;
// when the wheel turns past a bucket, its entries either expire or drop to a finer level.
//
//   level 0: 64 × 1.02 s    level 1: 64 × 65.5 s    level 2: 32 × 69.9 min
//   level 3:  4 × 37.3 h    level 4: overflow (1 bucket, re-filed every 6.2 days)
//
// Each bucket is a circular doubly-linked list with a sentinel; all lists share two Int32Arrays.
// Sentinels occupy indices [0, BUCKET_COUNT); the node of cache slot s is BUCKET_COUNT + s:
//
//   prev/next: [ sentinels (165) | node(slot 0) node(slot 1) … ]       unlinked node: prev = -1
//
// Reads never depend on the wheel: a read compares the entry's exact expiry with the clock. The
// wheel only decides when an expired entry is *removed* (and its listener told), so the 1 s
// granularity of level 0 costs memory for at most ~1 s, not correctness.

import { grown } from './grown.js';

const SHIFTS = [10, 16, 22, 27, 29] as const;
const SPANS = [2 ** 10, 2 ** 16, 2 ** 22, 2 ** 27, 2 ** 29, 2 ** 29] as const;
const BUCKETS = [64, 64, 32, 4, 1] as const;
const OFFSETS = [0, 64, 128, 160, 164] as const;
const BUCKET_COUNT = 165;
const UNLINKED = -1;

export class TimerWheel {
  #prev: Int32Array;
  #next: Int32Array;
  #expiresAt: Float64Array;
  #time: number;
  readonly #onExpire: (slot: number) => void;

  constructor(
    capacity: number,
    expiresAt: Float64Array,
    now: number,
    onExpire: (slot: number) => void,
  ) {
    this.#prev = new Int32Array(BUCKET_COUNT + capacity).fill(UNLINKED);
    this.#next = new Int32Array(BUCKET_COUNT + capacity).fill(UNLINKED);
    for (let s = 0; s < BUCKET_COUNT; s++) this.#prev[s] = this.#next[s] = s;
    this.#expiresAt = expiresAt;
    this.#time = now;
    this.#onExpire = onExpire;
  }

  /** Follows the cache's slot arrays when they grow. */
  resize(capacity: number, expiresAt: Float64Array): void {
    this.#prev = grown(this.#prev, BUCKET_COUNT + capacity, UNLINKED);
    this.#next = grown(this.#next, BUCKET_COUNT + capacity, UNLINKED);
    this.#expiresAt = expiresAt;
  }

  /** Files `slot` by its current expiry (re-filing it if it was filed). */
  schedule(slot: number): void {
    const node = BUCKET_COUNT + slot;
    if (this.#prev[node] !== UNLINKED) this.#unlink(node);
    const at = this.#expiresAt[slot]!;
    if (at === Number.POSITIVE_INFINITY) return;
    const sentinel = this.#bucketOf(at);
    const tail = this.#prev[sentinel]!;
    this.#next[tail] = node;
    this.#prev[node] = tail;
    this.#next[node] = sentinel;
    this.#prev[sentinel] = node;
  }

  unschedule(slot: number): void {
    const node = BUCKET_COUNT + slot;
    if (this.#prev[node] !== UNLINKED) this.#unlink(node);
  }

  /** Turns the wheel to `now`, expiring (through `onExpire`) every entry due by then. */
  advance(now: number): void {
    const before = this.#time;
    if (now <= before) return;
    this.#time = now;
    for (let level = 0; level < SHIFTS.length; level++) {
      const span = SPANS[level]!;
      const previousTicks = Math.floor(before / span);
      const delta = Math.floor(now / span) - previousTicks;
      if (delta <= 0) break;
      this.#expire(level, previousTicks, delta);
    }
  }

  #expire(level: number, previousTicks: number, delta: number): void {
    const buckets = BUCKETS[level]!;
    const mask = buckets - 1;
    const steps = Math.min(1 + delta, buckets);
    const start = previousTicks & mask;
    const prev = this.#prev;
    const next = this.#next;
    for (let i = start; i < start + steps; i++) {
      const sentinel = OFFSETS[level]! + (i & mask);
      let node = next[sentinel]!;
      // Detach the whole bucket first: entries re-filed below may land in this same bucket.
      prev[sentinel] = next[sentinel] = sentinel;
      while (node !== sentinel) {
        const following = next[node]!;
        prev[node] = next[node] = UNLINKED;
        const slot = node - BUCKET_COUNT;
        if (this.#expiresAt[slot]! > this.#time) this.schedule(slot);
        else this.#onExpire(slot);
        node = following;
      }
    }
  }

  #bucketOf(at: number): number {
    const duration = at - this.#time;
    for (let level = 0; level < 4; level++) {
      if (duration < SPANS[level + 1]!) {
        const ticks = Math.floor(at / SPANS[level]!);
        return OFFSETS[level]! + (ticks & (BUCKETS[level]! - 1));
      }
    }
    return OFFSETS[4];
  }

  #unlink(node: number): void {
    const p = this.#prev[node]!;
    const n = this.#next[node]!;
    this.#next[p] = n;
    this.#prev[n] = p;
    this.#prev[node] = this.#next[node] = UNLINKED;
  }
}
