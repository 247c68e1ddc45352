/**
 * One listening port, two protocols. HTTP/2 is spoken with prior knowledge (h2c): a client's
 * first bytes are the 24-byte connection preface `PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n`. Anything
 * else is HTTP/1.1 (browsers, curl without --http2-prior-knowledge, autocannon). We read the
 * first bytes of each socket, waiting until they either match the whole preface or stop matching
 * it (a first segment of just `P` could be either), and hand the socket to the matching server.
 *
 *   net.Server ──first bytes──┬── the 24-byte preface ──> http2 server ('stream' API)
 *                             └── anything else ───────> http server (keep-alive)
 *
 * Requests are normalised into a small `Req` (method, path, query, headers, body Buffer) and the
 * handler returns a `Res`; bodies are read fully up to a byte limit before dispatch, so a route
 * never sees a half-read or oversized body.
 *
 * What a hostile or overloaded client meets here (every limit is a flag, see config.ts):
 * - a socket that sends nothing, headers that drip, a body that never ends, a keep-alive socket
 *   left idle: each is closed after its timeout (a body gets 408 first);
 * - more than `maxConnections` open sockets: the new one is answered 503 + `Connection: close`
 *   (HTTP/1.1) or GOAWAY (HTTP/2), and closed, before file descriptors run out;
 * - a client that does not read: responses are produced chunk by chunk only while the socket or
 *   stream is writable, at most `maxSessionBufferBytes` per HTTP/2 session (and
 *   `maxBufferedBytes` in all) are in flight, and a response that makes no progress for
 *   `stallTimeoutMs` is reset;
 * - overload: a CoDel-style controller (see `#control`) answers new requests 503 with
 *   `Retry-After` while requests queue longer than `shedTargetMs`, and every request still
 *   unanswered after `requestTimeoutMs` gets 503 `timeout`.
 */
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { ObjectPool } from '@perf/pool';
import { FORWARDED } from '../forwarding.js';
import { errorResponse, HttpError } from './errors.js';
import { type Handler, jsonError, type Req, type Res } from './message.js';

export interface HttpOptions {
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** A request that has not been answered within this many milliseconds gets a 503. */
  requestTimeoutMs: number;
  /** HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS advertised to clients. */
  maxConcurrentStreams: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  idleTimeoutMs: number;
  maxConnections: number;
  maxSessionBufferBytes: number;
  maxBufferedBytes: number;
  stallTimeoutMs: number;
  shedTargetMs: number;
}

/** The HTTP/2 connection preface (RFC 9113 §3.4). */
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/**
 * One request in flight. Cheap on purpose — the hot path allocates no AbortController and no
 * timer per request: a single sweeper answers overdue requests with 503 (see `#sweep`).
 * Records are recycled through a @perf/pool ObjectPool; their fields are small integers and
 * references only, the kind V8 stores without boxing (a double field allocates on writes once
 * it has held anything but a number, or in unoptimised code — see @perf/pool's README), and
 * `epoch` tells a recycled record from the one a late callback still holds.
 */
class Pending {
  /** performance.now() at arrival, whole milliseconds (the sweeper's resolution is 20 ms). */
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
    readonly remoteAddress: string | undefined,
  ) {}
  get query(): URLSearchParams {
    this.#query ??= new URLSearchParams(this.rawQuery);
    return this.#query;
  }
}

/**
 * Bytes of responses produced but not yet taken by the client's socket. `add` never blocks (a
 * body that already exists is counted as it is sent); `room()` resolves once the total is under
 * the limit, so a streamed response produces its next chunk only then.
 */
