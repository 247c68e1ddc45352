import { Balancer } from './balancer.js';
import { lastA, lastB, mix } from './hash.js';
import * as check from './internal/validate.js';
import type { HashOptions, Key, NodeInput } from './types.js';

/** 2862933555777941757, the 64-bit LCG multiplier of the paper, as 32-bit halves. */
const LCG_HI = 0x27bb2ee6;
const LCG_LO = 0x87b0b0fd;
const LCG_LO_HI16 = LCG_LO >>> 16;
const LCG_LO_LO16 = LCG_LO & 0xffff;
/** Rehashes tried for a key whose bucket is unavailable before scanning for any bucket. */
const MAX_REHASH = 32;

/**
 * Jump consistent hash of a 64-bit key given as two unsigned 32-bit halves: the exact algorithm
 * of Lamping & Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm" (Google, 2014), with
 * the 64-bit multiply done on 16-bit limbs instead of BigInt, so it returns what the paper's C++
 * returns for the same key. Returns a bucket in [0, buckets).
 */
export function jumpHash(hi: number, lo: number, buckets: number): number {
  let b = -1;
  let j = 0;
  while (j < buckets) {
    b = j;
    // key = key * 2862933555777941757 + 1 (mod 2^64)
    const a1 = lo >>> 16;
    const a0 = lo & 0xffff;
    const mid = a1 * LCG_LO_LO16 + a0 * LCG_LO_HI16 + ((a0 * LCG_LO_LO16) >>> 16);
    const carry = a1 * LCG_LO_HI16 + Math.floor(mid / 65536);
    hi = (carry + Math.imul(lo, LCG_HI) + Math.imul(hi, LCG_LO)) >>> 0;
    lo = (Math.imul(lo, LCG_LO) + 1) >>> 0;
    if (lo === 0) hi = (hi + 1) >>> 0;
    // j = (b + 1) * (double(1 << 31) / double((key >>> 33) + 1)), truncated as in C.
    j = Math.floor((b + 1) * (2147483648 / ((hi >>> 1) + 1)));
  }
  return b;
}

/**
 * Jump consistent hashing over the nodes in the order they were added (bucket i = the i-th
 * node): no table at all, O(ln n) per pick, and perfectly even. Adding a node moves 1/(n+1) of
 * the keys, all to the new node; removing the last node moves only its keys. Removing any other
 * node moves the last node into its bucket, so its keys move too (≈ 2/n): to take a node out for a
 * while, prefer `markDown`. The algorithm has no weights: a weight must be 1, or 0 to drain
 * the bucket (anything else is a `RangeError`). An unavailable bucket's keys are rehashed (up to 32 times) to
 * spread them evenly over the others. Processes agree when they add the same ids in the same order.
 */
export class JumpHash extends Balancer<string> {
  readonly #seed: number;
  /** Bucket → slot. */
  #buckets: number[] = [];

  constructor(nodes: Iterable<NodeInput> = [], options: HashOptions = {}) {
    super(options);
    this.#seed = check.integer('seed', options.seed ?? 0, -(2 ** 31), 2 ** 32 - 1);
    this.init(nodes);
  }

  /** The node owning `key`. */
  override pick(key: Key): string {
    mix(key, this.#seed);
    const set = this.set;
    const buckets = this.#buckets;
    const s = buckets[jumpHash(lastB(), lastA(), buckets.length)]!;
    if (set.degraded && this.recover() && set.ok[s] === 0) return set.ids[this.#rehash(key)]!;
    return set.ids[s]!;
  }

  protected override rebuild(): void {
    const set = this.set;
    for (const s of set.order) {
      const w = set.weight[s]!;
      if (w !== 0 && w !== 1) {
        throw new RangeError(
          `Expected the weight of ${JSON.stringify(set.ids[s])} to be 0 or 1 (JumpHash has no weights), got \`${w}\` (number)`,
        );
      }
    }
    const buckets = this.#buckets;
    const seen = new Set<number>();
    // Keep every surviving node in its bucket; a removed node's bucket gets the last node.
    for (let i = 0; i < buckets.length; i++) {
      while (i < buckets.length && set.ids[buckets[i]!] === undefined) {
        const last = buckets.pop()!;
        if (i < buckets.length) buckets[i] = last;
      }
      if (i < buckets.length) seen.add(buckets[i]!);
    }
    for (const s of set.order) if (!seen.has(s)) buckets.push(s);
  }

  #rehash(key: Key): number {
    const { ok } = this.set;
    const buckets = this.#buckets;
    let b = 0;
    for (let attempt = 1; attempt <= MAX_REHASH; attempt++) {
      mix(key, this.#seed + attempt);
      b = jumpHash(lastB(), lastA(), buckets.length);
      if (ok[buckets[b]!] === 1) return buckets[b]!;
    }
    for (let i = 1; i < buckets.length; i++) {
      const s = buckets[(b + i) % buckets.length]!;
      if (ok[s] === 1) return s;
    }
    return this.set.fail();
  }
}
