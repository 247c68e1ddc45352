/**
 * One listening port, two protocols. HTTP/2 is spoken with prior knowledge (h2c): a client's
 * first bytes are the connection preface `PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n`. Anything else is
 * HTTP/1.1 (browsers, curl without --http2-prior-knowledge, autocannon). We peek at the first
 * bytes of each socket and hand it to the matching server, so both share one port and one
 * request handler.
 *
 *   net.Server ──first bytes──┬── "PRI * HTTP/2.0" ──> http2 server ('stream' API, no compat layer)
 *                             └── anything else ───> http server (keep-alive)
 *
 * Requests are normalised into a small `Req` (method, path, query, headers, body Buffer) and the
 * handler returns a `Res`; bodies are read fully up to a byte limit before dispatch, so a route
 * never sees a half-read or oversized body.
 */
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import type { Readable } from 'node:stream';
import { ObjectPool } from '@perf/pool';
import { errorResponse, HttpError } from './errors.js';
import { type Handler, jsonError, type Req, type Res } from './message.js';

export interface HttpOptions {
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** A request that has not been answered within this many milliseconds gets a 503. */
  requestTimeoutMs: number;
  /** HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS advertised to clients. */
  maxConcurrentStreams: number;
}

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n');

/**
 * One request in flight. Cheap on purpose — the hot path allocates no AbortController and no
 * timer per request: a single sweeper answers overdue requests with 503 (see `#sweep`).
 * Records are recycled through a @perf/pool ObjectPool; their fields are small integers and
 * references only, the kind V8 stores without boxing (a double field allocates on writes once
 * it has held anything but a number, or in unoptimised code — see @perf/pool's README), and
 * `epoch` tells a recycled record from the one a late callback still holds.
 */
class Pending {
  /** performance.now() at arrival, whole milliseconds (the sweeper's resolution is 100 ms). */
  startedMs = 0;
  epoch = 0;
  h1: http.ServerResponse | null = null;
  h2: http2.ServerHttp2Stream | null = null;
}

class Request implements Req {
  #query: URLSearchParams | undefined;
  constructor(
    readonly method: string,
    readonly path: string,
    readonly rawQuery: string,
    readonly headers: Req['headers'],
    readonly body: Buffer,
    readonly protocol: Req['protocol'],
  ) {}
  get query(): URLSearchParams {
    this.#query ??= new URLSearchParams(this.rawQuery);
    return this.#query;
  }
}

const EMPTY = Buffer.alloc(0);
const SWEEP_MS = 100;

