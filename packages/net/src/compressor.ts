import type { IncomingHttpHeaders, OutgoingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import { PassThrough, type Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { negotiateEncoding } from './accept-encoding.js';
import { CorruptPayloadError, PayloadTooLargeError, UnsupportedEncodingError } from './errors.js';
import {
  CODEC_IDENTITY,
  CODEC_ZSTD,
  type Codec,
  createCodecs,
  decodeError,
  HAS_ZSTD,
  trialRatio,
} from './internal/codecs.js';
import { crc32 } from './internal/crc32.js';
import {
  HEADER_BYTES,
  header,
  readHeader,
  readU32,
  TRAILER_BYTES,
  UNKNOWN_LENGTH,
  writeHeader,
  writeU32,
} from './internal/frame.js';
import * as check from './internal/validate.js';
import type { CompressorOptions, CompressorStats, ContentEncoding, EncodedBody } from './types.js';

const MAX_SAMPLE_BYTES = 16 * 1024;
/** The trial sample is this many slices spread over the input, so a compressible body behind
 * an incompressible prefix (an embedded image, a random id) is still seen. */
const SAMPLE_SLICES = 4;
/**
 * The trial runs Brotli q0, weaker than the real codec; a sample ratio only this much above
 * `minRatio` still skips. Measured on JSON, logs and random bytes: a q0 sample ratio of 0.95
 * never turned into a gzip-6 ratio below 0.9.
 */
const TRIAL_SLACK = 0.05;
const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;

/** The response half both node:http and the http2 compatibility API share. */
interface ResponseLike {
  statusCode: number;
  setHeader(name: string, value: number | string | readonly string[]): unknown;
  getHeader(name: string): unknown;
  end(body: Uint8Array): unknown;
}

/**
 * Compression that pays only when it pays: a size threshold, an adaptive trial on a sample
 * before full compression, and output that says what it is — a frame header from
 * {@link Compressor.compress} or an HTTP `Content-Encoding` from {@link Compressor.encodeFor}.
 *
 * ```ts
 * const c = new Compressor({ encoding: 'br' });
 * const frame = c.compress(body); // framed: always decodable with c.decompress(frame)
 * ```
 */
export class Compressor {
  /** Content codings this runtime supports, best first (`zstd` only on Node 22.15+). */
  static readonly encodings: readonly ContentEncoding[] = HAS_ZSTD
    ? ['zstd', 'br', 'gzip', 'deflate']
    : ['br', 'gzip', 'deflate'];

  readonly #codecs: Map<ContentEncoding, Codec>;
  readonly #byId: (Codec | undefined)[] = [];
  readonly #codec: Codec;
  readonly #preference: ContentEncoding[];
  readonly #threshold: number;
  readonly #minRatio: number;
  readonly #trialCutoff: number;
  readonly #sampleBytes: number;
  readonly #maxOutput: number;
  /** Decides, before paying for full compression, whether to skip it; wired once. */
  readonly #skip: (input: Uint8Array) => boolean;
  readonly #stats: CompressorStats = {
    compressed: 0,
    belowThreshold: 0,
    skippedByTrial: 0,
    discarded: 0,
    bytesIn: 0,
    bytesOut: 0,
  };

  constructor(options: CompressorOptions = {}) {
    const encoding = check.oneOf('encoding', options.encoding ?? 'gzip', [
      'gzip',
      'deflate',
      'br',
      'zstd',
    ]);
    this.#threshold = check.integer('threshold', options.threshold ?? 1024, 0);
    this.#minRatio = check.number('minRatio', options.minRatio ?? 0.9, 0);
    this.#sampleBytes = Math.min(
      check.integer('sampleBytes', options.sampleBytes ?? MAX_SAMPLE_BYTES, SAMPLE_SLICES),
      MAX_SAMPLE_BYTES,
    );
    this.#maxOutput = check.integer(
      'maxOutputBytes',
      options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT,
      0,
    );
    const level = check.integer('level', options.level ?? 6, 0);
    const brotliQuality = check.integer('brotliQuality', options.brotliQuality ?? 4, 0);
    if (level > 9)
      throw new RangeError(`Expected \`level\` to be from 0 to 9, got ${check.show(level)}`);
    if (brotliQuality > 11) {
      throw new RangeError(
        `Expected \`brotliQuality\` to be from 0 to 11, got ${check.show(brotliQuality)}`,
      );
    }
    this.#codecs = createCodecs({ level, brotliQuality });
    for (const codec of this.#codecs.values()) this.#byId[codec.id] = codec;
    const codec = this.#codecs.get(encoding);
    if (!codec) throw new UnsupportedEncodingError(encoding);
    this.#codec = codec;
    this.#preference = [encoding, ...Compressor.encodings.filter((e) => e !== encoding)];
    this.#trialCutoff = this.#minRatio + TRIAL_SLACK;
    this.#skip = (options.adaptive ?? true) ? (input) => this.#trialSays(input) : () => false;
  }

  /** A snapshot of the counters: how often compression was done, skipped or thrown away. */
  stats(): CompressorStats {
    return { ...this.#stats };
  }

  /** The codec `compress()` uses. */
  get encoding(): ContentEncoding {
    return this.#codec.encoding;
  }

  /**
   * Compresses `input` into a self-describing frame (8-byte header + payload). Inputs below
   * the threshold, or that do not reach `minRatio`, are framed uncompressed.
   */
  compress(input: Uint8Array): Buffer {
    check.bytes('input', input);
    const payload = this.#worthIt(input) ? this.#keep(input, this.#codec.compress(input)) : null;
    return frame(payload ? this.#codec : null, input.length, payload ?? input);
  }

  /** {@link Compressor.compress} on libuv's thread pool, for large inputs. */
  async compressAsync(input: Uint8Array): Promise<Buffer> {
    check.bytes('input', input);
    const payload = this.#worthIt(input)
      ? this.#keep(input, await this.#codec.compressAsync(input))
      : null;
    return frame(payload ? this.#codec : null, input.length, payload ?? input);
  }

  /**
   * Restores the bytes of a frame from {@link Compressor.compress} (of any codec, whatever this
   * instance's `encoding`). Throws `PERF_NET_CORRUPT_PAYLOAD` for anything malformed or
   * truncated and `PERF_NET_PAYLOAD_TOO_LARGE` past `maxOutputBytes`.
   */
  decompress(frame: Uint8Array): Buffer {
    check.bytes('frame', frame);
    const { codec, length, payload } = this.#open(frame);
    if (codec === undefined) return this.#checked(Buffer.from(payload), length);
    return this.#checked(codec.decompress(payload, this.#limit(length)), length);
  }

  /** {@link Compressor.decompress} on libuv's thread pool. */
  async decompressAsync(frame: Uint8Array): Promise<Buffer> {
    check.bytes('frame', frame);
    const { codec, length, payload } = this.#open(frame);
    if (codec === undefined) return this.#checked(Buffer.from(payload), length);
    return this.#checked(await codec.decompressAsync(payload, this.#limit(length)), length);
  }

  /**
   * A Transform writing one frame: it buffers the first `sampleBytes`, decides as
   * `compress()` does, writes the header (length unknown) and streams the rest.
   */
  createCompressStream(): Transform {
    return new FrameEncoder(this);
  }

  /** A Transform reading one frame from {@link Compressor.createCompressStream} or `compress()`. */
  createDecompressStream(): Transform {
    return new FrameDecoder(this.#byId, this.#maxOutput);
  }

  /**
   * Encodes an HTTP response body for a request's `Accept-Encoding`: negotiates the coding
   * (this instance's `encoding` preferred), then applies the threshold and the adaptive trial.
   * The result's `encoding` goes into `Content-Encoding` (omit it for `'identity'`).
   */
  encodeFor(acceptEncoding: string | string[] | undefined, body: Uint8Array): EncodedBody {
    check.bytes('body', body);
    const chosen = negotiateEncoding(acceptEncoding, this.#preference) ?? 'identity';
    const codec = this.#codecs.get(chosen);
    if (codec !== undefined && this.#worthIt(body)) {
      const out = this.#keep(body, codec.compress(body));
      if (out) return { body: out, encoding: chosen };
    }
    return { body: Buffer.isBuffer(body) ? body : Buffer.from(body), encoding: 'identity' };
  }

  /**
   * Decodes a body received with `Content-Encoding: encoding` (a client's half of
   * {@link Compressor.encodeFor}), bounded by `maxOutputBytes`.
   */
  decode(body: Uint8Array, encoding: string | undefined): Buffer {
    check.bytes('body', body);
    const name = (encoding ?? 'identity').trim().toLowerCase();
    if (name === 'identity' || name === '') return Buffer.from(body);
    const codec = this.#codecs.get(name as ContentEncoding);
    if (!codec) throw new UnsupportedEncodingError(name);
    return codec.decompress(body, this.#maxOutput);
  }

  /**
   * A streaming encoder for a negotiated coding (for bodies too large to hold): pipe the body
   * through it and send `Content-Encoding: encoding`. `'identity'` gives a PassThrough.
   */
  createEncoder(encoding: ContentEncoding): Transform {
    if (encoding === 'identity') return new PassThrough();
    const codec = this.#codecs.get(encoding);
    if (!codec) throw new UnsupportedEncodingError(encoding);
    return codec.compressStream();
  }

  /**
   * Sends `body` on a node:http `ServerResponse` or an http2 compatibility-API response,
   * compressed for the request's `Accept-Encoding`, with `Content-Encoding`,
   * `Content-Length` and `Vary: Accept-Encoding` set. Answers 406 when nothing is acceptable.
   */
  send(req: { headers: IncomingHttpHeaders }, res: ResponseLike, body: Uint8Array): void {
    const accept = req.headers['accept-encoding'];
    if (negotiateEncoding(accept, this.#preference) === null) {
      res.statusCode = 406;
      res.setHeader('content-length', 0);
      res.end(Buffer.alloc(0));
      return;
    }
    const encoded = this.encodeFor(accept, body);
    res.setHeader('vary', 'accept-encoding');
    if (encoded.encoding !== 'identity') res.setHeader('content-encoding', encoded.encoding);
    res.setHeader('content-length', encoded.body.length);
    res.end(encoded.body);
  }

  /**
   * Streams a body of unknown or large size to a node:http or http2 compatibility-API
   * response, through the encoder of the negotiated coding (no threshold or trial: the size is
   * not known up front), with `Content-Encoding` and `Vary` set. Resolves when the response
   * has finished; rejects (and destroys both ends) when either side fails.
   */
  async sendStream(
    req: { headers: IncomingHttpHeaders },
    res: ResponseLike & NodeJS.WritableStream,
    source: Readable,
  ): Promise<void> {
    const encoding = negotiateEncoding(req.headers['accept-encoding'], this.#preference);
    if (encoding === null) {
      source.destroy();
      this.send(req, res, Buffer.alloc(0));
      return;
    }
    res.setHeader('vary', 'accept-encoding');
    if (encoding !== 'identity') res.setHeader('content-encoding', encoding);
    await pipeline(source, this.createEncoder(encoding), res);
  }

  /** {@link Compressor.send} for the http2 core API: responds on `stream` and ends it. */
  respond(
    stream: ServerHttp2Stream,
    requestHeaders: IncomingHttpHeaders,
    body: Uint8Array,
    headers: OutgoingHttpHeaders = {},
  ): void {
    const accept = requestHeaders['accept-encoding'];
    if (negotiateEncoding(accept, this.#preference) === null) {
      stream.respond({ ':status': 406, 'content-length': 0 });
      stream.end();
      return;
    }
    const encoded = this.encodeFor(accept, body);
    const out: OutgoingHttpHeaders = {
      ':status': 200,
      ...headers,
      vary: 'accept-encoding',
      'content-length': encoded.body.length,
    };
    if (encoded.encoding !== 'identity') out['content-encoding'] = encoded.encoding;
    stream.respond(out);
    stream.end(encoded.body);
  }

  /** @internal Whether full compression of this input is worth trying. */
  worthIt(input: Uint8Array): boolean {
    return this.#worthIt(input);
  }

  /** @internal The configured codec, for the frame encoder. */
  get codec(): Codec {
    return this.#codec;
  }

  #worthIt(input: Uint8Array): boolean {
    if (input.length < this.#threshold || input.length === 0) {
      this.#stats.belowThreshold++;
      return false;
    }
    if (this.#skip(input)) {
      this.#stats.skippedByTrial++;
      return false;
    }
    return true;
  }

  #keep(input: Uint8Array, compressed: Buffer): Buffer | null {
    if (compressed.length < input.length * this.#minRatio) {
      this.#stats.compressed++;
      this.#stats.bytesIn += input.length;
      this.#stats.bytesOut += compressed.length;
      return compressed;
    }
    this.#stats.discarded++;
    return null;
  }

  /** Brotli q0 over a sample spread across the input; only for inputs above the sample size. */
  #trialSays(input: Uint8Array): boolean {
    const n = this.#sampleBytes;
    if (input.length <= n * 2) return false;
    const slice = n / SAMPLE_SLICES;
    const stride = Math.floor((input.length - slice) / (SAMPLE_SLICES - 1));
    const sample = Buffer.allocUnsafe(slice * SAMPLE_SLICES);
    for (let i = 0; i < SAMPLE_SLICES; i++) {
      sample.set(input.subarray(i * stride, i * stride + slice), i * slice);
    }
    return trialRatio(sample) >= this.#trialCutoff;
  }

  /** Checks header, size and (for codecs without their own check) the CRC; finds the codec. */
  #open(frame: Uint8Array): { codec: Codec | undefined; length: number; payload: Uint8Array } {
    const { codec: id, length, crc } = readHeader(frame);
    if (length !== UNKNOWN_LENGTH && length > this.#maxOutput) {
      throw new PayloadTooLargeError(this.#maxOutput);
    }
    let payload = frame.subarray(HEADER_BYTES);
    if (id === CODEC_IDENTITY) return { codec: undefined, length, payload };
    const codec = this.#byId[id];
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
      if (crc32(payload) !== expected)
        throw new CorruptPayloadError(codec.encoding, 'CRC mismatch');
    }
    return { codec, length, payload };
  }

  #limit(length: number): number {
    return length === UNKNOWN_LENGTH ? this.#maxOutput : Math.min(length + 1, this.#maxOutput);
  }

  #checked(out: Buffer, length: number): Buffer {
    if (length !== UNKNOWN_LENGTH && out.length !== length) {
      if (out.length > this.#maxOutput) throw new PayloadTooLargeError(this.#maxOutput);
      throw new CorruptPayloadError('frame', `expected ${length} bytes, got ${out.length}`);
    }
    if (out.length > this.#maxOutput) throw new PayloadTooLargeError(this.#maxOutput);
    return out;
  }
}

/** A zstd frame on a runtime without zstd is unsupported, not corrupt; any other id is corrupt. */
function missingCodec(id: number): Error {
  return id === CODEC_ZSTD
    ? new UnsupportedEncodingError('zstd')
    : new CorruptPayloadError('frame', `unknown codec id ${id}`);
}

function frame(codec: Codec | null, length: number, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  const crc = codec?.needsCrc ? crc32(payload) : 0;
  writeHeader(out, codec ? codec.id : CODEC_IDENTITY, length, crc);
  out.set(payload, HEADER_BYTES);
  return out;
}

/**
 * Buffers the first 2 × 16 KiB, then decides like compress(): a body that ends sooner is
 * exactly `compress()` of it; a longer one is judged by its head and streamed with an unknown
 * length (and a CRC trailer for brotli/zstd).
 */
class FrameEncoder extends Transform {
  readonly #owner: Compressor;
  #head: Buffer[] = [];
  #headBytes = 0;
  #inner: Transform | null = null;
  #identity = false;
  #crc = 0;

  constructor(owner: Compressor) {
    super();
    this.#owner = owner;
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
        if (this.#owner.codec.needsCrc) {
          const trailer = Buffer.allocUnsafe(TRAILER_BYTES);
          writeU32(trailer, 0, this.#crc);
          this.push(trailer);
        }
        done();
      });
      inner.end();
    } else {
      done(null, this.#owner.compress(Buffer.concat(this.#head, this.#headBytes)));
    }
  }

  #decide(done: TransformCallback): void {
    const head = Buffer.concat(this.#head, this.#headBytes);
    this.#head = [];
    if (!this.#owner.worthIt(head)) {
      this.#identity = true;
      this.push(header(CODEC_IDENTITY, UNKNOWN_LENGTH));
      done(null, head);
      return;
    }
    const codec = this.#owner.codec;
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
class FrameDecoder extends Transform {
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
