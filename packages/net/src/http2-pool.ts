import { describe } from '@perf/internal';
import {
  type ClientHttp2Session,
  type ClientHttp2Stream,
  connect,
  constants,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from 'node:http2';
import {
  AbortError,
  ClosedError,
  ConnectionError,
  PayloadTooLargeError,
  QueueFullError,
  StreamResetError,
  TimeoutError,
} from './errors.js';
import { pipeline } from 'node:stream/promises';
import Denque from 'denque';
import * as check from './internal/validate.js';
import type {
  Http2PoolOptions,
  Http2PoolStats,
  Http2RequestEvent,
  Http2RequestOptions,
  Http2Response,
  Http2StreamResponse,
} from './types.js';

const { NGHTTP2_CANCEL, NGHTTP2_NO_ERROR, NGHTTP2_REFUSED_STREAM } = constants;
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);
const DEFAULT_MAX_RESPONSE = 64 * 1024 * 1024;

/** One session (connection) of the pool and what the pool knows about it. */
class Session {
  readonly h2: ClientHttp2Session;
  /** SETTINGS received: until then the stream limit is unknown and nothing is dispatched. */
  ready = false;
  /** GOAWAY received or closing: takes no new streams, finishes the ones it has. */
  draining = false;
  active = 0;
  /** min(server's SETTINGS_MAX_CONCURRENT_STREAMS, our maxStreamsPerSession). */
  limit = 0;
  /** Highest stream id the server promised to process after GOAWAY (-1: no GOAWAY yet). */
  lastStreamId = -1;
  error: unknown = undefined;
  idleTimer: NodeJS.Timeout | undefined = undefined;
  connectTimer: NodeJS.Timeout | undefined = undefined;

  constructor(h2: ClientHttp2Session) {
    this.h2 = h2;
  }
}

/** A request from `request()` to its settlement, across retries. */
class Exchange {
  readonly method: string;
  readonly headers: OutgoingHttpHeaders;
  readonly body: Uint8Array | string | AsyncIterable<Uint8Array | string> | undefined;
  /** The body is a stream: read once, so this request is never re-sent. */
  readonly streamBody: boolean;
  /** The streamed body failed while it was being sent: the request fails with it. */
  bodyError: unknown = undefined;
  readonly retry: boolean;
  readonly asStream: boolean;
  readonly signal: AbortSignal | undefined;
  readonly resolve: (value: Http2Response & Http2StreamResponse) => void;
  readonly reject: (reason: unknown) => void;
  attempts = 0;
  /** performance.now() at request(), only read when an onComplete observer is set. */
  startedAt = 0;
  settled = false;
  queued = false;
  session: Session | null = null;
  stream: ClientHttp2Stream | null = null;
  timer: NodeJS.Timeout | undefined = undefined;
  timeoutMs = 0;
  onAbort: (() => void) | undefined = undefined;
  // Response state of the current attempt.
  status = 0;
  responseHeaders: IncomingHttpHeaders | null = null;
  chunks: Buffer[] = [];
  bytes = 0;

  constructor(
    options: Http2RequestOptions,
    asStream: boolean,
    resolve: (value: Http2Response & Http2StreamResponse) => void,
    reject: (reason: unknown) => void,
  ) {
    this.method = options.method === undefined ? 'GET' : options.method.toUpperCase();
    const path = options.path ?? '/';
    // The common no-extra-headers case builds one small literal instead of spreading.
    this.headers =
      options.headers === undefined
        ? { ':method': this.method, ':path': path }
        : { ...options.headers, ':method': this.method, ':path': path };
    const body = options.body;
    this.body = body;
    this.streamBody =
      body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array);
    if (
      this.streamBody &&
      typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function'
    ) {
      throw new TypeError(
        `Expected \`body\` to be a Uint8Array, a string or an async iterable, got ${describe(body)}`,
      );
    }
    this.retry = !this.streamBody && (options.retry ?? IDEMPOTENT.has(this.method));
    this.asStream = asStream;
    this.signal = options.signal;
    this.resolve = resolve;
    this.reject = reject;
  }
}