export class HttpFront {
  readonly #h1: http.Server;
  readonly #h2: http2.Http2Server;
  readonly #tcp: net.Server;
  readonly #sockets = new Set<net.Socket>();
  readonly #sessions = new Set<http2.ServerHttp2Session>();
  readonly #handler: Handler;
  readonly #opts: HttpOptions;
  /** Requests not answered yet (streams excluded once they start). */
  readonly #pending = new Set<Pending>();
  /** Open event streams, ended on close. */
  readonly #streams = new Set<AbortController>();
  readonly #sweeper: NodeJS.Timeout;
  readonly #records = new ObjectPool<Pending>({
    create: () => new Pending(),
    reset: (p) => {
      p.h1 = null;
      p.h2 = null;
    },
    prefill: 256,
    capacity: 4096,
  });
  #idle: (() => void) | undefined;

  constructor(handler: Handler, opts: HttpOptions) {
    this.#handler = handler;
    this.#opts = opts;
    this.#h1 = http.createServer({ keepAlive: true, requestTimeout: 0 }, (req, res) =>
      this.#onH1(req, res),
    );
    this.#h1.keepAliveTimeout = 30_000;
    this.#h2 = http2.createServer({
      settings: { maxConcurrentStreams: opts.maxConcurrentStreams },
      maxSessionMemory: 64,
    });
    this.#h2.on('stream', (stream, headers, flags) => this.#onH2(stream, headers, flags));
    this.#h2.on('session', (s) => {
      this.#sessions.add(s);
      s.on('close', () => this.#sessions.delete(s));
      s.on('error', () => {});
    });
    this.#tcp = net.createServer((socket) => this.#route(socket));
    this.#sweeper = setInterval(() => this.#sweep(), SWEEP_MS);
    this.#sweeper.unref();
  }

  listen(port: number, host = '127.0.0.1'): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#tcp.once('error', reject);
      this.#tcp.listen(port, host, () => {
        this.#tcp.off('error', reject);
        resolve((this.#tcp.address() as net.AddressInfo).port);
      });
    });
  }

  /** Stop accepting, let in-flight requests finish (up to `graceMs`), then close every socket. */
  async close(graceMs = 5_000): Promise<void> {
    // net.Server#close only calls back once every connection has ended, so start it, then
    // end the connections: GOAWAY for HTTP/2 sessions, idle keep-alive sockets for HTTP/1.1.
    const closed = new Promise<void>((r) => this.#tcp.close(() => r()));
    for (const ac of this.#streams) ac.abort();
    for (const s of this.#sessions) s.close();
    this.#h1.closeIdleConnections();
    if (this.#pending.size > 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, graceMs);
        this.#idle = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
    clearInterval(this.#sweeper);
    for (const s of this.#sessions) s.destroy();
    for (const s of this.#sockets) s.destroy();
    await closed;
  }

  #route(socket: net.Socket): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setNoDelay(true);
    socket.once('readable', () => {
      const head: Buffer | null = socket.read();
      if (head === null) return void socket.destroy();
      socket.unshift(head);
      const isH2 = head.subarray(0, PREFACE.length).equals(PREFACE.subarray(0, head.length));
      (isH2 ? this.#h2 : this.#h1).emit('connection', socket);
    });
  }

  /** Answers every request older than the timeout with 503. */
  #sweep(): void {
    const limit = performance.now() - this.#opts.requestTimeoutMs;
    for (const p of this.#pending) {
      if (p.startedMs > limit) continue;
      this.#finish(
        p,
        p.epoch,
        jsonError(503, 'timeout', `no answer within ${this.#opts.requestTimeoutMs} ms`),
      );
    }
  }

  /** Sends `res` unless the request was already answered (`epoch` moved on when it was). */
  #finish(p: Pending, epoch: number, res: Res): void {
    if (p.epoch !== epoch) return;
    p.epoch++; // answered: a late callback holding the old epoch now does nothing
    this.#pending.delete(p);
    const { h1, h2 } = p;
    this.#records.release(p);
    try {
      if (h1 !== null) this.#sendH1(h1, res);
      else if (h2 !== null) this.#sendH2(h2, res);
    } catch {
      // The client went away mid-response: nothing left to tell it.
    }
    if (this.#pending.size === 0 && this.#idle) this.#idle();
  }

  #sendH1(res: http.ServerResponse, out: Res): void {
    if (res.destroyed) return;
    if (out.stream) {
      this.#openStream(
        out,
        res,
        (c) => res.write(c),
        () => res.end(),
      );
      return;
    }
    res.writeHead(out.status, out.headers);
    res.end(out.body);
  }

  #sendH2(stream: http2.ServerHttp2Stream, out: Res): void {
    if (stream.destroyed || stream.closed) return;
    stream.respond(
      out.headers ? { ':status': out.status, ...out.headers } : { ':status': out.status },
    );
    if (out.stream) {
      this.#openStream(
        out,
        stream,
        (c) => stream.write(c),
        () => stream.end(),
      );
      return;
    }
    stream.end(out.body);
  }

  #onH1(req: http.IncomingMessage, res: http.ServerResponse): void {
    const p = this.#records.acquire();
    p.startedMs = performance.now() | 0;
    p.h1 = res;
    const hasBody =
      req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
    this.#serve(
      p,
      hasBody ? req : undefined,
      req.method ?? 'GET',
      req.url ?? '/',
      req.headers,
      'http/1.1',
    );
    if (!hasBody) req.resume();
  }

  #onH2(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, flags: number): void {
    stream.on('error', () => {});
    const p = this.#records.acquire();
    p.startedMs = performance.now() | 0;
    p.h2 = stream;
    // END_STREAM on the HEADERS frame: no body follows, so don't wait for one.
    const hasBody = (flags & http2.constants.NGHTTP2_FLAG_END_STREAM) === 0;
    const method = (headers[':method'] as string) ?? 'GET';
    const url = (headers[':path'] as string) ?? '/';
    this.#serve(p, hasBody ? stream : undefined, method, url, headers, 'h2');
  }

  #openStream(
    out: Res,
    closer: NodeJS.EventEmitter,
    write: (c: string) => boolean,
    end: () => void,
  ): void {
    if (out.stream === undefined) return;
    const ac = new AbortController();
    this.#streams.add(ac);
    closer.once('close', () => ac.abort());
    ac.signal.addEventListener(
      'abort',
      () => {
        this.#streams.delete(ac);
        end();
      },
      { once: true },
    );
    if (out.headers === undefined && closer instanceof http.ServerResponse)
      closer.writeHead(out.status);
    else if (closer instanceof http.ServerResponse) closer.writeHead(out.status, out.headers);
    if (closer instanceof http.ServerResponse) closer.flushHeaders();
    out.stream(write, ac.signal);
  }

  #serve(
    p: Pending,
    body: Readable | undefined,
    method: string,
    url: string,
    headers: Req['headers'],
    protocol: Req['protocol'],
  ): void {
    this.#pending.add(p);
    const epoch = p.epoch;
    const dispatch = (buf: Buffer) => {
      let req: Request;
      try {
        const q = url.indexOf('?');
        req = new Request(
          method,
          decodePath(q < 0 ? url : url.slice(0, q)),
          q < 0 ? '' : url.slice(q + 1),
          headers,
          buf,
          protocol,
        );
      } catch (err) {
        this.#finish(p, epoch, errorResponse(err));
        return;
      }
      let out: Res | Promise<Res>;
      try {
        out = this.#handler(req);
      } catch (err) {
        this.#finish(p, epoch, errorResponse(err));
        return;
      }
      if (out instanceof Promise) {
        out.then(
          (r) => this.#finish(p, epoch, r),
          (err: unknown) => this.#finish(p, epoch, errorResponse(err)),
        );
      } else this.#finish(p, epoch, out);
    };
    if (body === undefined) dispatch(EMPTY);
    else
      readBody(body, this.#opts.maxBodyBytes).then(dispatch, (err: unknown) =>
        this.#finish(p, epoch, errorResponse(err)),
      );
  }
}

function decodePath(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    throw new HttpError(400, 'bad_path', 'path is not valid percent-encoding');
  }
}

function readBody(stream: Readable, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new HttpError(413, 'body_too_large', `request body exceeds ${limit} bytes`));
        stream.removeAllListeners('data');
        stream.resume();
        return;
      }
      chunks.push(c);
    });
    stream.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}
