/**
 * @packageDocumentation
 * `@perf/net/undici`: {@link Http2Pool} as an undici `Dispatcher`, so undici's `fetch`,
 * `request`, `stream` and `pipeline` (and Node's built-in `fetch`) send through it:
 *
 * ```ts
 * import { fetch } from 'undici';
 * import { Http2Pool } from '@perf/net/undici';
 * const pool = new Http2Pool('https://api.internal:8443', { maxSessions: 4 });
 * const res = await fetch('https://api.internal:8443/v1/items', { dispatcher: pool.dispatcher });
 * ```
 *
 * Needs `undici` 7 (an optional peer dependency); the main entry never loads it.
 *
 * @module @perf/net/undici
 */

import { constants, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http2';
import type { Readable } from 'node:stream';
import { Dispatcher } from 'undici';
import { ConnectionError, StreamResetError } from './errors.js';
import { Http2Pool as CorePool } from './http2-pool.js';
import type { Http2RequestOptions } from './types.js';

const { NGHTTP2_CANCEL, NGHTTP2_NO_ERROR } = constants;

/** Headers HTTP/2 forbids (RFC 9113 §8.2.2); `host` becomes the session's `:authority`. */
const CONNECTION_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'host',
]);

type Handler = Dispatcher.DispatchHandler;
type Options = Dispatcher.DispatchOptions;

/**
 * {@link CorePool | Http2Pool} with a `dispatcher` for undici: `fetch(url, { dispatcher:
 * pool.dispatcher })`. The pool and its dispatcher share sessions, limits and counters.
 */
export class Http2Pool extends CorePool {
  #dispatcher: Http2PoolDispatcher | undefined;

  /** This pool as an undici `Dispatcher` (made on first use, then the same object). */
  get dispatcher(): Http2PoolDispatcher {
    this.#dispatcher ??= new Http2PoolDispatcher(this);
    return this.#dispatcher;
  }
}

/**
 * An undici `Dispatcher` over an {@link CorePool | Http2Pool}: requests to the pool's origin
 * are multiplexed over its HTTP/2 sessions. Both handler styles are served: the current one
 * (`onRequestStart` … `onResponseError`, chosen when the handler has `onRequestStart` or
 * `onResponseStart`) and the legacy one (`onConnect`, `onHeaders`, `onData`, `onComplete`,
 * `onError`) that undici 7's `fetch`/`request` and Node 20's built-in `fetch` call.
 * Back-pressure: a handler that returns `false` from `onData` (or calls `controller.pause()`)
 * pauses the HTTP/2 stream, so the server's flow-control window stops refilling.
 */
export class Http2PoolDispatcher extends Dispatcher {
  readonly #pool: CorePool;
  #closed = false;

  constructor(pool: CorePool) {
    super();
    if (!(pool instanceof CorePool)) {
      throw new TypeError('Expected `pool` to be an Http2Pool');
    }
    this.#pool = pool;
  }

  /** The pool requests go through. */
  get pool(): CorePool {
    return this.#pool;
  }

  override dispatch(options: Options, handler: Handler): boolean {
    if (typeof handler !== 'object' || handler === null) {
      throw new TypeError('Expected `handler` to be an object');
    }
    const exchange = new Exchange(handler);
    void this.#send(options, exchange);
    return true;
  }

  async #send(options: Options, ex: Exchange): Promise<void> {
    ex.start();
    if (ex.done) return;
    let request: Http2RequestOptions;
    try {
      request = this.#requestOf(options, ex);
    } catch (err) {
      ex.fail(err);
      return;
    }
    let response: Awaited<ReturnType<CorePool['stream']>>;
    try {
      response = await this.#pool.stream(request);
    } catch (err) {
      ex.fail(ex.aborted ? ex.reason : err);
      return;
    }
    ex.respond(response.status, response.headers, response.body as Readable, this.#pool.origin);
  }

