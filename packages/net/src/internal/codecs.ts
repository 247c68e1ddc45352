// The codec strategy: one small interface, one entry per content coding. Every codec is
// node:zlib underneath, so an entry is just its sync/async/stream constructors and options.
// zstd is registered only when the runtime has it (Node 22.15+): detected, never assumed.

import type { Transform } from 'node:stream';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { CorruptPayloadError, PayloadTooLargeError } from '../errors.js';
import type { ContentEncoding } from '../types.js';

export interface Codec {
  readonly encoding: ContentEncoding;
  /** Byte in the frame header (see frame.ts). Stable: stored data depends on it. */
  readonly id: number;
  /** True when the codec has no integrity check of its own: the frame adds a CRC-32. */
  readonly needsCrc: boolean;
  compress(input: Uint8Array): Buffer;
  compressAsync(input: Uint8Array): Promise<Buffer>;
  decompress(input: Uint8Array, maxOutputBytes: number): Buffer;
  decompressAsync(input: Uint8Array, maxOutputBytes: number): Promise<Buffer>;
  compressStream(): Transform;
  decompressStream(): Transform;
}

type SyncFn = (input: Uint8Array, options: object) => Buffer;
type AsyncFn = (input: Uint8Array, options: object) => Promise<Buffer>;
type StreamFn = (options: object) => Transform;

interface ZlibFamily {
  compress: SyncFn;
  decompress: SyncFn;
  compressAsync: AsyncFn;
  decompressAsync: AsyncFn;
  compressStream: StreamFn;
  decompressStream: StreamFn;
}

/** Maps a zlib failure to our typed errors: too much output vs anything malformed. */
export function decodeError(encoding: string, err: unknown, maxOutputBytes: number): Error {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ERR_BUFFER_TOO_LARGE')
    return new PayloadTooLargeError(maxOutputBytes, { cause: err });
  const message = err instanceof Error ? err.message : String(err);
  return new CorruptPayloadError(encoding, message, { cause: err });
}

function zlibCodec(
  encoding: ContentEncoding,
  id: number,
  family: ZlibFamily,
  compressOptions: object,
): Codec {
  return {
    encoding,
    id,
    needsCrc: id === CODEC_BROTLI || id === CODEC_ZSTD,
    compress: (input) => family.compress(input, compressOptions),
    compressAsync: (input) => family.compressAsync(input, compressOptions),
    decompress(input, maxOutputBytes) {
      try {
        return family.decompress(input, { maxOutputLength: maxOutputBytes });
      } catch (err) {
        throw decodeError(encoding, err, maxOutputBytes);
      }
    },
    async decompressAsync(input, maxOutputBytes) {
      try {
        return await family.decompressAsync(input, { maxOutputLength: maxOutputBytes });
      } catch (err) {
        throw decodeError(encoding, err, maxOutputBytes);
      }
    },
    compressStream: () => family.compressStream(compressOptions),
    decompressStream: () => family.decompressStream({}),
  };
}

/**
 * Looks a codec's functions up by name (`gzip` → gzipSync, gzip, createGzip), so a codec the
 * runtime lacks (zstd on Node 20) is simply absent instead of a crash at import time.
 */
function family(
  compress: string,
  decompress: string,
  compressStream: string,
  decompressStream: string,
): ZlibFamily | undefined {
  const z = zlib as unknown as Record<string, unknown>;
  const names = [
    `${compress}Sync`,
    `${decompress}Sync`,
    compress,
    decompress,
    compressStream,
    decompressStream,
  ];
  const fns = names.map((name) => z[name]);
  if (fns.some((f) => typeof f !== 'function')) return undefined;
  const [c, d, ca, da, cs, ds] = fns as [SyncFn, SyncFn, never, never, StreamFn, StreamFn];
  return {
    compress: c,
    decompress: d,
    compressAsync: promisify(ca) as AsyncFn,
    decompressAsync: promisify(da) as AsyncFn,
    compressStream: cs,
    decompressStream: ds,
  };
}

/** Frame ids. Never renumber: framed data at rest carries them. */
export const CODEC_IDENTITY = 0;
export const CODEC_GZIP = 1;
export const CODEC_DEFLATE = 2;
export const CODEC_BROTLI = 3;
export const CODEC_ZSTD = 4;

export interface CodecSettings {
  level: number;
  brotliQuality: number;
}

/** Builds every codec this runtime supports, with the given settings, keyed by encoding. */
export function createCodecs(settings: CodecSettings): Map<ContentEncoding, Codec> {
  const codecs = new Map<ContentEncoding, Codec>();
  const add = (
    encoding: ContentEncoding,
    id: number,
    f: ZlibFamily | undefined,
    options: object,
  ) => {
    if (f) codecs.set(encoding, zlibCodec(encoding, id, f, options));
  };
  add('gzip', CODEC_GZIP, family('gzip', 'gunzip', 'createGzip', 'createGunzip'), {
    level: settings.level,
  });
  add('deflate', CODEC_DEFLATE, family('deflate', 'inflate', 'createDeflate', 'createInflate'), {
    level: settings.level,
  });
  add(
    'br',
    CODEC_BROTLI,
    family('brotliCompress', 'brotliDecompress', 'createBrotliCompress', 'createBrotliDecompress'),
    { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: settings.brotliQuality } },
  );
  add(
    'zstd',
    CODEC_ZSTD,
    family('zstdCompress', 'zstdDecompress', 'createZstdCompress', 'createZstdDecompress'),
    {},
  );
  return codecs;
}

/** True when this runtime's zlib has zstd (Node 22.15+). */
export const HAS_ZSTD =
  typeof (zlib as unknown as Record<string, unknown>).zstdCompressSync === 'function';

/**
 * The adaptive trial: Brotli at quality 0 on a ≤ 16 KiB sample. Measured here (Node 20.20,
 * 16 KiB of random bytes): brotli q0 ≈ 0.05 ms, deflate level 1 ≈ 0.14 ms (zlib allocates its
 * 256 KiB window state per call), so brotli q0 is the cheaper estimator of compressibility.
 */
const TRIAL_OPTIONS = {
  params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: 0,
    [zlib.constants.BROTLI_PARAM_LGWIN]: 14,
  },
};

export function trialRatio(sample: Uint8Array): number {
  return zlib.brotliCompressSync(sample, TRIAL_OPTIONS).length / sample.length;
}
