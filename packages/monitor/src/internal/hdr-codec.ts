// The HdrHistogram V2 serialisation, byte for byte, so that histograms travel between this
// package, hdr-histogram-js, and the Java/C/Go/Rust HdrHistogram libraries.
// Provenance: HdrHistogram (Gil Tene, public domain), AbstractHistogram#encodeIntoByteBuffer
// and ZigZagEncoding.java; cross-checked against hdr-histogram-js 3.0.1.
//
// Compressed form (what encode() returns, base64 of):
//
//   0        4        8
//   +--------+--------+-------------------------------+
//   | cookie | length | zlib deflate of the V2 payload |   cookie = 0x1c849314
//   +--------+--------+-------------------------------+   length = bytes of the deflate stream
//
// V2 payload (all big-endian):
//
//   offset  size  field
//   0       4     cookie 0x1c849313 (V2 base 0x1c849303 | word-size nibble 0x10)
//   4       4     payload length in bytes (the counts that follow)
//   8       4     normalizing index offset (we write 0 as Java does; hdr-histogram-js writes 1;
//                 both readers ignore it for non-shifted histograms, and so do we)
//   12      4     significant value digits
//   16      8     lowest discernible value
//   24      8     highest trackable value
//   32      8     integer-to-double conversion ratio (a double, 1.0)
//   40      ...   counts from index 0 to the last non-zero one, each a ZigZag LEB128-64b9B
//                 long: n >= 0 is a count, -n is a run of n zero counts.

import { inflateSync, deflateSync } from 'node:zlib';
import { CorruptHistogramError } from '../errors.js';

export const V2_COOKIE = 0x1c849313;
export const V2_COMPRESSED_COOKIE = 0x1c849314;
const COOKIE_BASE_MASK = ~0xf0;
const V2_COOKIE_BASE = 0x1c849303;
const V2_COMPRESSED_COOKIE_BASE = 0x1c849304;

export const HEADER_SIZE = 40;
const OFFSET_COOKIE = 0;
const OFFSET_PAYLOAD_LENGTH = 4;
const OFFSET_NORMALIZING_INDEX = 8;
const OFFSET_DIGITS = 12;
const OFFSET_LOWEST = 16;
const OFFSET_HIGHEST = 24;
const OFFSET_RATIO = 32;
const COMPRESSED_HEADER_SIZE = 8;
/** A LEB128-64b9B word never needs more than 9 bytes. */
const MAX_WORD_BYTES = 9;
/**
 * Refuse to inflate more than this: a default histogram's payload is < 1 KiB and the largest
 * layout we accept (5 digits over 2^53) is < 50 MiB, so anything bigger is a zip bomb.
 */
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;
const TWO_POW_32 = 2 ** 32;

export interface DecodedHeader {
  readonly digits: number;
  readonly lowest: number;
  readonly highest: number;
  /** Offset of the first count byte. */
  readonly start: number;
  /** Offset one past the last count byte. */
  readonly end: number;
}

/** Serialises `counts[0 .. limit)` with the V2 header; returns the compressed base64 form. */
export function encodeV2(
  digits: number,
  lowest: number,
  highest: number,
  counts: ArrayLike<number>,
  limit: number,
): string {
  const bytes = new Uint8Array(HEADER_SIZE + limit * MAX_WORD_BYTES);
  const view = new DataView(bytes.buffer);
  let at = HEADER_SIZE;
  let i = 0;
  while (i < limit) {
    const count = counts[i++]!;
    if (count === 0) {
      let zeros = 1;
      while (i < limit && counts[i] === 0) {
        zeros++;
        i++;
      }
      // A lone zero is written as count 0, a run as -n (HdrHistogram does the same).
      at = writeZigZag(bytes, at, zeros > 1 ? -zeros : 0);
    } else {
      at = writeZigZag(bytes, at, count);
    }
  }
  view.setInt32(OFFSET_COOKIE, V2_COOKIE);
  view.setInt32(OFFSET_PAYLOAD_LENGTH, at - HEADER_SIZE);
  view.setInt32(OFFSET_NORMALIZING_INDEX, 0);
  view.setInt32(OFFSET_DIGITS, digits);
  setInt64(view, OFFSET_LOWEST, lowest);
  setInt64(view, OFFSET_HIGHEST, highest);
  view.setFloat64(OFFSET_RATIO, 1);
  const deflated = deflateSync(bytes.subarray(0, at));
  const out = Buffer.allocUnsafe(COMPRESSED_HEADER_SIZE + deflated.length);
  out.writeInt32BE(V2_COMPRESSED_COOKIE, 0);
  out.writeInt32BE(deflated.length, 4);
  deflated.copy(out, COMPRESSED_HEADER_SIZE);
  return out.toString('base64');
}

