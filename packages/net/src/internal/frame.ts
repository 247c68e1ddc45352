// The self-describing frame of Compressor.compress(): the receiver never guesses what it got.
//
//   byte  0      1      2        3        4 ─────────── 7   8 ──────────────
//       ┌──────┬──────┬────────┬────────┬────────────────┬──────────────────┐
//       │ 0xF7 │ 0x4E │ ver 1  │ codec  │ length (u32 BE)│ payload …        │
//       └──────┴──────┴────────┴────────┴────────────────┴──────────────────┘
//        magic         version  CODEC_*  original size,   identity: the bytes
//                                        UNKNOWN_LENGTH   as given; else the
//                                        when streamed    codec's own format
//
// The original length lets decompress() reject a bomb before inflating (length above the
// limit) and detect truncation that a codec would let through (length mismatch). 0xF7 is
// never the first byte of UTF-8 text, so a plain-text body is not mistaken for a frame.

import { CorruptPayloadError } from '../errors.js';

export const MAGIC_0 = 0xf7;
export const MAGIC_1 = 0x4e;
export const VERSION = 1;
export const OFFSET_MAGIC = 0;
export const OFFSET_VERSION = 2;
export const OFFSET_CODEC = 3;
export const OFFSET_LENGTH = 4;
export const HEADER_BYTES = 8;
/** Length field of a streamed frame, whose size was not known when the header was written. */
export const UNKNOWN_LENGTH = 0xffffffff;

export function writeHeader(target: Uint8Array, codec: number, length: number): void {
  target[OFFSET_MAGIC] = MAGIC_0;
  target[OFFSET_MAGIC + 1] = MAGIC_1;
  target[OFFSET_VERSION] = VERSION;
  target[OFFSET_CODEC] = codec;
  const n = Math.min(length, UNKNOWN_LENGTH);
  target[OFFSET_LENGTH] = n >>> 24;
  target[OFFSET_LENGTH + 1] = (n >>> 16) & 0xff;
  target[OFFSET_LENGTH + 2] = (n >>> 8) & 0xff;
  target[OFFSET_LENGTH + 3] = n & 0xff;
}

export function header(codec: number, length: number): Buffer {
  const b = Buffer.allocUnsafe(HEADER_BYTES);
  writeHeader(b, codec, length);
  return b;
}

export interface FrameHeader {
  codec: number;
  length: number;
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
  const length =
    ((frame[OFFSET_LENGTH]! << 24) >>> 0) +
    (frame[OFFSET_LENGTH + 1]! << 16) +
    (frame[OFFSET_LENGTH + 2]! << 8) +
    frame[OFFSET_LENGTH + 3]!;
  return { codec: frame[OFFSET_CODEC]!, length };
}
