// The self-describing frame of Compressor.compress(): the receiver never guesses what it got.
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

import { CorruptPayloadError } from '../errors.js';

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