/** Turns the compressed base64 form back into a V2 payload and reads its header. */
export function openV2(encoded: string): { bytes: Uint8Array; header: DecodedHeader } {
  const raw = Buffer.from(encoded.trim(), 'base64');
  if (raw.length < COMPRESSED_HEADER_SIZE) {
    throw new CorruptHistogramError('Encoded histogram is shorter than its 8-byte header', 0);
  }
  const cookie = raw.readInt32BE(0);
  if ((cookie & COOKIE_BASE_MASK) !== V2_COMPRESSED_COOKIE_BASE) {
    throw new CorruptHistogramError(
      `Not a compressed V2 HdrHistogram (cookie 0x${(cookie >>> 0).toString(16)})`,
      0,
    );
  }
  const length = raw.readInt32BE(4);
  if (length < 0 || COMPRESSED_HEADER_SIZE + length > raw.length) {
    throw new CorruptHistogramError(
      `Compressed length ${length} exceeds the ${raw.length - COMPRESSED_HEADER_SIZE} bytes present`,
      4,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = inflateSync(raw.subarray(COMPRESSED_HEADER_SIZE, COMPRESSED_HEADER_SIZE + length), {
      maxOutputLength: MAX_INFLATED_BYTES,
    });
  } catch (cause) {
    throw new CorruptHistogramError('Histogram payload does not inflate', 8, { cause });
  }
  return { bytes, header: readHeader(bytes) };
}

function readHeader(bytes: Uint8Array): DecodedHeader {
  if (bytes.length < HEADER_SIZE) {
    throw new CorruptHistogramError('V2 payload is shorter than its 40-byte header', 0);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const cookie = view.getInt32(OFFSET_COOKIE);
  if ((cookie & COOKIE_BASE_MASK) !== V2_COOKIE_BASE) {
    throw new CorruptHistogramError(
      `Not a V2 HdrHistogram payload (cookie 0x${(cookie >>> 0).toString(16)})`,
      0,
    );
  }
  const payload = view.getInt32(OFFSET_PAYLOAD_LENGTH);
  if (payload < 0 || HEADER_SIZE + payload > bytes.length) {
    throw new CorruptHistogramError(
      `Payload length ${payload} exceeds the ${bytes.length - HEADER_SIZE} bytes present`,
      OFFSET_PAYLOAD_LENGTH,
    );
  }
  return {
    digits: view.getInt32(OFFSET_DIGITS),
    lowest: getInt64(view, OFFSET_LOWEST),
    highest: getInt64(view, OFFSET_HIGHEST),
    start: HEADER_SIZE,
    end: HEADER_SIZE + payload,
  };
}

/**
 * Reads the counts of a V2 payload and hands each non-zero one to `sink(index, count)`.
 * Returns one past the last index written. Never reads outside [start, end).
 */
export function readCounts(
  bytes: Uint8Array,
  header: DecodedHeader,
  length: number,
  sink: (index: number, count: number) => void,
): number {
  let at = header.start;
  const end = header.end;
  let index = 0;
  while (at < end) {
    // Inline LEB128-64b9B: 7 bits per byte for 8 bytes, then a full 9th byte.
    let value = 0;
    let scale = 1;
    let byte = 0x80;
    let n = 0;
    while (byte & 0x80) {
      if (at >= end) {
        throw new CorruptHistogramError('Count is cut off by the end of the payload', at);
      }
      byte = bytes[at++]!;
      if (n === MAX_WORD_BYTES - 1) {
        value += byte * scale;
        break;
      }
      value += (byte & 0x7f) * scale;
      scale *= 128;
      n++;
    }
    // ZigZag: even → value / 2, odd → -(value + 1) / 2. Values past 2^53 lose precision, but
    // such counts or runs cannot fit any layout and are rejected below.
    const decoded = value % 2 === 0 ? value / 2 : -(value + 1) / 2;
    if (decoded < 0) {
      index -= decoded;
      if (index > length) {
        throw new CorruptHistogramError(
          `Zero run goes past the ${length} buckets of the layout`,
          at,
        );
      }
    } else {
      if (index >= length) {
        throw new CorruptHistogramError(
          `Count at index ${index} is past the ${length} buckets of the layout`,
          at,
        );
      }
      if (decoded > Number.MAX_SAFE_INTEGER) {
        throw new CorruptHistogramError(`Count ${decoded} is beyond 2^53`, at);
      }
      if (decoded > 0) sink(index, decoded);
      index++;
    }
  }
  return index;
}

function writeZigZag(bytes: Uint8Array, at: number, n: number): number {
  // ZigZag on a double: exact for |n| < 2^52, far beyond any count or run we write.
  let value = n >= 0 ? n * 2 : -n * 2 - 1;
  for (let i = 0; i < MAX_WORD_BYTES - 1; i++) {
    if (value < 128) {
      bytes[at++] = value;
      return at;
    }
    bytes[at++] = (value % 128) | 0x80;
    value = Math.floor(value / 128);
  }
  bytes[at++] = value;
  return at;
}

function setInt64(view: DataView, offset: number, value: number): void {
  view.setUint32(offset, Math.floor(value / TWO_POW_32));
  view.setUint32(offset + 4, value % TWO_POW_32);
}

function getInt64(view: DataView, offset: number): number {
  const hi = view.getInt32(offset);
  const lo = view.getUint32(offset + 4);
  // Negative or past 2^53: not a layout we can hold; the caller's validation rejects it.
  return hi * TWO_POW_32 + lo;
}