class Budget {
  used = 0;
  /** performance.now() of the last release: a session with bytes out and none for long is stalled. */
  lastProgress = performance.now();
  readonly #max: number;
  readonly #parent: Budget | undefined;
  #waiters: (() => void)[] = [];
  constructor(max: number, parent?: Budget) {
    this.#max = max;
    this.#parent = parent;
  }
  hasRoom(): boolean {
    return this.used < this.#max && (this.#parent?.hasRoom() ?? true);
  }
  add(n: number): void {
    this.used += n;
    if (this.#parent) this.#parent.add(n);
  }
  release(n: number): void {
    this.used -= n;
    this.lastProgress = performance.now();
    if (this.#parent) this.#parent.release(n);
    if (this.#waiters.length > 0 && this.used < this.#max) {
      const w = this.#waiters;
      this.#waiters = [];
      for (const f of w) f();
    }
  }
  /** Resolves when there is room (here and in the parent). */
  async room(): Promise<void> {
    while (!this.hasRoom()) {
      const target: Budget = this.used >= this.#max ? this : this.#parent!;
      await new Promise<void>((r) => target.#waiters.push(r));
    }
  }
}

const EMPTY = Buffer.alloc(0);
/** Cheap operator routes that are never shed. */
const UNSHED = new Set(['/health', '/metrics', '/stats']);
const SWEEP_MS = 20;
/** CoDel's interval: the queueing delay must stay above target this long before shedding. */
const SHED_INTERVAL_MS = 100;
/**
 * Response-buffer bytes an HTTP/2 stream holds from its admission to its close, on top of the
 * bytes it actually sends: it caps the streams of one session being served at once to
 * maxSessionBufferBytes / 64 KiB (128 at the 8 MiB default).
 */
const STREAM_ALLOWANCE = 64 << 10;
/**
 * Buffer room a streamed response takes before producing its next chunk (about one storage
 * page, which is what producing a chunk may read): with the 8 MiB session default, at most 8
 * of a session's streams fetch at once.
 */
const PRODUCE_RESERVE = 1 << 20;
/** How much the shed share moves per interval, and its ceiling. */
const SHED_STEP = 0.1;
const SHED_MAX = 0.9;
/** Arrivals per interval below which no delay is taken for a queue. */
const SHED_MIN_ARRIVALS = 16;
/** How long after a refusal (over the connection cap) the socket is destroyed regardless. */
const REFUSE_LINGER_MS = 1_000;

export class HttpFront {
  readonly #h1: http.Server;
  readonly #h2: http2.Http2Server;
  readonly #tcp: net.Server;
  readonly #sockets = new Set<net.Socket>();
  readonly #sessions = new Set<http2.ServerHttp2Session>();
  /**
   * Per session: `admit` counts STREAM_ALLOWANCE per stream being served (how many streams run
   * at once); `bytes` counts response bytes produced and not yet taken by the client.
   */
  readonly #budgets = new WeakMap<http2.ServerHttp2Session, { admit: Budget; bytes: Budget }>();
  readonly #global: Budget;
  /** Releases a stream's admission allowance (an event stream gives it back when it starts). */
  readonly #allowances = new WeakMap<http2.ServerHttp2Stream, () => void>();
  /** Sockets over the connection cap: refused once their protocol is known. */
  readonly #refused = new WeakSet<net.Socket>();
  readonly #handler: Handler;
  readonly #opts: HttpOptions;
  /** Requests not answered yet (streams excluded once they start), in arrival order. */
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
  /** True while a refused socket is handed to the http2 server (see #dispatchSocket). */
  #refusing = false;
  // Load-shedding controller state (see #control).
  #lastSweep = performance.now();
  #maxLag = 0;
  #minSojourn = Number.POSITIVE_INFINITY;
  #intervalStart = performance.now();
  #aboveSince = -1;
  #shedding = false;
  /** Share of new requests shed, 0 to SHED_MAX. */
  #shedShare = 0;
  #shedCredit = 0;
  /** Requests that arrived in the current interval. */
  #arrivals = 0;
  /** Counters for /stats. */
  readonly counters = { shed: 0, timeouts: 0, refused: 0, stalled: 0, served: 0 };

  constructor(handler: Handler, opts: HttpOptions) {
    this.#handler = handler;
    this.#opts = opts;
    this.#global = new Budget(opts.maxBufferedBytes);
    this.#h1 = http.createServer(
      {
        keepAlive: true,
        // The whole request (headers and body) must arrive in time; Node answers 408 and
        // closes the socket otherwise. Checked every `connectionsCheckingInterval` ms.
        headersTimeout: opts.headersTimeoutMs,
        requestTimeout: opts.headersTimeoutMs + opts.bodyTimeoutMs,
        connectionsCheckingInterval: Math.max(
          50,
          Math.min(1_000, opts.headersTimeoutMs / 4, opts.bodyTimeoutMs / 4),
        ),
      },
      (req, res) => this.#onH1(req, res),
    );
    this.#h1.keepAliveTimeout = opts.idleTimeoutMs;
    // This server never listens itself (sockets are handed to it), and Node starts checking
    // headersTimeout/requestTimeout on 'listening': start it so.
    this.#h1.emit('listening');
    this.#h2 = http2.createServer({
      settings: { maxConcurrentStreams: opts.maxConcurrentStreams },
      maxSessionMemory: 64,
    });
    this.#h2.on('stream', (stream, headers, flags) => this.#onH2(stream, headers, flags));
    this.#h2.on('session', (s) => this.#onSession(s));
    this.#tcp = net.createServer((socket) => this.#route(socket));
    // A backstop beyond the refusal path: the kernel-level accept is cut off here.
    this.#tcp.maxConnections = opts.maxConnections * 2 + 16;
    this.#sweeper = setInterval(() => this.#sweep(), SWEEP_MS);
    this.#sweeper.unref();
  }