// Stream listeners are per-pool functions reading their exchange from the stream, so a request
// allocates no closures for its events (the `this` of an EventEmitter listener is the emitter).
const EXCHANGE = Symbol('exchange');
type TaggedStream = ClientHttp2Stream & { [EXCHANGE]: Exchange };

function ignore(): void {}

/** The streamed body of `ex`, noting on the exchange when the source itself fails. */
async function* readBody(ex: Exchange): AsyncGenerator<Uint8Array | string> {
  try {
    yield* ex.body as AsyncIterable<Uint8Array | string>;
  } catch (err) {
    ex.bodyError = err ?? new Error('request body stream failed');
    throw err;
  }
}

/**
 * An HTTP/2 client pool for one origin over `node:http2`. Requests are multiplexed over as few
 * sessions as the server's `SETTINGS_MAX_CONCURRENT_STREAMS` allows (a burst of C requests
 * opens ⌈C / limit⌉ sessions, at most `maxSessions`), the rest wait in a FIFO queue. Requests
 * the server provably never processed (above a GOAWAY's last stream id, REFUSED_STREAM, or never
 * sent) are re-sent on a fresh session; requests in flight on a lost connection are re-sent
 * only when idempotent (or `retry: true`).
 *
 * ```ts
 * const pool = new Http2Pool('https://127.0.0.1:8443', { connectOptions: { ca } });
 * const { status, body } = await pool.request({ path: '/kv/a' });
 * await pool.close();
 * ```
 */
