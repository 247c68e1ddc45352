// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), table-driven, byte at a time — the
// checksum of gzip/zlib/PNG. Node 20 has no zlib.crc32 (added in 22.2), so this guards the
// frames of codecs without their own integrity check (brotli, zstd). It runs over the
// compressed bytes only, which are at most minRatio × the original.

const TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  TABLE[n] = c;
}

export function crc32(data: Uint8Array, seed = 0): number {
  let crc = ~seed;
  for (let i = 0; i < data.length; i++) crc = TABLE[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}