  #requestOf(options: Options, ex: Exchange): Http2RequestOptions {
    if (this.#closed) throw new ConnectionError(this.#pool.origin, 'the dispatcher is closed');
    if (options.upgrade || options.method === 'CONNECT') {
      throw new TypeError('Http2PoolDispatcher does not support CONNECT or upgrade requests');
    }
    if (options.origin !== undefined) {
      const origin = new URL(String(options.origin)).origin;
      if (origin !== this.#pool.origin) {
        throw new TypeError(
          `Http2PoolDispatcher serves ${this.#pool.origin} only, got a request for ${origin}`,
        );
      }
    }
    const request: Http2RequestOptions = {
      method: options.method,
      path: options.path,
      headers: headersOf(options.headers),
      signal: ex.signal,
    };
    const body = bodyOf(options.body);
    if (body !== undefined) request.body = body;
    if (options.idempotent !== undefined) request.retry = options.idempotent;
    if (typeof options.headersTimeout === 'number' && options.headersTimeout > 0) {
      request.timeoutMs = options.headersTimeout;
    }
    return request;
  }

  /** Closes the pool gracefully (in-flight requests finish). */
  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    this.#closed = true;
    const done = this.#pool.close();
    if (callback === undefined) return done;
    done.then(callback, callback);
  }

  /** Destroys the pool: queued and in-flight requests fail with `PERF_NET_CLOSED`. */
  override destroy(): Promise<void>;
  override destroy(err: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(err: Error | null, callback: () => void): void;
  override destroy(a?: Error | null | (() => void), b?: () => void): Promise<void> | void {
    this.#closed = true;
    this.#pool.destroy();
    const callback = typeof a === 'function' ? a : b;
    if (callback === undefined) return Promise.resolve();
    queueMicrotask(callback);
  }
}

/**
 * One dispatched request: the controller undici's handlers talk to, and the translation of
 * the HTTP/2 response into handler calls. Settles once (`done`): after an end or an error no
 * handler method is called again.
 */
class Exchange implements Dispatcher.DispatchController {
  readonly #handler: Handler;
  /** The handler speaks the current style (`onRequestStart` …), not the legacy one. */
  readonly #modern: boolean;
  readonly #abort = new AbortController();
  done = false;
  #aborted = false;
  #reason: Error | null = null;
  #paused = false;
  #body: Readable | null = null;
  #trailers: IncomingHttpHeaders | null = null;

  constructor(handler: Handler) {
    this.#handler = handler;
    this.#modern =
      typeof handler.onRequestStart === 'function' || typeof handler.onResponseStart === 'function';
  }

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  get paused(): boolean {
    return this.#paused;
  }

  get reason(): Error | null {
    return this.#reason;
  }

