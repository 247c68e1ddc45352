// The stream transforms of the frame codec: FrameEncoder writes one frame from a stream of
// chunks (Compressor.createCompressStream), FrameDecoder reads one back
// (Compressor.createDecompressStream). Their output is byte-for-byte what the whole-buffer
// functions in frame-codec.ts write and read.

import { Transform, type TransformCallback } from 'node:stream';
import { crc32 } from 'node:zlib';
import { CorruptPayloadError, PayloadTooLargeError } from '../errors.js';
import { CODEC_IDENTITY, type Codec, decodeError } from './codecs.js';
import {
  HEADER_BYTES,
  header,
  missingCodec,
  readHeader,
  readU32,
  TRAILER_BYTES,
  UNKNOWN_LENGTH,
  writeU32,
} from './frame-codec.js';
import { type CompressionPolicy, MAX_SAMPLE_BYTES } from './policy.js';

/**
 * Buffers the first 2 × 16 KiB, then decides like compress(): a body that ends sooner is
 * exactly `compress()` of it; a longer one is judged by its head and streamed with an unknown
 * length (and a CRC trailer for brotli/zstd).
 */
export class FrameEncoder extends Transform {
  readonly #policy: CompressionPolicy;
  readonly #codec: Codec;
  /** The whole-frame encoder, for a body that ends before the decision point. */
  readonly #compressWhole: (input: Buffer) => Buffer;
  #head: Buffer[] = [];
  #headBytes = 0;
  #inner: Transform | null = null;
  #identity = false;
  #crc = 0;

  constructor(policy: CompressionPolicy, codec: Codec, compressWhole: (input: Buffer) => Buffer) {
    super();
    this.#policy = policy;
    this.#codec = codec;
    this.#compressWhole = compressWhole;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.#identity) {
      done(null, chunk);
    } else if (this.#inner) {
      this.#inner.write(chunk, () => done());
    } else {
      this.#head.push(chunk);
      this.#headBytes += chunk.length;
      if (this.#headBytes >= MAX_SAMPLE_BYTES * 2) this.#decide(done);
      else done();
    }
  }

  override _flush(done: TransformCallback): void {
    if (this.#identity) {
      done();
    } else if (this.#inner) {
      const inner = this.#inner;
      inner.once('end', () => {
        if (this.#codec.needsCrc) {
          const trailer = Buffer.allocUnsafe(TRAILER_BYTES);
          writeU32(trailer, 0, this.#crc);
          this.push(trailer);
        }
        done();
      });
      inner.end();
    } else {
      done(null, this.#compressWhole(Buffer.concat(this.#head, this.#headBytes)));
    }
  }

  #decide(done: TransformCallback): void {
    const head = Buffer.concat(this.#head, this.#headBytes);
    this.#head = [];
    if (!this.#policy.worthIt(head)) {
      this.#identity = true;
      this.push(header(CODEC_IDENTITY, UNKNOWN_LENGTH));
      done(null, head);
      return;
    }
    const codec = this.#codec;
    this.push(header(codec.id, UNKNOWN_LENGTH));
    const inner = codec.compressStream();
    this.#inner = inner;
    const needsCrc = codec.needsCrc;
    inner.on('data', (c: Buffer) => {
      if (needsCrc) this.#crc = crc32(c, this.#crc);
      this.push(c);
    });
    inner.on('error', (e) => this.destroy(e));
    inner.write(head, () => done());
  }
}

/**
 * Parses the header, then inflates with its own output count (zlib streams have no
 * maxOutputLength) and, for brotli/zstd, a running CRC checked against the header or the
 * trailer (the last 4 bytes are held back until the end for that).
 */
export class FrameDecoder extends Transform {
  readonly #byId: readonly (Codec | undefined)[];
  readonly #max: number;
  #head: Buffer | null = Buffer.alloc(0);
  #inner: Transform | null = null;
  #encoding = 'identity';
  #out = 0;
  #expected = UNKNOWN_LENGTH;
  #checkCrc = false;
  #trailer = false;
  #expectedCrc = 0;
  #crc = 0;
  #tail: Buffer = Buffer.alloc(0);

  constructor(byId: readonly (Codec | undefined)[], max: number) {
    super();
    this.#byId = byId;
    this.#max = max;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.#head) {
      const head = Buffer.concat([this.#head, chunk]);
      if (head.length < HEADER_BYTES) {
        this.#head = head;
        done();
        return;
      }
      this.#head = null;
      const failure = this.#begin(head);
      if (failure) {
        done(failure);
        return;
      }
      chunk = head.subarray(HEADER_BYTES);
    }
    if (this.#trailer) {
      const all = this.#tail.length ? Buffer.concat([this.#tail, chunk]) : chunk;
      const cut = Math.max(0, all.length - TRAILER_BYTES);
      this.#tail = all.subarray(cut);
      chunk = all.subarray(0, cut);
    }
    if (this.#inner) {
      if (this.#checkCrc) this.#crc = crc32(chunk, this.#crc);
      this.#inner.write(chunk, () => done());
      return;
    }
    this.#emit(chunk);
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.#head) {
      done(new CorruptPayloadError('frame', 'stream ended inside the header'));
      return;
    }
    if (this.#trailer) {
      this.#expectedCrc = this.#tail.length === TRAILER_BYTES ? readU32(this.#tail, 0) : -1;
    }
    if (this.#checkCrc && this.#crc !== this.#expectedCrc) {
      this.#inner?.destroy();
      done(new CorruptPayloadError(this.#encoding, 'CRC mismatch'));
      return;
    }
    const verify = () => {
      if (this.destroyed) return;
      const short = this.#expected !== UNKNOWN_LENGTH && this.#out !== this.#expected;
      done(
        short
          ? new CorruptPayloadError(
              this.#encoding,
              `expected ${this.#expected} bytes, got ${this.#out}`,
            )
          : null,
      );
    };
    if (!this.#inner) {
      verify();
      return;
    }
    this.#inner.once('end', verify);
    this.#inner.end();
  }

  /** Reads the header and sets up the inflater; returns the error that ends the stream, if any. */
  #begin(head: Buffer): Error | null {
    let parsed: ReturnType<typeof readHeader>;
    try {
      parsed = readHeader(head);
    } catch (err) {
      return err as Error;
    }
    this.#expected = parsed.length;
    if (parsed.length !== UNKNOWN_LENGTH && parsed.length > this.#max) {
      return new PayloadTooLargeError(this.#max);
    }
    if (parsed.codec === CODEC_IDENTITY) return null;
    const codec = this.#byId[parsed.codec];
    if (!codec) return missingCodec(parsed.codec);
    this.#encoding = codec.encoding;
    this.#checkCrc = codec.needsCrc;
    this.#trailer = codec.needsCrc && parsed.length === UNKNOWN_LENGTH;
    this.#expectedCrc = parsed.crc;
    const inner = codec.decompressStream();
    this.#inner = inner;
    inner.on('data', (c: Buffer) => this.#emit(c));
    inner.on('error', (e) => this.destroy(decodeError(this.#encoding, e, this.#max)));
    return null;
  }

  #emit(chunk: Buffer): void {
    this.#out += chunk.length;
    if (this.#out > this.#max) {
      this.#inner?.destroy();
      this.destroy(new PayloadTooLargeError(this.#max));
      return;
    }
    this.push(chunk);
  }
}
