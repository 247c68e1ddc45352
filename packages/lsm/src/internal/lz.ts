/**
 * A small LZ77 block codec in the shape of LZ4's block format, written for JavaScript: the
 * decoder moves every literal run and every non-overlapping match with one native copy
 * (`Buffer#copy`, `copyWithin`), so a 4 KiB block of the benchmark's values decodes in a few
 * dozen native calls instead of a byte loop. See the README (Performance → block codec) for
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
 * Below this many bytes a copy is a byte loop; from it on, one native call (which allocates a
 * view of the source first). Measured in CPU time on 4 KiB blocks of the benchmark's values
 * (literal runs of ~60 bytes): 7.4 µs per block at 16, 9.2 µs at 48, 15 µs at 128.
 */
const NATIVE_COPY = 16;

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

const bufferCopy = Buffer.prototype.copy;
/** `src[from, to)` into `out` at `at`, in one native call. */
function copy(src: Uint8Array, out: Buffer, at: number, from: number, to: number): void {
  if (src instanceof Buffer) src.copy(out, at, from, to);
  else bufferCopy.call(src, out, at, from, to);
}

/** The bytes `src` encodes, or null when it is not a well-formed stream. */
export function lzDecompress(src: Uint8Array): Buffer | null {
  const end = src.length;
  getVarint(src, 0, end);
  const n = VARINT[0]!;
  let p = VARINT[1]!;
  if (p < 0 || n > 0x7fffffff) return null;
  const out = Buffer.allocUnsafeSlow(n);
  let o = 0;
  for (;;) {
    let lit = src[p]!;
    if (lit < 0x80 && p < end) p++;
    else {
      getVarint(src, p, end);
      lit = VARINT[0]!;
      p = VARINT[1]!;
      if (p < 0) return null;
    }
    if (p + lit > end || o + lit > n) return null;
    if (lit >= NATIVE_COPY) copy(src, out, o, p, p + lit);
    else for (let j = 0; j < lit; j++) out[o + j] = src[p + j]!;
    o += lit;
    p += lit;
    if (p === end) break; // the last token has no match
    getVarint(src, p, end);
    const m = VARINT[0]! + MIN_MATCH;
    getVarint(src, VARINT[1]!, end);
    const d = VARINT[0]!;
    p = VARINT[1]!;
    if (p < 0 || d === 0 || d > o || o + m > n) return null;
    const from = o - d;
    if (d >= m && m >= NATIVE_COPY) out.copyWithin(o, from, from + m);
    else for (let j = 0; j < m; j++) out[o + j] = out[from + j]!;
    o += m;
  }
  return o === n ? out : null;
}
