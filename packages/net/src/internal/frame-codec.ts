// The frame codec: the self-describing frame of Compressor.compress(), written and opened here.
// The receiver never guesses what it got.
//
//   byte 0      1      2       3       4 ──────────── 7   8 ──────────── 11  12 ───────────
//      ┌──────┬──────┬───────┬───────┬────────────────┬───────────────────┬──────────────┐
//      │ 0xF7 │ 0x4E │ ver 1 │ codec │ length (u32 BE)│ crc32 (u32 BE)    │ payload …    │
//      └──────┴──────┴───────┴───────┴────────────────┴───────────────────┴──────────────┘
//       magic        version CODEC_*  original size,   CRC-32 of the        identity: the
//                                     UNKNOWN_LENGTH   payload for codecs   bytes as given;
//                                     when streamed    without their own    else the codec's
//                                                      check (brotli, zstd) own format
//                                                      else 0
//
// A streamed frame (length UNKNOWN_LENGTH) cannot know the CRC up front: for brotli/zstd it
// carries crc 0 and a 4-byte CRC-32 trailer after the payload instead.
//
// The original length lets decompress() reject a bomb before inflating (length above the
// limit) and detect truncation a codec would let through (length mismatch); gzip and deflate
// carry CRC-32/Adler-32 themselves, so only codecs without a check pay for the CRC. 0xF7 is
// never the first byte of UTF-8 text, so a plain-text body is not mistaken for a frame.
// The CRC is zlib's CRC-32 (IEEE 802.3, the checksum of gzip and PNG), `zlib.crc32`; it runs
// over the compressed bytes only. test/frame-format.test.ts pins the bytes of v1 frames.

import { crc32 } from 'node:zlib';
import { CorruptPayloadError, PayloadTooLargeError, UnsupportedEncodingError } from '../errors.js';
import { CODEC_IDENTITY, CODEC_ZSTD, type Codec } from './codecs.js';

export const MAGIC_0 = 0xf7;
export const MAGIC_1 = 0x4e;
export const VERSION = 1;
export const OFFSET_MAGIC = 0;
export const OFFSET_VERSION = 2;
export const OFFSET_CODEC = 3;
export const OFFSET_LENGTH = 4;
export const OFFSET_CRC = 8;
export const HEADER_BYTES = 12;
export const TRAILER_BYTES = 4;
/** Length field of a streamed frame, whose size was not known when the header was written. */
export const UNKNOWN_LENGTH = 0xffffffff;

export function writeHeader(target: Uint8Array, codec: number, length: number, crc: number): void {
  target[OFFSET_MAGIC] = MAGIC_0;
  target[OFFSET_MAGIC + 1] = MAGIC_1;
  target[OFFSET_VERSION] = VERSION;
  target[OFFSET_CODEC] = codec;
  const n = Math.min(length, UNKNOWN_LENGTH);
  writeU32(target, OFFSET_LENGTH, n);
  writeU32(target, OFFSET_CRC, crc);
}

export function writeU32(target: Uint8Array, offset: number, n: number): void {
  target[offset] = n >>> 24;
  target[offset + 1] = (n >>> 16) & 0xff;
  target[offset + 2] = (n >>> 8) & 0xff;
  target[offset + 3] = n & 0xff;
}

export function readU32(source: Uint8Array, offset: number): number {
  return (
    ((source[offset]! << 24) >>> 0) +
    (source[offset + 1]! << 16) +
    (source[offset + 2]! << 8) +
    source[offset + 3]!
  );
}

export function header(codec: number, length: number): Buffer {
  const b = Buffer.allocUnsafe(HEADER_BYTES);
  writeHeader(b, codec, length, 0);
  return b;
}

export interface FrameHeader {
  codec: number;
  length: number;
  crc: number;
}