export class Http2Pool {
  readonly #origin: string;
  readonly #maxSessions: number;
  readonly #maxStreams: number;
  readonly #maxQueue: number;
  readonly #timeoutMs: number;
  readonly #connectTimeoutMs: number;
  readonly #idleTimeoutMs: number;
  readonly #maxRetries: number;
  readonly #maxResponse: number;
  readonly #connectOptions: Http2PoolOptions['connectOptions'];
  readonly #onComplete: ((event: Http2RequestEvent) => void) | null;
  /** Sessions in creation order; dispatch is first-fit, so load packs onto the oldest. */
  #sessions: Session[] = [];
  readonly #queue = new Denque<Exchange>();
  /** Queued exchanges not yet settled (the deque drops settled ones lazily). */
  #queued = 0;
  /** Stream limit seen on the last session that sent SETTINGS; 0 until one has. */
  #knownLimit = 0;
  /** close() called: no new requests; queued and in-flight ones still finish. */
  #closing = false;
  /** destroy() called: everything fails, nothing reconnects. */
  #destroyed = false;
  #idleWaiters: (() => void)[] = [];
  #active = 0;
  #opened = 0;
  #completed = 0;
  #failed = 0;
  #retried = 0;
  #goaways = 0;
  // The shared listeners, made once per pool in the constructor (see TaggedStream).
  readonly #onResponse: (this: TaggedStream, headers: IncomingHttpHeaders) => void;
  readonly #onData: (this: TaggedStream, chunk: Buffer) => void;
  readonly #onEnd: (this: TaggedStream) => void;
  readonly #onClose: (this: TaggedStream) => void;
  readonly #onTimeout = (ex: Exchange): void => {
    this.#cancel(ex, new TimeoutError(ex.timeoutMs, 'HTTP/2 request'));
  };

  constructor(origin: string | URL, options: Http2PoolOptions = {}) {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new TypeError(
        `Expected \`origin\` to be an http: or https: URL, got ${describe(origin)}`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(
        `Expected \`origin\` to be an http: or https: URL, got ${describe(String(origin))}`,
      );
    }
    this.#origin = url.origin;
    this.#maxSessions = check.integer('maxSessions', options.maxSessions ?? 4, 1);
    this.#maxStreams = check.integer(
      'maxStreamsPerSession',
      options.maxStreamsPerSession ?? Number.POSITIVE_INFINITY,
      1,
      true,
    );
    this.#maxQueue = check.integer(
      'maxQueue',
      options.maxQueue ?? Number.POSITIVE_INFINITY,
      1, // a first request must be able to wait for its session to connect
      true,
    );
    this.#timeoutMs = check.number('timeoutMs', options.timeoutMs ?? 30_000, 1, true);
    this.#connectTimeoutMs = check.number(
      'connectTimeoutMs',
      options.connectTimeoutMs ?? 10_000,
      1,
    );
    this.#idleTimeoutMs = check.number('idleTimeoutMs', options.idleTimeoutMs ?? 30_000, 1);
    this.#maxRetries = check.integer('maxRetries', options.maxRetries ?? 2, 0);
    this.#maxResponse = check.integer(
      'maxResponseBytes',
      options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE,
      0,
    );
    this.#connectOptions = options.connectOptions;
    this.#onComplete =
      options.onComplete === undefined ? null : check.func('onComplete', options.onComplete);
    const pool = this;
    this.#onResponse = function (this: TaggedStream, headers: IncomingHttpHeaders): void {
      const ex = this[EXCHANGE];
      ex.status = Number(headers[':status'] ?? 0);
      ex.responseHeaders = headers;
      if (ex.asStream && !ex.settled) pool.#settleStream(ex, this);
    };
    this.#onData = function (this: TaggedStream, chunk: Buffer): void {
      pool.#data(this[EXCHANGE], this, chunk);
    };
    this.#onEnd = function (this: TaggedStream): void {
      // Node also ends the readable side when the connection drops (then the stream is already
      // destroyed with CANCEL): only an end with a response on a live stream is a complete
      // body; anything else is classified in #close, so a truncated body is never returned.
      if (this[EXCHANGE].responseHeaders !== null && !this.destroyed) {
        pool.#end(this[EXCHANGE], this);
      }
    };
    this.#onClose = function (this: TaggedStream): void {
      pool.#close(this[EXCHANGE], this);
    };
  }

  /** The origin (`scheme://host:port`) this pool talks to. */
  get origin(): string {
    return this.#origin;
  }

  /** Sends a request and resolves with the status, headers and the whole body as a Buffer. */
  request(options: Http2RequestOptions = {}): Promise<Http2Response> {
    return this.#start(options, false);
  }

  /**
   * Sends a request and resolves as soon as the response headers arrive; the body is a
   * Readable (destroy it to cancel the stream). The timeout covers the wait for headers.
   */
  stream(options: Http2RequestOptions = {}): Promise<Http2StreamResponse> {
    return this.#start(options, true);
  }

  /** A snapshot of the counters. */
  stats(): Http2PoolStats {
    return {
      sessions: this.#sessions.length,
      active: this.#active,
      queued: this.#queued,
      sessionsOpened: this.#opened,
      completed: this.#completed,
      failed: this.#failed,
      retried: this.#retried,
      goaways: this.#goaways,
    };
  }

  /**
   * Stops taking requests (`PERF_NET_CLOSED`), lets queued and in-flight ones finish, then
   * closes every session gracefully.
   */
  async close(): Promise<void> {
    this.#closing = true;
    if (this.#queued > 0 || this.#active > 0) {
      await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    }
    await Promise.all(
      this.#sessions.map(
        (s) =>
          new Promise<void>((resolve) => (s.h2.closed ? resolve() : s.h2.close(() => resolve()))),
      ),
    );
  }

  /** Fails every queued and in-flight request with `PERF_NET_CLOSED` and drops the sessions. */
  destroy(): void {
    this.#closing = true;
    this.#destroyed = true;
    const err = new ClosedError('Http2Pool');
    for (let ex = this.#queue.shift(); ex !== undefined; ex = this.#queue.shift()) {
      if (ex.settled) continue;
      ex.queued = false;
      this.#queued--;
      this.#fail(ex, err);
    }
    // In-flight streams fail with PERF_NET_CLOSED from their close handler.
    for (const s of [...this.#sessions]) s.h2.destroy();
  }

  #start<T>(options: Http2RequestOptions, asStream: boolean): Promise<T> {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`Expected \`options\` to be an object, got ${describe(options)}`);
    }
    const timeoutMs =
      options.timeoutMs === undefined
        ? this.#timeoutMs
        : check.number('timeoutMs', options.timeoutMs, 1, true);
    return new Promise<T>((resolve, reject) => {
      const ex = new Exchange(options, asStream, resolve as never, reject);
      if (this.#onComplete !== null) ex.startedAt = performance.now();
      if (this.#closing) {
        this.#fail(ex, new ClosedError('Http2Pool'));
        return;
      }
      const signal = ex.signal;
      if (signal?.aborted) {
        this.#fail(ex, new AbortError(signal.reason));
        return;
      }
      // Fast path: nothing waits and a stream is free, so skip the queue (maxQueue counts only
      // requests that really wait, so maxQueue: 0 means "fail instead of waiting").
      const target = this.#queued === 0 ? this.#free() : undefined;
      if (target === undefined && this.#queued >= this.#maxQueue) {
        this.#fail(ex, new QueueFullError(this.#maxQueue));
        return;
      }
      if (timeoutMs !== Number.POSITIVE_INFINITY) {
        ex.timeoutMs = timeoutMs;
        ex.timer = setTimeout(this.#onTimeout, timeoutMs, ex);
      }
      if (signal) {
        ex.onAbort = () => this.#cancel(ex, new AbortError(signal.reason));
        signal.addEventListener('abort', ex.onAbort, { once: true });
      }
      if (target !== undefined) {
        this.#dispatch(ex, target);
        return;
      }
      this.#enqueue(ex, false);
      this.#pump();
    });
  }

  /** The first ready session with a free stream (first-fit packs load onto few sessions). */
  #free(): Session | undefined {
    const sessions = this.#sessions;
    for (let i = 0; i < sessions.length; i++) {
      const s = sessions[i]!;
      if (s.ready && !s.draining && s.active < s.limit) return s;
    }
    return undefined;
  }

  #enqueue(ex: Exchange, front: boolean): void {
    ex.queued = true;
    this.#queued++;
    if (front) this.#queue.unshift(ex);
    else this.#queue.push(ex);
  }

  /** Moves queued requests onto free streams, then opens sessions for what still waits. */
  #pump(): void {
    while (this.#queued > 0) {
      const target = this.#free();
      if (target === undefined) break;
      const ex = this.#queue.shift()!;
      if (ex.settled) continue; // timed out or aborted while queued; already counted out
      ex.queued = false;
      this.#queued--;
      this.#dispatch(ex, target);
    }
    if (this.#queued > 0) this.#grow();
  }

  /**
   * Opens sessions for the requests still queued: each opening session is expected to carry
   * the last known stream limit; while no limit is known yet, one session opens at a time.
   */
  #grow(): void {
    let usable = 0;
    let pendingCapacity = 0;
    for (const s of this.#sessions) {
      if (s.draining) continue;
      usable++;
      if (!s.ready) pendingCapacity += this.#knownLimit || Number.POSITIVE_INFINITY;
    }
    while (this.#queued > pendingCapacity && usable < this.#maxSessions && !this.#destroyed) {
      this.#open();
      usable++;
      pendingCapacity += this.#knownLimit || Number.POSITIVE_INFINITY;
    }
  }

  #open(): void {
    const h2 = connect(this.#origin, this.#connectOptions);
    const s = new Session(h2);
    this.#sessions.push(s);
    this.#opened++;
    s.connectTimer = setTimeout(() => {
      s.error = new TimeoutError(this.#connectTimeoutMs, 'HTTP/2 connect');
      h2.destroy();
    }, this.#connectTimeoutMs);
    h2.on('remoteSettings', (settings) => {
      const limit = Math.min(settings.maxConcurrentStreams ?? 2 ** 31 - 1, this.#maxStreams);
      s.limit = limit;
      this.#knownLimit = limit;
      if (!s.ready) {
        s.ready = true;
        clearTimeout(s.connectTimer);
        s.connectTimer = undefined;
        this.#idle(s);
      }
      this.#pump();
    });
    h2.on('goaway', (_code: number, lastStreamId: number) => {
      this.#goaways++;
      s.draining = true;
      s.lastStreamId = lastStreamId;
      this.#pump();
    });
    h2.on('error', (err) => {
      s.error = err;
    });
    h2.on('close', () => this.#onSessionClose(s));
  }

  #onSessionClose(s: Session): void {
    s.draining = true;
    clearTimeout(s.connectTimer);
    clearTimeout(s.idleTimer);
    this.#sessions = this.#sessions.filter((x) => x !== s);
    if (!s.ready) {
      // Never connected: if no other session can take the queue, fail it rather than loop.
      const alive = this.#sessions.some((x) => !x.draining);
      if (!alive && this.#queued > 0) {
        const cause = s.error;
        for (let ex = this.#queue.shift(); ex !== undefined; ex = this.#queue.shift()) {
          if (ex.settled) continue;
          this.#queued--;
          ex.queued = false;
          this.#fail(ex, new ConnectionError(this.#origin, 'could not connect', { cause }));
        }
      }
    }
    this.#pump();
    this.#checkIdle();
  }

  #dispatch(ex: Exchange, s: Session): void {
    ex.attempts++;
    ex.session = s;
    ex.status = 0;
    ex.responseHeaders = null;
    ex.chunks = [];
    ex.bytes = 0;
    if (s.active++ === 0) {
      clearTimeout(s.idleTimer);
      s.idleTimer = undefined;
      s.h2.ref();
    }
    this.#active++;
    let stream: TaggedStream;
    try {
      stream = s.h2.request(ex.headers, { endStream: ex.body === undefined }) as TaggedStream;
    } catch (err) {
      // The session went away between SETTINGS and now (GOAWAY, destroyed): never sent.
      s.draining = true;
      s.error = err;
      this.#release(ex);
      this.#unprocessed(ex, err);
      return;
    }
    ex.stream = stream;
    stream[EXCHANGE] = ex;
    stream.on('response', this.#onResponse);
    if (!ex.asStream) {
      stream.on('data', this.#onData);
      stream.on('end', this.#onEnd);
    }
    stream.on('close', this.#onClose);
    stream.on('error', ignore); // classified in onClose from rstCode and the session's state
    if (ex.streamBody) {
      // A failure of the body's own stream is recorded on the exchange (and fails it in
      // #close); the HTTP/2 stream closing first (a reset, an early response) is classified
      // there as any other close.
      pipeline(readBody(ex), stream).catch(ignore);
    } else if (ex.body !== undefined) {
      stream.end(ex.body);
    }
  }

  #settleStream(ex: Exchange, stream: ClientHttp2Stream): void {
    this.#completed++;
    this.#settle(ex);
    // The caller owns the body now: our error listener stays so a reset is not "unhandled"
    // twice, and the caller sees it through the stream's own 'error'/'close'.
    ex.resolve({ status: ex.status, headers: ex.responseHeaders ?? {}, body: stream } as never);
  }

  #data(ex: Exchange, stream: ClientHttp2Stream, chunk: Buffer): void {
    ex.bytes += chunk.length;
    if (ex.bytes > this.#maxResponse) {
      if (!ex.settled) this.#fail(ex, new PayloadTooLargeError(this.#maxResponse));
      stream.close(NGHTTP2_CANCEL);
      return;
    }
    ex.chunks.push(chunk);
  }

  #end(ex: Exchange, stream: ClientHttp2Stream): void {
    // Both sides have sent END_STREAM, so HTTP/2 already counts the stream as closed (nghttp2
    // has freed it); Node emits 'close' a tick later. Freeing the slot now lets the caller's
    // next request go out in this same tick, coalesced into one socket write with the others,
    // instead of waiting in the queue for the later 'close' (which showed as extra client CPU
    // per request when every session was at its stream limit).
    if (ex.stream === stream && stream.writableEnded) {
      ex.stream = null;
      this.#release(ex);
      if (this.#queued > 0) this.#pump();
    }
    if (ex.settled) return;
    const chunks = ex.chunks;
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, ex.bytes);
    ex.chunks = [];
    this.#completed++;
    this.#settle(ex);
    ex.resolve({ status: ex.status, headers: ex.responseHeaders ?? {}, body } as never);
  }

  /** Every stream ends here: frees its slot, then decides what its close meant. */
  #close(ex: Exchange, stream: ClientHttp2Stream): void {
    if (ex.stream === stream) {
      ex.stream = null;
      this.#release(ex);
    }
    if (ex.settled || ex.queued) {
      this.#pump();
      return;
    }
    if (ex.bodyError !== undefined) {
      this.#fail(ex, ex.bodyError);
      this.#pump();
      return;
    }
    const s = ex.session!;
    const id = stream.id;
    const rst = stream.rstCode ?? NGHTTP2_NO_ERROR;
    const neverProcessed =
      rst === NGHTTP2_REFUSED_STREAM ||
      id === undefined ||
      (s.lastStreamId >= 0 && id > s.lastStreamId);
    if (this.#destroyed) {
      this.#fail(ex, new ClosedError('Http2Pool'));
    } else if (neverProcessed && ex.responseHeaders === null) {
      this.#unprocessed(ex, s.error);
    } else if (rst !== NGHTTP2_NO_ERROR && rst !== NGHTTP2_CANCEL) {
      // The server reset a stream it had started on: its answer, not a transport failure.
      this.#fail(ex, new StreamResetError(rst));
    } else if (ex.retry) {
      // No complete response and no reset code: the connection went (EOF, socket error,
      // session destroyed). The server may have processed it, so only retryable ones go again
      // (a partial body was never shown to the caller: buffered mode settles only at the end).
      this.#requeue(ex, s.error);
    } else {
      this.#fail(
        ex,
        new ConnectionError(this.#origin, 'connection lost mid-request', { cause: s.error }),
      );
    }
    this.#pump();
  }

  #release(ex: Exchange): void {
    const s = ex.session!;
    this.#active--;
    if (--s.active === 0) this.#idle(s);
    this.#checkIdle();
  }

  #idle(s: Session): void {
    if (s.active !== 0 || s.draining) return;
    // An idle session must not keep the process alive, and goes away after idleTimeoutMs.
    s.h2.unref();
    clearTimeout(s.idleTimer);
    s.idleTimer = setTimeout(() => {
      s.draining = true;
      s.h2.close();
    }, this.#idleTimeoutMs);
    s.idleTimer.unref();
  }

  /** A request the server never saw: re-send (counts toward maxRetries). */
  #unprocessed(ex: Exchange, cause: unknown): void {
    this.#requeue(ex, cause);
    this.#pump();
  }

  #requeue(ex: Exchange, cause: unknown): void {
    if (this.#destroyed) {
      this.#fail(ex, new ClosedError('Http2Pool'));
    } else if (ex.streamBody) {
      this.#fail(
        ex,
        new ConnectionError(this.#origin, 'a streamed request body cannot be sent twice', {
          cause,
        }),
      );
    } else if (ex.attempts > this.#maxRetries) {
      this.#fail(
        ex,
        new ConnectionError(this.#origin, `gave up after ${ex.attempts} attempts`, { cause }),
      );
    } else {
      this.#retried++;
      this.#enqueue(ex, true);
    }
  }

  /** Timeout or abort: leave the queue or reset the stream, and fail the request. */
  #cancel(ex: Exchange, err: Error): void {
    if (ex.settled) return;
    if (ex.queued) {
      ex.queued = false;
      this.#queued--;
    }
    const stream = ex.stream;
    this.#fail(ex, err);
    if (stream && !stream.closed) stream.close(NGHTTP2_CANCEL);
    this.#checkIdle();
  }

  #fail(ex: Exchange, err: unknown): void {
    this.#failed++;
    this.#settle(ex, err);
    ex.reject(err);
  }

  #settle(ex: Exchange, error: unknown = undefined): void {
    ex.settled = true;
    if (ex.timer !== undefined) clearTimeout(ex.timer);
    if (ex.onAbort) ex.signal!.removeEventListener('abort', ex.onAbort);
    if (this.#onComplete !== null) this.#report(ex, error);
  }

  #report(ex: Exchange, error: unknown): void {
    try {
      this.#onComplete!({
        method: ex.method,
        path: String(ex.headers[':path']),
        status: error === undefined ? ex.status : 0,
        durationMs: performance.now() - ex.startedAt,
        attempts: ex.attempts,
        error,
      });
    } catch {
      // An observer must not break the request it observes.
    }
  }

  #checkIdle(): void {
    if (this.#idleWaiters.length === 0 || this.#queued > 0 || this.#active > 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }
}
