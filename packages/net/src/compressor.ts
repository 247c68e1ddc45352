import { describe } from '@perf/internal';
import type { IncomingHttpHeaders, OutgoingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import type { Readable, Transform } from 'node:stream';
import { UnsupportedEncodingError } from './errors.js';
import { type Codec, createCodecs, HAS_ZSTD } from './internal/codecs.js';
import { checkInflated, encodeFrame, inflateLimit, openFrame } from './internal/frame-codec.js';
import { FrameDecoder, FrameEncoder } from './internal/frame-streams.js';
import { HttpEncoder, type ResponseLike } from './internal/http-encoder.js';
import { CompressionPolicy, MAX_SAMPLE_BYTES, SAMPLE_SLICES } from './internal/policy.js';
import * as check from './internal/validate.js';
import type { CompressorOptions, CompressorStats, ContentEncoding, EncodedBody } from './types.js';

const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;

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

  readonly #byId: (Codec | undefined)[] = [];
  readonly #codec: Codec;
  readonly #maxOutput: number;
  readonly #policy: CompressionPolicy;
  readonly #http: HttpEncoder;
  readonly #compressWhole = (input: Buffer): Buffer => this.compress(input);

  constructor(options: CompressorOptions = {}) {
    const encoding = check.oneOf('encoding', options.encoding ?? 'gzip', [
      'gzip',
      'deflate',
      'br',
      'zstd',
    ]);
    const threshold = check.integer('threshold', options.threshold ?? 1024, 0);
    const minRatio = check.number('minRatio', options.minRatio ?? 0.9, 0);
    const sampleBytes = Math.min(
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
      throw new RangeError(`Expected \`level\` to be from 0 to 9, got ${describe(level)}`);
    if (brotliQuality > 11) {
      throw new RangeError(
        `Expected \`brotliQuality\` to be from 0 to 11, got ${describe(brotliQuality)}`,
      );
    }
    const codecs = createCodecs({ level, brotliQuality });
    for (const codec of codecs.values()) this.#byId[codec.id] = codec;
    const codec = codecs.get(encoding);
    if (!codec) throw new UnsupportedEncodingError(encoding);
    this.#codec = codec;
    this.#policy = new CompressionPolicy({
      threshold,
      minRatio,
      sampleBytes,
      adaptive: options.adaptive ?? true,
    });
    const preference = [encoding, ...Compressor.encodings.filter((e) => e !== encoding)];
    this.#http = new HttpEncoder(codecs, preference, this.#policy, this.#maxOutput);
  }

  /** A snapshot of the counters: how often compression was done, skipped or thrown away. */
  stats(): CompressorStats {
    return this.#policy.stats();
  }

  /** The codec `compress()` uses. */
  get encoding(): ContentEncoding {
    return this.#codec.encoding;
  }

  /**
   * Compresses `input` into a self-describing frame (12-byte header + payload). Inputs below
   * the threshold, or that do not reach `minRatio`, are framed uncompressed.
   */
  compress(input: Uint8Array): Buffer {
    check.bytes('input', input);
    const policy = this.#policy;
    const payload = policy.worthIt(input) ? policy.keep(input, this.#codec.compress(input)) : null;
    return encodeFrame(payload ? this.#codec : null, input.length, payload ?? input);
  }

  /** {@link Compressor.compress} on libuv's thread pool, for large inputs. */
  async compressAsync(input: Uint8Array): Promise<Buffer> {
    check.bytes('input', input);
    const policy = this.#policy;
    const payload = policy.worthIt(input)
      ? policy.keep(input, await this.#codec.compressAsync(input))
      : null;
    return encodeFrame(payload ? this.#codec : null, input.length, payload ?? input);
  }

  /**
   * Restores the bytes of a frame from {@link Compressor.compress} (of any codec, whatever this
   * instance's `encoding`). Throws `PERF_NET_CORRUPT_PAYLOAD` for anything malformed or
   * truncated and `PERF_NET_PAYLOAD_TOO_LARGE` past `maxOutputBytes`.
   */
  decompress(frame: Uint8Array): Buffer {
    check.bytes('frame', frame);
    const max = this.#maxOutput;
    const { codec, length, payload } = openFrame(frame, this.#byId, max);
    const out = codec ? codec.decompress(payload, inflateLimit(length, max)) : Buffer.from(payload);
    return checkInflated(out, length, max);
  }

  /** {@link Compressor.decompress} on libuv's thread pool. */
  async decompressAsync(frame: Uint8Array): Promise<Buffer> {
    check.bytes('frame', frame);
    const max = this.#maxOutput;
    const { codec, length, payload } = openFrame(frame, this.#byId, max);
    const out = codec
      ? await codec.decompressAsync(payload, inflateLimit(length, max))
      : Buffer.from(payload);
    return checkInflated(out, length, max);
  }

  /**
   * A Transform writing one frame: it buffers the first 32 KiB, decides as `compress()` does,
   * writes the header (length unknown) and streams the rest.
   */
  createCompressStream(): Transform {
    return new FrameEncoder(this.#policy, this.#codec, this.#compressWhole);
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
    return this.#http.encodeFor(acceptEncoding, body);
  }

  /**
   * Decodes a body received with `Content-Encoding: encoding` (a client's half of
   * {@link Compressor.encodeFor}), bounded by `maxOutputBytes`.
   */
  decode(body: Uint8Array, encoding: string | undefined): Buffer {
    check.bytes('body', body);
    return this.#http.decode(body, encoding);
  }

  /**
   * A streaming encoder for a negotiated coding (for bodies too large to hold): pipe the body
   * through it and send `Content-Encoding: encoding`. `'identity'` gives a PassThrough.
   */
  createEncoder(encoding: ContentEncoding): Transform {
    return this.#http.createEncoder(encoding);
  }

  /**
   * Sends `body` on a node:http `ServerResponse` or an http2 compatibility-API response,
   * compressed for the request's `Accept-Encoding`, with `Content-Encoding`,
   * `Content-Length` and `Vary: Accept-Encoding` set. Answers 406 when nothing is acceptable.
   */
  send(req: { headers: IncomingHttpHeaders }, res: ResponseLike, body: Uint8Array): void {
    check.bytes('body', body);
    this.#http.send(req, res, body);
  }

  /**
   * Streams a body of unknown or large size to a node:http or http2 compatibility-API
   * response, through the encoder of the negotiated coding (no threshold or trial: the size is
   * not known up front), with `Content-Encoding` and `Vary` set. Resolves when the response
   * has finished; rejects (and destroys both ends) when either side fails.
   */
  sendStream(
    req: { headers: IncomingHttpHeaders },
    res: ResponseLike & NodeJS.WritableStream,
    source: Readable,
  ): Promise<void> {
    return this.#http.sendStream(req, res, source);
  }

  /** {@link Compressor.send} for the http2 core API: responds on `stream` and ends it. */
  respond(
    stream: ServerHttp2Stream,
    requestHeaders: IncomingHttpHeaders,
    body: Uint8Array,
    headers: OutgoingHttpHeaders = {},
  ): void {
    check.bytes('body', body);
    this.#http.respond(stream, requestHeaders, body, headers);
  }
}