/** Parses and checks the header; throws `PERF_NET_CORRUPT_PAYLOAD` when it is not one. */
export function readHeader(frame: Uint8Array): FrameHeader {
  if (frame.length < HEADER_BYTES) {
    throw new CorruptPayloadError('frame', `${frame.length} bytes is shorter than a frame header`);
  }
  if (frame[OFFSET_MAGIC] !== MAGIC_0 || frame[OFFSET_MAGIC + 1] !== MAGIC_1) {
    throw new CorruptPayloadError('frame', 'bad magic bytes');
  }
  if (frame[OFFSET_VERSION] !== VERSION) {
    throw new CorruptPayloadError('frame', `unknown frame version ${frame[OFFSET_VERSION]}`);
  }
  const length = readU32(frame, OFFSET_LENGTH);
  return { codec: frame[OFFSET_CODEC]!, length, crc: readU32(frame, OFFSET_CRC) };
}

/** Writes a whole frame: header (with the CRC when the codec needs one) and payload. */
export function encodeFrame(codec: Codec | null, length: number, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  const crc = codec?.needsCrc ? crc32(payload) : 0;
  writeHeader(out, codec ? codec.id : CODEC_IDENTITY, length, crc);
  out.set(payload, HEADER_BYTES);
  return out;
}

export interface OpenFrame {
  /** `undefined` for an identity frame: the payload is the bytes as given. */
  codec: Codec | undefined;
  /** The original size, or UNKNOWN_LENGTH for a streamed frame. */
  length: number;
  /** The codec's bytes, trailer removed, CRC already checked. */
  payload: Uint8Array;
}

/**
 * Checks header, announced size and (for codecs without their own check) the CRC, and finds
 * the codec by its id in `byId`. Throws `PERF_NET_CORRUPT_PAYLOAD`, `PERF_NET_PAYLOAD_TOO_LARGE`
 * or `PERF_NET_UNSUPPORTED_ENCODING`.
 */
export function openFrame(
  frame: Uint8Array,
  byId: readonly (Codec | undefined)[],
  maxOutput: number,
): OpenFrame {
  const { codec: id, length, crc } = readHeader(frame);
  if (length !== UNKNOWN_LENGTH && length > maxOutput) throw new PayloadTooLargeError(maxOutput);
  let payload = frame.subarray(HEADER_BYTES);
  if (id === CODEC_IDENTITY) return { codec: undefined, length, payload };
  const codec = byId[id];
  if (!codec) throw missingCodec(id);
  if (codec.needsCrc) {
    let expected = crc;
    if (length === UNKNOWN_LENGTH) {
      // A streamed frame: the CRC is the trailer.
      if (payload.length < TRAILER_BYTES)
        throw new CorruptPayloadError(codec.encoding, 'no trailer');
      expected = readU32(payload, payload.length - TRAILER_BYTES);
      payload = payload.subarray(0, payload.length - TRAILER_BYTES);
    }
    if (crc32(payload) !== expected) throw new CorruptPayloadError(codec.encoding, 'CRC mismatch');
  }
  return { codec, length, payload };
}

/** The output bound to inflate an opened frame with: one byte past the announced size. */
export function inflateLimit(length: number, maxOutput: number): number {
  return length === UNKNOWN_LENGTH ? maxOutput : Math.min(length + 1, maxOutput);
}

/** Checks inflated bytes against the announced size and the output limit. */
export function checkInflated(out: Buffer, length: number, maxOutput: number): Buffer {
  if (out.length > maxOutput) throw new PayloadTooLargeError(maxOutput);
  if (length !== UNKNOWN_LENGTH && out.length !== length) {
    throw new CorruptPayloadError('frame', `expected ${length} bytes, got ${out.length}`);
  }
  return out;
}

/** A zstd frame on a runtime without zstd is unsupported, not corrupt; any other id is corrupt. */
export function missingCodec(id: number): Error {
  return id === CODEC_ZSTD
    ? new UnsupportedEncodingError('zstd')
    : new CorruptPayloadError('frame', `unknown codec id ${id}`);
}
