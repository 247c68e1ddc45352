/**
 * Seeded, portable key hashing: MurmurHash3_x86_32 (Austin Appleby, public domain, SMHasher)
 * of a key's UTF-8 bytes, from the one copy every @perf package shares. `hash64` is two lanes
 * of one pass: the low half is `MurmurHash3_x86_32(utf8(key), seed)`, the high half the same
 * function with seed `seed ^ 0x9e3779b9`. Every process, in any language with a MurmurHash3,
 * computes the same values (unlike `Math.random` ring points), so placements agree.
 */
import { murmur3, murmur3Pair } from '@perf/internal';
import type { Key } from './types.js';

/**
 * Results of the last `mix` call: [lane A, lane B]. A typed array rather than a returned pair:
 * hashes are mostly above 2^30, and V8 boxes such a number in a fresh heap object on every
 * store to a variable, which showed up as a garbage collection every few thousand lookups
 * (test/allocation.test.ts). Readers copy them out immediately.
 */
const lanes = new Uint32Array(2);

/** @internal Hashes `key` into the two lanes; read them with `lastA()` and `lastB()`. */
export function mix(key: Key, seed: number): void {
  murmur3Pair(key, seed, lanes);
}

/** @internal Lane A of the last `mix`: `MurmurHash3_x86_32(key, seed)`. */
export function lastA(): number {
  return lanes[0]!;
}

/** @internal Lane B of the last `mix`: `MurmurHash3_x86_32(key, seed ^ 0x9e3779b9)`. */
export function lastB(): number {
  return lanes[1]!;
}

/**
 * 32-bit hash of a key: `MurmurHash3_x86_32` of its UTF-8 bytes.
 * @param key - A string (hashed as UTF-8) or bytes.
 * @param seed - A 32-bit seed. @defaultValue 0
 * @returns An unsigned 32-bit integer.
 */
export function hash32(key: Key, seed = 0): number {
  return murmur3(key, seed);
}

/**
 * 64-bit hash of a key as two unsigned 32-bit halves, written into `out` (allocation-free when
 * you pass one): `out[0]` is the high half (lane B), `out[1]` the low half (lane A, equal to
 * `hash32(key, seed)`).
 * @param key - A string (hashed as UTF-8) or bytes.
 * @param seed - A 32-bit seed. @defaultValue 0
 * @param out - Where to write `[high, low]`. @defaultValue a new `Uint32Array(2)`
 */
export function hash64(key: Key, seed = 0, out: Uint32Array = new Uint32Array(2)): Uint32Array {
  murmur3Pair(key, seed, lanes);
  out[0] = lanes[1]!;
  out[1] = lanes[0]!;
  return out;
}
