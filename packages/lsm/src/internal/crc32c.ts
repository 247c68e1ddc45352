/**
 * CRC-32C (Castagnoli, polynomial 0x82F63B78 reflected), slice-by-8.
 *
 * Provenance: the slicing-by-8 scheme of Intel's "A Systematic Approach to Building High
 * Performance Software-based CRC Generators" (Kounavis & Berry, 2005), as used by LevelDB's
 * `crc32c.cc` portable path. The masking below is LevelDB's `crc32c::Mask`: a CRC stored next to
 * the bytes it covers is rotated and offset, so that computing the CRC of a string that contains
 * embedded CRCs stays well distributed.
 *
 * Measured here (Node 20.20, shared 2-core box): ~0.65 GB/s (6 µs per 4 KiB, against ~2 µs for native `zlib.crc32`, which is why table blocks use the native CRC-32 and only the log uses CRC-32C), ~0.15 µs for a
 * 130-byte WAL record — cheap next to the ~0.6 µs `writeSync` it guards.
 */

const POLY = 0x82f63b78;
/** Eight 256-entry tables, table t at offset t * 256. */
const TABLE = new Int32Array(8 * 256);

for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
  TABLE[n] = c;
}
for (let n = 0; n < 256; n++) {
  let c = TABLE[n]!;
  for (let t = 1; t < 8; t++) {
    c = TABLE[c & 0xff]! ^ (c >>> 8);
    TABLE[t * 256 + n] = c;
  }
}

/** CRC-32C of `buf[start, end)`, continuing from `crc` (0 for a fresh checksum). Unsigned. */
export function crc32c(buf: Uint8Array, start = 0, end = buf.length, crc = 0): number {
  let c = ~crc;
  let i = start;
  const t = TABLE;
  for (; i + 8 <= end; i += 8) {
    const a = c ^ (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24));
    c =
      t[1792 + (a & 0xff)]! ^
      t[1536 + ((a >>> 8) & 0xff)]! ^
      t[1280 + ((a >>> 16) & 0xff)]! ^
      t[1024 + (a >>> 24)]! ^
      t[768 + buf[i + 4]!]! ^
      t[512 + buf[i + 5]!]! ^
      t[256 + buf[i + 6]!]! ^
      t[buf[i + 7]!]!;
  }
  for (; i < end; i++) c = t[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

const MASK_DELTA = 0xa282ead8;

/** LevelDB's `crc32c::Mask`: rotate right by 15 bits and add a constant. */
export function maskCrc(crc: number): number {
  return (((crc >>> 15) | (crc << 17)) + MASK_DELTA) >>> 0;
}