  abort(reason?: Error): void {
    if (this.#aborted || this.done) return;
    this.#aborted = true;
    this.#reason = reason ?? new DOMException('The operation was aborted.', 'AbortError');
    const body = this.#body;
    if (body === null) {
      this.#abort.abort(this.#reason); // still waiting for headers: the pool rejects
      return;
    }
    (body as Readable & { close?(code: number): void }).close?.(NGHTTP2_CANCEL);
    body.destroy();
    this.fail(this.#reason);
  }

  pause(): void {
    this.#paused = true;
    this.#body?.pause();
  }

  resume(): void {
    this.#paused = false;
    this.#body?.resume();
  }

  /** Tells the handler the request is about to go out; it may abort right there. */
  start(): void {
    try {
      if (this.#modern) this.#handler.onRequestStart?.(this, {});
      else this.#handler.onConnect?.((err?: Error) => this.abort(err));
    } catch (err) {
      this.fail(err);
    }
    if (this.#aborted) this.fail(this.#reason);
  }

  respond(status: number, headers: IncomingHttpHeaders, body: Readable, origin: string): void {
    if (this.done) {
      body.destroy();
      return;
    }
    this.#body = body;
    const h = this.#handler;
    let ended = false;
    body.on('trailers', (trailers: IncomingHttpHeaders) => {
      this.#trailers = trailers;
    });
    body.on('end', () => {
      // Node also ends the readable side when the connection drops (the stream is then already
      // destroyed) and when the server resets it (rstCode already set): only an end on a live,
      // unreset stream is a complete body; 'close' reports the others.
      const rst = (body as Readable & { rstCode?: number }).rstCode;
      if (body.destroyed || (rst !== undefined && rst !== NGHTTP2_NO_ERROR)) return;
      ended = true;
      this.#complete();
    });
    body.on('close', () => {
      if (ended || this.done) return;
      const rst = (body as Readable & { rstCode?: number }).rstCode ?? NGHTTP2_NO_ERROR;
      this.fail(
        rst !== NGHTTP2_NO_ERROR && rst !== NGHTTP2_CANCEL
          ? new StreamResetError(rst)
          : new ConnectionError(origin, 'the stream closed before the response body ended'),
      );
    });
    const fields = plainHeaders(headers);
    try {
      // fetch times the first response byte with the legacy onResponseStarted.
      if (!this.#modern) h.onResponseStarted?.();
      if (this.#modern) {
        h.onResponseStart?.(this, status, fields, '');
      } else if (h.onHeaders?.(status, rawHeaders(fields), () => this.resume(), '') === false) {
        this.pause();
      }
    } catch (err) {
      this.#cancel(err);
      return;
    }
    if (this.done) return;
    body.on('data', (chunk: Buffer) => {
      if (this.done) return;
      try {
        if (this.#modern) h.onResponseData?.(this, chunk);
        else if (h.onData?.(chunk) === false) this.pause();
      } catch (err) {
        this.#cancel(err);
      }
    });
    if (this.#paused) body.pause();
  }

  #complete(): void {
    if (this.done) return;
    this.done = true;
    const trailers = this.#trailers === null ? {} : plainHeaders(this.#trailers);
    try {
      if (this.#modern) this.#handler.onResponseEnd?.(this, trailers);
      // [] without trailers, as undici's own clients pass (its request handler parses it).
      else this.#handler.onComplete?.(rawHeaders(trailers) as never);
    } catch {
      // The request is complete; a throwing handler cannot change that.
    }
  }

  /** A handler threw: reset the stream and report the error to it. */
  #cancel(err: unknown): void {
    const body = this.#body;
    if (body !== null) {
      (body as Readable & { close?(code: number): void }).close?.(NGHTTP2_CANCEL);
      body.destroy();
    }
    this.fail(err);
  }

  fail(err: unknown): void {
    if (this.done) return;
    this.done = true;
    const error = err instanceof Error ? err : new Error(String(err));
    try {
      if (this.#modern) this.#handler.onResponseError?.(this, error);
      else this.#handler.onError?.(error);
    } catch {
      // Nothing left to tell.
    }
  }
}

/** undici's header forms (object, flat array, array of pairs, iterable) as HTTP/2 headers. */
function headersOf(input: Options['headers']): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  const add = (name: unknown, value: unknown) => {
    if (value === undefined || value === null) return;
    const key = String(name).toLowerCase();
    if (CONNECTION_HEADERS.has(key) || key.startsWith(':')) return;
    if (key === 'te' && String(value).toLowerCase() !== 'trailers') return;
    const text = Array.isArray(value) ? value.map(String) : String(value);
    const prior = out[key];
    out[key] =
      prior === undefined
        ? text
        : ([] as string[]).concat(prior as string | string[], text as string | string[]);
  };
  if (input === null || input === undefined) return out;
  if (Array.isArray(input)) {
    if (input.length > 0 && Array.isArray(input[0])) {
      for (const pair of input as unknown as [string, string][]) add(pair[0], pair[1]);
    } else {
      for (let i = 0; i + 1 < input.length; i += 2) add(input[i], input[i + 1]);
    }
    return out;
  }
  if (typeof (input as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const [k, v] of input as Iterable<[string, string]>) add(k, v);
    return out;
  }
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) add(k, v);
  return out;
}

/** undici's body forms as the pool's: bytes, a string, or a stream of chunks. */
function bodyOf(body: Options['body']): Http2RequestOptions['body'] {
  if (body === null || body === undefined) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
    return body as AsyncIterable<Uint8Array>;
  }
  if (typeof Blob !== 'undefined' && body instanceof Blob) {
    return body.stream() as unknown as AsyncIterable<Uint8Array>;
  }
  if (typeof (body as Iterable<Uint8Array>)[Symbol.iterator] === 'function') {
    const chunks = body as Iterable<Uint8Array>;
    return (async function* () {
      yield* chunks;
    })();
  }
  throw new TypeError('Unsupported request body for Http2PoolDispatcher');
}

/** Response headers without HTTP/2 pseudo-headers (`:status`). */
function plainHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (!k.startsWith(':')) out[k] = v;
  return out;
}

/** The legacy handlers' raw form: `[name, value, name, value, …]` as Buffers. */
function rawHeaders(headers: IncomingHttpHeaders): Buffer[] {
  const raw: Buffer[] = [];
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v])
      raw.push(Buffer.from(k), Buffer.from(String(one)));
  }
  return raw;
}
