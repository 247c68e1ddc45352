/**
 * Block compression. Each block's trailer names the codec its bytes are stored with (LevelDB
 * and RocksDB do the same), so a reader needs no table-wide setting and a writer may keep any
 * block uncompressed.
 *
 * A block stays uncompressed when compression saves less than 12.5 % of it (LevelDB's rule in
 * `table_builder.cc`): below that, the decompression on every cache miss costs more than the
 * bytes it saves. The codec was chosen by measuring (README, Performance → block codec).
 */
import { lzCompress, lzDecompress } from './lz.js';

/** Stored as is. */
export const CODEC_NONE = 0;
/** The LZ77 codec of lz.ts. */
export const CODEC_LZ = 1;

/** The codec new tables are written with. */
export const DEFAULT_CODEC = CODEC_LZ;

/**
 * `raw` compressed with `codec`, or null when that does not save at least an eighth of it
 * (store it as is). The view is valid until the next call.
 */
export function compressBlock(raw: Uint8Array, codec: number): Uint8Array | null {
  if (codec !== CODEC_LZ) return null;
  return lzCompress(raw, raw.length - (raw.length >>> 3));
}

/**
 * The bytes of a block stored with `codec`, in memory from `alloc` (see `lzDecompress`); a
 * string describes why they cannot be read.
 */
export function decompressBlock(
  stored: Uint8Array,
  codec: number,
  alloc?: (n: number) => Uint8Array,
): Uint8Array | string {
  if (codec !== CODEC_LZ) return `Unknown block codec ${codec}`;
  return lzDecompress(stored, alloc) ?? 'Block does not decompress';
}
