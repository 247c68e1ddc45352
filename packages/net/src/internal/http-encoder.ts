// The HTTP half of Compressor: negotiation of a content coding from `Accept-Encoding`, body
// encoding and decoding, and the three response writers (node:http / http2 compatibility API,
// a streamed variant, and the http2 core API). Unlike the frame codec, its output is a plain
// `Content-Encoding` body that any HTTP client decodes.

import type { IncomingHttpHeaders, OutgoingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import { PassThrough, type Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { negotiateEncoding } from '../accept-encoding.js';
import { UnsupportedEncodingError } from '../errors.js';
import type { ContentEncoding, EncodedBody } from '../types.js';
import type { Codec } from './codecs.js';
import type { CompressionPolicy } from './policy.js';

/** The response half both node:http and the http2 compatibility API share. */
export interface ResponseLike {
  statusCode: number;
  setHeader(name: string, value: number | string | readonly string[]): unknown;
  getHeader(name: string): unknown;
  end(body: Uint8Array): unknown;
}

export class HttpEncoder {
  readonly #codecs: ReadonlyMap<ContentEncoding, Codec>;
  /** Codings in the order this server prefers them: the configured one first. */
  readonly #preference: readonly ContentEncoding[];
  readonly #policy: CompressionPolicy;
  readonly #maxOutput: number;

  constructor(
    codecs: ReadonlyMap<ContentEncoding, Codec>,
    preference: readonly ContentEncoding[],
    policy: CompressionPolicy,
    maxOutput: number,
  ) {
    this.#codecs = codecs;
    this.#preference = preference;
    this.#policy = policy;
    this.#maxOutput = maxOutput;
  }

  /** The negotiated coding, `'identity'` included, or null when nothing is acceptable (406). */
  negotiate(acceptEncoding: string | string[] | undefined): ContentEncoding | null {
    return negotiateEncoding(acceptEncoding, this.#preference);
  }

  encodeFor(acceptEncoding: string | string[] | undefined, body: Uint8Array): EncodedBody {
    const chosen = this.negotiate(acceptEncoding) ?? 'identity';
    const codec = this.#codecs.get(chosen);
    if (codec !== undefined && this.#policy.worthIt(body)) {
      const out = this.#policy.keep(body, codec.compress(body));
      if (out) return { body: out, encoding: chosen };
    }
    return { body: Buffer.isBuffer(body) ? body : Buffer.from(body), encoding: 'identity' };
  }

  decode(body: Uint8Array, encoding: string | undefined): Buffer {
    const name = (encoding ?? 'identity').trim().toLowerCase();
    if (name === 'identity' || name === '') return Buffer.from(body);
    const codec = this.#codecs.get(name as ContentEncoding);
    if (!codec) throw new UnsupportedEncodingError(name);
    return codec.decompress(body, this.#maxOutput);
  }

  createEncoder(encoding: ContentEncoding): Transform {
    if (encoding === 'identity') return new PassThrough();
    const codec = this.#codecs.get(encoding);
    if (!codec) throw new UnsupportedEncodingError(encoding);
    return codec.compressStream();
  }

  send(req: { headers: IncomingHttpHeaders }, res: ResponseLike, body: Uint8Array): void {
    const accept = req.headers['accept-encoding'];
    if (this.negotiate(accept) === null) {
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

  async sendStream(
    req: { headers: IncomingHttpHeaders },
    res: ResponseLike & NodeJS.WritableStream,
    source: Readable,
  ): Promise<void> {
    const encoding = this.negotiate(req.headers['accept-encoding']);
    if (encoding === null) {
      source.destroy();
      this.send(req, res, Buffer.alloc(0));
      return;
    }
    res.setHeader('vary', 'accept-encoding');
    if (encoding !== 'identity') res.setHeader('content-encoding', encoding);
    await pipeline(source, this.createEncoder(encoding), res);
  }

  respond(
    stream: ServerHttp2Stream,
    requestHeaders: IncomingHttpHeaders,
    body: Uint8Array,
    headers: OutgoingHttpHeaders,
  ): void {
    const accept = requestHeaders['accept-encoding'];
    if (this.negotiate(accept) === null) {
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
}
