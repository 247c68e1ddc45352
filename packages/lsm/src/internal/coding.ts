/**
 * Byte-level helpers shared by the log, the tables and the manifest: unsigned byte comparison,
 * LEB128 varints (32-bit and 53-bit), and fixed-width little-endian integers.
 */

/** Compares two byte strings as unsigned bytes, shorter first on a common prefix. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** Byte length of `v` (0 ≤ v < 2^53) as a LEB128 varint. */
export function varintLength(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

/** Writes `v` (0 ≤ v < 2^53) as LEB128 at `off`; returns the offset after it. */
export function putVarint(buf: Uint8Array, off: number, v: number): number {
  while (v >= 0x80) {
    buf[off++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  buf[off++] = v;
  return off;
}

/**
 * Varint decoding writes its result here rather than allocating a tuple: `VARINT[0]` is the
 * value, `VARINT[1]` the offset after it, or -1 when the varint runs past `end` or is over
 * 8 bytes long (corruption, never a thrown RangeError).
 */
export const VARINT = new Float64Array(2);

/** Reads a LEB128 varint of up to 53 bits from `buf[off, end)` into {@link VARINT}. */
export function getVarint(buf: Uint8Array, off: number, end: number): void {
  let result = 0;
  let mul = 1;
  for (let i = 0; i < 8 && off < end; i++) {
    const b = buf[off++]!;
    result += (b & 0x7f) * mul;
    if (b < 0x80) {
      VARINT[0] = result;
      VARINT[1] = off;
      return;
    }
    mul *= 128;
  }
  VARINT[0] = 0;
  VARINT[1] = -1;
}

export function putU32(buf: Uint8Array, off: number, v: number): void {
  buf[off] = v;
  buf[off + 1] = v >>> 8;
  buf[off + 2] = v >>> 16;
  buf[off + 3] = v >>> 24;
}

export function getU32(buf: Uint8Array, off: number): number {
  return (buf[off]! | (buf[off + 1]! << 8) | (buf[off + 2]! << 16) | (buf[off + 3]! << 24)) >>> 0;
}

/** Writes a number below 2^53 as two little-endian u32 halves (no BigInt on the hot path). */
export function putU53(buf: Uint8Array, off: number, v: number): void {
  putU32(buf, off, v >>> 0);
  putU32(buf, off + 4, Math.floor(v / 0x100000000));
}

export function getU53(buf: Uint8Array, off: number): number {
  return getU32(buf, off) + getU32(buf, off + 4) * 0x100000000;
}

/** A growable byte buffer for building blocks and records. Reused; never shrinks. */
export class ByteSink {
  buf: Uint8Array;
  len = 0;

  constructor(initial = 4096) {
    this.buf = new Uint8Array(initial);
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    const need = this.len + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  varint(v: number): void {
    this.reserve(8);
    this.len = putVarint(this.buf, this.len, v);
  }

  u32(v: number): void {
    this.reserve(4);
    putU32(this.buf, this.len, v);
    this.len += 4;
  }

  bytes(b: Uint8Array, start = 0, end = b.length): void {
    this.reserve(end - start);
    this.buf.set(b.subarray(start, end), this.len);
    this.len += end - start;
  }

  reset(): void {
    this.len = 0;
  }

  view(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}
