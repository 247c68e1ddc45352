/**
 * A small LZ77 block codec in the shape of LZ4's block format, written for JavaScript: the
 * decoder moves every long literal run and every long non-overlapping match with one
 * typed-array builtin (`TypedArray#set`, `copyWithin`; see BUILTIN_COPY), so a 4 KiB block of
 * the benchmark's values decodes in a few dozen memmoves instead of a byte loop. See the README (Performance → block codec) for
 * how it measured against zlib's deflate and the Snappy and LZ4 packages on npm.
 *
 * ```
 *  stream:  uncompressed length varint | token…
 *  token:   literal length varint | literal bytes | [match length − 4 varint | distance varint]
 *           (the match part is absent after the last literal run, once the output is full)
 * ```
 *
 * The encoder is greedy: a hash of each 4-byte sequence finds the last place it occurred
 * within 64 KiB, and the match is extended as far as it goes.
 */
import { getVarint, VARINT } from './coding.js';

const MIN_MATCH = 4;
const HASH_BITS = 12;
const MAX_DISTANCE = 65_535;
/**
 * Below this many bytes a copy is a byte loop; from it on, one typed-array builtin
 * (`TypedArray#set` of a `subarray` for literals, `copyWithin` for matches), which V8 runs as a
 * memmove without leaving JavaScript. Measured in CPU time on 4 KiB blocks of the benchmark's
 * values (literal runs of ~60 bytes, matches of ~50): 3.1 µs per block at 32 against 5.7 µs
 * with `Buffer#copy` at 16 — that native call built a view of its source on every copy
 * (`_copyActual`, 8 % of a random-get profile at 1M keys).
 */
const BUILTIN_COPY = 32;

const table = new Int32Array(1 << HASH_BITS);
let scratch = new Uint8Array(8192);

function putVarint(out: Uint8Array, o: number, v: number): number {
  while (v >= 0x80) {
    out[o++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  out[o++] = v;
  return o;
}

const read32 = (b: Uint8Array, i: number) =>
  b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);

/**
 * `src` compressed, or null when the result would be `limit` bytes or more (the caller stores
 * the block as is). The returned view is valid until the next call.
 */
export function lzCompress(src: Uint8Array, limit: number): Uint8Array | null {
  const n = src.length;
  if (scratch.length < n + 32) scratch = new Uint8Array(n + 32);
  const out = scratch;
  const stop = Math.min(limit, n + 16); // leave room for one token's varints
  let o = putVarint(out, 0, n);
  table.fill(-1);
  let anchor = 0;
  let i = 0;
  const end = n - MIN_MATCH;
  while (i <= end) {
    const seq = read32(src, i);
    const h = Math.imul(seq, 0x9e3779b1) >>> (32 - HASH_BITS);
    const cand = table[h]!;
    table[h] = i;
    if (cand < 0 || i - cand > MAX_DISTANCE || read32(src, cand) !== seq) {
      i++;
      continue;
    }
    let m = MIN_MATCH;
    while (i + m < n && src[cand + m] === src[i + m]) m++;
    const lit = i - anchor;
    if (o + lit + 15 >= stop) return null;
    o = putVarint(out, o, lit);
    for (let j = 0; j < lit; j++) out[o + j] = src[anchor + j]!;
    o += lit;
    o = putVarint(out, o, m - MIN_MATCH);
    o = putVarint(out, o, i - cand);
    i += m;
    anchor = i;
  }
  const lit = n - anchor;
  if (o + lit + 5 >= stop) return null;
  o = putVarint(out, o, lit);
  for (let j = 0; j < lit; j++) out[o + j] = src[anchor + j]!;
  o += lit;
  return out.subarray(0, o);
}

const allocBuffer = (n: number): Uint8Array => Buffer.allocUnsafeSlow(n);

/**
 * The bytes `src` encodes, or null when it is not a well-formed stream. The output is made by
 * `alloc(n)` (n = the decoded length; it must return exactly n bytes): the block cache passes
 * one that hands out recycled buffers.
 */
export function lzDecompress(
  bytes: Uint8Array,
  alloc: (n: number) => Uint8Array = allocBuffer,
): Uint8Array | null {
  // A plain view: a Buffer's `subarray` is Node's (a FastBuffer built in JavaScript, 7 % of a
  // random-get profile), a Uint8Array's is the engine's builtin.
  const src = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  const end = src.length;
  getVarint(src, 0, end);
  const n = VARINT[0]!;
  let p = VARINT[1]!;
  if (p < 0 || n > 0x7fffffff) return null;
  const out = alloc(n);
  let o = 0;
  for (;;) {
    // Single-byte varints are the common case and take no call.
    let lit = p < end ? src[p]! : 0x80;
    if (lit < 0x80) p++;
    else {
      getVarint(src, p, end);
      lit = VARINT[0]!;
      p = VARINT[1]!;
      if (p < 0) return null;
    }
    if (p + lit > end || o + lit > n) return null;
    if (lit >= BUILTIN_COPY) out.set(src.subarray(p, p + lit), o);
    else for (let j = 0; j < lit; j++) out[o + j] = src[p + j]!;
    o += lit;
    p += lit;
    if (p === end) break; // the last token has no match
    let m = src[p]!;
    if (m < 0x80) p++;
    else {
      getVarint(src, p, end);
      m = VARINT[0]!;
      p = VARINT[1]!;
      if (p < 0) return null;
    }
    m += MIN_MATCH;
    let d = p < end ? src[p]! : 0x80;
    if (d < 0x80) p++;
    else {
      getVarint(src, p, end);
      d = VARINT[0]!;
      p = VARINT[1]!;
      if (p < 0) return null;
    }
    if (d === 0 || d > o || o + m > n) return null;
    const from = o - d;
    if (d >= m && m >= BUILTIN_COPY) out.copyWithin(o, from, from + m);
    else for (let j = 0; j < m; j++) out[o + j] = out[from + j]!;
    o += m;
  }
  return o === n ? out : null;
}