  /** True while new requests are being shed. */
  get shedding(): boolean {
    return this.#shedding;
  }

  /** Response bytes in flight, all connections together. */
  get bufferedBytes(): number {
    return this.#global.used;
  }

  get connections(): number {
    return this.#sockets.size;
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
    this.#h1.close();
    await closed;
  }

  #route(socket: net.Socket): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setNoDelay(true);
    if (this.#sockets.size > this.#opts.maxConnections) this.#refused.add(socket);
    // Until the protocol is known, a socket that sends nothing is closed after the idle timeout.
    socket.setTimeout(this.#opts.idleTimeoutMs, () => socket.destroy());
    let head: Buffer = EMPTY;
    const onReadable = (): void => {
      let chunk: Buffer | null;
      while ((chunk = socket.read()) !== null)
        head = head.length ? Buffer.concat([head, chunk]) : chunk;
      const n = Math.min(head.length, PREFACE.length);
      const prefixOfPreface = head.subarray(0, n).equals(PREFACE.subarray(0, n));
      // A proper prefix of the preface: wait for more bytes (a first segment of just "P").
      if (prefixOfPreface && head.length < PREFACE.length) return;
      socket.off('readable', onReadable);
      socket.setTimeout(0);
      socket.unshift(head);
      this.#dispatchSocket(socket, prefixOfPreface);
    };
    socket.on('readable', onReadable);
    socket.once('end', () => {
      if (head.length === 0 || socket.listenerCount('readable') > 0) socket.destroy();
    });
  }

  #dispatchSocket(socket: net.Socket, isH2: boolean): void {
    if (!this.#refused.has(socket)) {
      (isH2 ? this.#h2 : this.#h1).emit('connection', socket);
      return;
    }
    this.counters.refused++;
    setTimeout(() => socket.destroy(), REFUSE_LINGER_MS).unref();
    if (isH2) {
      // The http2 server creates the session synchronously: #onSession sees the flag and sends
      // GOAWAY before any stream is served.
      this.#refusing = true;
      try {
        this.#h2.emit('connection', socket);
      } finally {
        this.#refusing = false;
      }
      return;
    }
    const body = JSON.stringify({ error: 'overloaded', message: 'too many open connections' });
    socket.end(
      'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\n' +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }

  #onSession(s: http2.ServerHttp2Session): void {
    this.#sessions.add(s);
    s.on('close', () => this.#sessions.delete(s));
    s.on('error', () => {});
    if (this.#refusing) {
      s.goaway(http2.constants.NGHTTP2_REFUSED_STREAM);
      s.close();
      return;
    }
    this.#budgets.set(s, {
      admit: new Budget(this.#opts.maxSessionBufferBytes),
      bytes: new Budget(this.#opts.maxSessionBufferBytes, this.#global),
    });
    // No frame either way for this long (no request, no response progress): close it.
    s.setTimeout(this.#opts.idleTimeoutMs, () => {
      s.goaway(http2.constants.NGHTTP2_NO_ERROR);
      s.destroy();
    });
  }

  /** Answers every request older than the timeout with 503, and runs the shedding controller. */
  #sweep(): void {
    const now = performance.now();
    const lag = Math.max(0, now - this.#lastSweep - SWEEP_MS);
    this.#lastSweep = now;
    if (lag > this.#maxLag) this.#maxLag = lag;
    const limit = now - this.#opts.requestTimeoutMs;
    let oldestAge = 0;
    for (const p of this.#pending) {
      if (oldestAge === 0) oldestAge = now - p.startedMs;
      if (p.startedMs > limit) break; // arrival order: the rest are younger
      this.counters.timeouts++;
      const res = jsonError(503, 'timeout', `no answer within ${this.#opts.requestTimeoutMs} ms`);
      res.headers = { ...res.headers, 'retry-after': 1 };
      this.#finish(p, p.epoch, res);
    }
    if (now - this.#intervalStart >= SHED_INTERVAL_MS) {
      this.#control(now, oldestAge);
      this.#resetStalled(now);
    }
  }

  /**
   * A session holding response bytes that its client has not taken for the stall timeout (it
   * stopped reading, or keeps its window shut) is closed: its streams are reset with CANCEL and
   * everything they buffered is freed. Per-response timers catch the same for streamed bodies
   * sooner; this also catches small bodies that never drain.
   */
  #resetStalled(now: number): void {
    const limit = this.#opts.stallTimeoutMs;
    for (const s of this.#sessions) {
      const b = this.#budgets.get(s)?.bytes;
      if (b === undefined || b.used === 0 || now - b.lastProgress < limit) continue;
      this.counters.stalled++;
      s.destroy(undefined, http2.constants.NGHTTP2_CANCEL);
    }
  }

  /**
   * The shedding decision, once per interval, after CoDel (Nichols & Jacobson, "Controlling
   * Queue Delay", 2012): the signal is the smallest queueing delay seen over the interval —
   * the event loop's lag (requests waiting to be read) or the quickest answer's time in the
   * server, whichever is larger, counted when at least SHED_MIN_ARRIVALS requests arrived in
   * the interval — so one slow request does not trigger it, a standing queue does.
   * Above `shedTargetMs` for a whole interval, the share of new requests shed grows by
   * SHED_STEP per interval (up to SHED_MAX); at or below it, it shrinks by the same step. A
   * share, not all: shedding everything starves the served rate to nothing when the delay
   * comes from CPU starvation rather than from the queue (measured on this shared machine).
   */
  #control(now: number, oldestAge: number): void {
    const sojourn = Number.isFinite(this.#minSojourn) ? this.#minSojourn : oldestAge;
    // A delay is a queue only when requests are arriving behind it: a sequential client whose
    // large requests each take long (or block the loop) is not an overload.
    const delay = this.#arrivals >= SHED_MIN_ARRIVALS ? Math.max(this.#maxLag, sojourn) : 0;
    this.#arrivals = 0;
    this.#maxLag = 0;
    this.#minSojourn = Number.POSITIVE_INFINITY;
    this.#intervalStart = now;
    if (delay <= this.#opts.shedTargetMs) {
      this.#aboveSince = -1;
      this.#shedShare = Math.max(0, this.#shedShare - SHED_STEP);
    } else if (this.#aboveSince < 0) this.#aboveSince = now;
    else if (now - this.#aboveSince >= SHED_INTERVAL_MS) {
      this.#shedShare = Math.min(SHED_MAX, this.#shedShare + SHED_STEP);
    }
    this.#shedding = this.#shedShare > 0;
  }

  /** Whether to shed this arrival: spreads the shed share evenly (no randomness). */
  #shedThis(): boolean {
    this.#shedCredit += this.#shedShare;
    if (this.#shedCredit < 1) return false;
    this.#shedCredit -= 1;
    return true;
  }

  /** Sends `res` unless the request was already answered (`epoch` moved on when it was). */
  #finish(p: Pending, epoch: number, res: Res): void {
    if (p.epoch !== epoch) return;
    p.epoch++; // answered: a late callback holding the old epoch now does nothing
    this.#pending.delete(p);
    const sojourn = performance.now() - p.startedMs;
    if (sojourn < this.#minSojourn) this.#minSojourn = sojourn;
    this.counters.served++;
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
    if (out.status === 408) {
      // The body never arrived in full: answer, then drop the connection and what it buffered.
      res.shouldKeepAlive = false;
      res.once('finish', () => res.socket?.destroy());
    }
    if (out.chunks) {
      void this.#pump(
        res,
        out.chunks,
        undefined,
        () => res.writeHead(out.status, out.headers),
        (err) => {
          const e = errorResponse(err);
          res.writeHead(e.status, e.headers);
          res.end(e.body);
        },
        () => res.destroy(),
      );
      return;
    }
    res.writeHead(out.status, out.headers);
    this.#sendBody(res, out.body, undefined, () => res.destroy());
  }

  #sendH2(stream: http2.ServerHttp2Stream, out: Res): void {
    if (stream.destroyed || stream.closed) return;
    const respond = (r: Res) => {
      // A streamed body answers later: the client may have reset the stream meanwhile.
      if (stream.destroyed || stream.closed || stream.headersSent) return;
      stream.respond(r.headers ? { ':status': r.status, ...r.headers } : { ':status': r.status });
    };
    const budget = this.#budgets.get(stream.session as http2.ServerHttp2Session)?.bytes;
    if (out.chunks) {
      void this.#pump(
        stream,
        out.chunks,
        budget,
        () => respond(out),
        (err) => {
          const e = errorResponse(err);
          respond(e);
          stream.end(e.body);
        },
        () => {
          this.counters.stalled++;
          stream.close(http2.constants.NGHTTP2_CANCEL);
        },
      );
      return;
    }
    respond(out);
    if (out.stream) {
      // An event stream stays open for good: it must not hold the session's buffer room.
      this.#allowances.get(stream)?.();
      this.#openStream(
        out,
        stream,
        (c) => stream.write(c),
        () => stream.end(),
      );
      return;
    }
    const reset = () => {
      this.counters.stalled++;
      stream.close(http2.constants.NGHTTP2_CANCEL);
    };
    this.#sendBody(stream, out.body, budget, reset);
    if (out.status === 408 && !stream.closed) stream.close(http2.constants.NGHTTP2_NO_ERROR);
  }

  /** A body that already exists: counted while unsent; reset if the client stops reading. */
  #sendBody(
    w: Writable,
    body: Buffer | string | undefined,
    budget: Budget | undefined,
    reset: () => void,
  ): void {
    if (body === undefined || body.length === 0) {
      w.end();
      return;
    }
    const n = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    const b = budget ?? this.#global;
    b.add(n);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      b.release(n);
    };
    w.once('close', release);
    // One end(body): a write() then end() costs HTTP/2 a second (empty) DATA frame.
    w.end(body, release);
    if (w.writableNeedDrain) this.#watchStall(w, reset);
  }

  /** Resets `w` when it makes no progress (no drain, no finish) for the stall timeout. */
  #watchStall(w: Writable, reset: () => void): void {
    const timer = setTimeout(() => {
      if (!w.writableFinished && !w.destroyed) reset();
    }, this.#opts.stallTimeoutMs);
    timer.unref();
    const clear = () => clearTimeout(timer);
    w.once('finish', clear);
    w.once('close', clear);
    w.on('drain', () => timer.refresh());
  }

  /**
   * A streamed body: the next chunk is produced only when the session (and the process) has
   * room for it — PRODUCE_RESERVE is taken before asking for it, so concurrent streams cannot
   * all start fetching at once — and the socket or stream is writable, with a turn of the event
   * loop between chunks. The status line goes out with the first chunk, so a failure before it
   * is still answered with its own status. No progress for the stall timeout resets the response.
   */
  async #pump(
    w: Writable,
    chunks: () => AsyncIterable<Buffer | string>,
    budget: Budget | undefined,
    head: () => void,
    fail: (err: unknown) => void,
    reset: () => void,
  ): Promise<void> {
    const b = budget ?? this.#global;
    let stalled = false;
    let outstanding = 0;
    const timer = setTimeout(() => {
      stalled = true;
      if (!w.destroyed) reset();
    }, this.#opts.stallTimeoutMs);
    timer.unref();
    const closed = new Promise<void>((r) =>
      w.once('close', () => {
        b.release(outstanding);
        outstanding = 0;
        r();
      }),
    );
    let started = false;
    let it: AsyncIterator<Buffer | string> | undefined;
    try {
      it = chunks()[Symbol.asyncIterator]();
      for (;;) {
        while (!b.hasRoom() && !stalled && !w.destroyed) await Promise.race([b.room(), closed]);
        if (stalled || w.destroyed) return;
        b.add(PRODUCE_RESERVE);
        let step: IteratorResult<Buffer | string>;
        try {
          step = await it.next();
        } finally {
          b.release(PRODUCE_RESERVE);
        }
        if (step.done) break;
        if (w.destroyed) return;
        const value = step.value;
        const n = typeof value === 'string' ? Buffer.byteLength(value) : value.length;
        b.add(n);
        outstanding += n;
        if (!started) {
          started = true;
          head();
        }
        const flowing = w.write(value, () => {
          if (outstanding < n) return; // already released on close
          outstanding -= n;
          timer.refresh();
          b.release(n);
        });
        if (!flowing) await Promise.race([new Promise((r) => w.once('drain', r)), closed]);
        await yieldToLoop();
      }
      if (!started) head();
      w.end();
    } catch (err) {
      if (!started) fail(err);
      else {
        console.error('perf-kv: streamed response failed', err);
        reset();
      }
    } finally {
      clearTimeout(timer);
      if (w.destroyed || stalled) await it?.return?.();
    }
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
      req.socket.remoteAddress,
    );
    if (!hasBody) req.resume();
  }

  #onH2(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, flags: number): void {
    stream.on('error', () => {});
    const budget = this.#budgets.get(stream.session as http2.ServerHttp2Session)?.admit;
    if (budget === undefined) this.#serveH2(stream, headers, flags);
    else this.#admitH2(stream, budget, () => this.#serveH2(stream, headers, flags));
  }

  /**
   * A stream is served only while its session has response-buffer room, and holds
   * STREAM_ALLOWANCE of it until it closes: a session whose client stops reading stops being
   * served (its new streams wait, then are reset after the stall timeout), so it cannot make
   * the server fetch and encode responses nobody reads.
   */
  #admitH2(stream: http2.ServerHttp2Stream, budget: Budget, go: () => void): void {
    if (budget.hasRoom()) {
      budget.add(STREAM_ALLOWANCE);
      let held = true;
      const release = () => {
        if (!held) return;
        held = false;
        budget.release(STREAM_ALLOWANCE);
      };
      this.#allowances.set(stream, release);
      stream.once('close', release);
      go();
      return;
    }
    const timer = setTimeout(() => {
      this.counters.stalled++;
      if (!stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
    }, this.#opts.stallTimeoutMs);
    timer.unref();
    const closed = new Promise<void>((r) => stream.once('close', () => r()));
    void Promise.race([budget.room(), closed]).then(() => {
      clearTimeout(timer);
      if (!stream.closed && !stream.destroyed) this.#admitH2(stream, budget, go);
    });
  }

  #serveH2(
    stream: http2.ServerHttp2Stream,
    headers: http2.IncomingHttpHeaders,
    flags: number,
  ): void {
    const p = this.#records.acquire();
    p.startedMs = performance.now() | 0;
    p.h2 = stream;
    // END_STREAM on the HEADERS frame: no body follows, so don't wait for one.
    const hasBody = (flags & http2.constants.NGHTTP2_FLAG_END_STREAM) === 0;
    const method = (headers[':method'] as string) ?? 'GET';
    const url = (headers[':path'] as string) ?? '/';
    // HTTP/2 carries the host in :authority; routes read `host` for both protocols.
    if (headers.host === undefined && headers[':authority'] !== undefined) {
      headers.host = headers[':authority'] as string;
    }
    this.#serve(
      p,
      hasBody ? stream : undefined,
      method,
      url,
      headers,
      'h2',
      stream.session?.socket?.remoteAddress,
    );
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
    remoteAddress: string | undefined,
  ): void {
    this.#pending.add(p);
    this.#arrivals++;
    const epoch = p.epoch;
    if (
      this.#shedding &&
      !UNSHED.has(url) &&
      headers[FORWARDED] === undefined &&
      this.#shedThis()
    ) {
      // Overloaded: refuse at once, before reading the body or touching storage. A request a
      // peer forwards was admitted there already (its signature is checked by the routes);
      // health and metrics stay answered, so the overload can be watched.
      this.counters.shed++;
      const res = jsonError(503, 'overloaded', 'server is overloaded, retry later');
      res.headers = { ...res.headers, 'retry-after': 1 };
      if (body) body.resume();
      this.#finish(p, epoch, res);
      return;
    }
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
          remoteAddress,
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
      readBody(body, this.#opts.maxBodyBytes, this.#opts.bodyTimeoutMs).then(
        dispatch,
        (err: unknown) => this.#finish(p, epoch, errorResponse(err)),
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

/** Reads a body up to `limit` bytes, within `timeoutMs`; past either, stops buffering it. */
function readBody(stream: Readable, limit: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (err: HttpError) => {
      clearTimeout(timer);
      stream.removeAllListeners('data');
      stream.resume();
      chunks.length = 0;
      reject(err);
    };
    const timer = setTimeout(
      () =>
        stop(
          new HttpError(408, 'body_timeout', `request body not received within ${timeoutMs} ms`),
        ),
      timeoutMs,
    );
    timer.unref();
    stream.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        stop(new HttpError(413, 'body_too_large', `request body exceeds ${limit} bytes`));
        return;
      }
      chunks.push(c);
    });
    stream.on('end', () => {
      clearTimeout(timer);
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    stream.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
