/**
 * MurmurHash3_x86_32 (Austin Appleby, public domain, SMHasher), the one copy `@perf` uses: bloom
 * filters (`@perf/lsm`, persisted on disk) and key placement (`@perf/balance`) depend on its exact
 * outputs, so they are pinned by test vectors from the reference implementation.
 *
 * It runs as two lanes over one pass. Lane A is exactly `MurmurHash3_x86_32(utf8(key), seed)`;
 * lane B is the same function with seed `seed ^ 0x9e3779b9`. Both lanes share the per-block key
 * mixing (it does not depend on the seed), so the second lane costs three instructions per
 * 4-byte block. Strings are hashed as their UTF-8 bytes without encoding when they are ASCII,
 * so `murmur3('abc')` equals `murmur3(new TextEncoder().encode('abc'))`, and every process, in
 * any language with a MurmurHash3, computes the same value.
 */
import { describe } from './describe.js';

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const M5 = 0xe6546b64;
/** Lane B's seed offset: the 32-bit golden ratio. */
const LANE_B_SEED = 0x9e3779b9;

/** Scratch for non-ASCII strings; grows to the longest key seen (at 3 bytes per UTF-16 unit). */
let utf8 = new Uint8Array(256);

/**
 * Results of the last `mix` call: [lane A, lane B]. A typed array rather than a returned pair or
 * two module-level `let`s: hashes are mostly above 2^30, and V8 boxes such a number in a fresh
 * heap object on every store to a variable, which showed up as a garbage collection every few
 * thousand lookups (test/allocation.test.ts). Readers copy them out immediately.
 */
const lanes = new Uint32Array(2);
const LANE_A = 0;
const LANE_B = 1;

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Murmur's per-block key scramble; seed-independent, so shared by both lanes. */
function scramble(k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, C2);
}

function step(h: number, k: number): number {
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + M5) | 0;
}

function finish(a: number, b: number, tail: number, len: number): void {
  if (tail !== 0) {
    const k = scramble(tail);
    a ^= k;
    b ^= k;
  }
  lanes[LANE_A] = fmix(a ^ len);
  lanes[LANE_B] = fmix(b ^ len);
}

function mixBytes(bytes: Uint8Array, len: number, seed: number): void {
  let a = seed | 0;
  let b = (seed ^ LANE_B_SEED) | 0;
  const blocks = len & ~3;
  let i = 0;
  for (; i < blocks; i += 4) {
    const k = scramble(
      bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24),
    );
    a = step(a, k);
    b = step(b, k);
  }
  const rest = len & 3;
  let tail = 0;
  if (rest === 3) tail = bytes[i + 2]! << 16;
  if (rest >= 2) tail |= bytes[i + 1]! << 8;
  if (rest >= 1) tail |= bytes[i]!;
  finish(a, b, tail, len);
}

/**
 * Encodes `s` as UTF-8 into the scratch buffer and hashes it. Done by hand because
 * `TextEncoder.encodeInto` allocates its `{ read, written }` result on every call; lone
 * surrogates become U+FFFD exactly as `TextEncoder` does (tested against it).
 */
function mixUtf8(s: string, seed: number): void {
  if (utf8.length < s.length * 3) utf8 = new Uint8Array(s.length * 3);
  const out = utf8;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
    } else if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
          out[n++] = 0xf0 | (c >> 18);
          out[n++] = 0x80 | ((c >> 12) & 0x3f);
          out[n++] = 0x80 | ((c >> 6) & 0x3f);
          out[n++] = 0x80 | (c & 0x3f);
          continue;
        }
        c = 0xfffd; // a lone surrogate
      }
      out[n++] = 0xe0 | (c >> 12);
      out[n++] = 0x80 | ((c >> 6) & 0x3f);
      out[n++] = 0x80 | (c & 0x3f);
    }
  }
  mixBytes(out, n, seed);
}

function mixString(s: string, seed: number): void {
  const len = s.length;
  let a = seed | 0;
  let b = (seed ^ LANE_B_SEED) | 0;
  const blocks = len & ~3;
  let i = 0;
  for (; i < blocks; i += 4) {
    const c0 = s.charCodeAt(i);
    const c1 = s.charCodeAt(i + 1);
    const c2 = s.charCodeAt(i + 2);
    const c3 = s.charCodeAt(i + 3);
    // A non-ASCII unit means UTF-16 units are not the UTF-8 bytes: start over from the bytes.
    if ((c0 | c1 | c2 | c3) > 0x7f) {
      mixUtf8(s, seed);
      return;
    }
    const k = scramble(c0 | (c1 << 8) | (c2 << 16) | (c3 << 24));
    a = step(a, k);
    b = step(b, k);
  }
  const rest = len & 3;
  const t0 = rest >= 1 ? s.charCodeAt(i) : 0;
  const t1 = rest >= 2 ? s.charCodeAt(i + 1) : 0;
  const t2 = rest === 3 ? s.charCodeAt(i + 2) : 0;
  if ((t0 | t1 | t2) > 0x7f) mixUtf8(s, seed);
  else finish(a, b, t0 | (t1 << 8) | (t2 << 16), len);
}

/** A hashable key: a string (hashed as its UTF-8 bytes) or bytes. */
export type HashKey = string | Uint8Array;

function mix(key: HashKey, seed: number): void {
  if (typeof key === 'string') mixString(key, seed);
  else if (key instanceof Uint8Array) mixBytes(key, key.length, seed);
  else {
    throw new TypeError(`Expected a key to be a string or a Uint8Array, got ${describe(key)}`);
  }
}

/**
 * `MurmurHash3_x86_32` of a key's UTF-8 bytes.
 * @param key - A string (hashed as UTF-8) or bytes.
 * @param seed - A 32-bit seed. @defaultValue 0
 * @returns An unsigned 32-bit integer.
 */
export function murmur3(key: HashKey, seed = 0): number {
  mix(key, seed);
  return lanes[LANE_A]!;
}

/**
 * Two independent 32-bit hashes in one pass, written into `out` (allocation-free when you pass
 * one): `out[0]` = `murmur3(key, seed)`, `out[1]` = `murmur3(key, seed ^ 0x9e3779b9)`.
 * Read them together as a 64-bit hash (`@perf/balance`'s `hash64` is `[out[1], out[0]]`).
 */
export function murmur3Pair(
  key: HashKey,
  seed = 0,
  out: Uint32Array = new Uint32Array(2),
): Uint32Array {
  mix(key, seed);
  out[0] = lanes[LANE_A]!;
  out[1] = lanes[LANE_B]!;
  return out;
}

/** MurmurHash3's 32-bit finaliser, a bijection that avalanches every input bit. */
export const fmix32: (h: number) => number = fmix;
