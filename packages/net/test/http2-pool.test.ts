import http2, { type ServerHttp2Stream } from 'node:http2';
import { buffer } from 'node:stream/consumers';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from './helpers/clock.js';
import { Http2Pool, type Http2PoolOptions } from '../src/index.js';
import {
  echo,
  type Handler,
  type ServerOptions,
  selfSigned,
  startServer,
  type TestServer,
} from './helpers/servers.js';

const { NGHTTP2_INTERNAL_ERROR, NGHTTP2_REFUSED_STREAM } = http2.constants;

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

function later(ms: number, handler: Handler): Handler {
  return (stream, headers) => {
    const t = setTimeout(() => {
      if (!stream.closed && !stream.destroyed) handler(stream, headers);
    }, ms);
    stream.on('close', () => clearTimeout(t));
  };
}

/** Counts, per `x-id`, how many times the server actually answered 200. */
function answering(server: () => TestServer, counts: Map<string, number>, delayMs = 0): Handler {
  const respond: Handler = (stream, headers) => {
    const id = String(headers['x-id']);
    counts.set(id, (counts.get(id) ?? 0) + 1);
    stream.respond({ ':status': 200 });
    stream.end(id);
  };
  void server;
  return delayMs > 0 ? later(delayMs, respond) : respond;
}

describe.each([
  ['h2c', false],
  ['TLS', true],
])('Http2Pool over %s', (_name, tls) => {
  async function setup(server: ServerOptions, options: Http2PoolOptions = {}) {
    const srv = await startServer({ ...server, tls });
    const pool = new Http2Pool(srv.origin, {
      ...options,
      connectOptions: tls ? { ca: selfSigned().cert } : {},
    });
    cleanups.push(async () => {
      pool.destroy();
      await srv.close();
    });
    return { srv, pool };
  }

  it('sends requests with bodies and headers and returns status, headers and body', async () => {
    const { pool } = await setup({
      handler: (stream, headers) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          stream.respond({
            ':status': 201,
            'x-method': String(headers[':method']),
            'x-echo': String(headers['x-echo']),
          });
          stream.end(Buffer.concat(chunks));
        });
      },
    });
    const res = await pool.request({
      method: 'post',
      path: '/p',
      headers: { 'x-echo': 'hi' },
      body: 'payload',
    });
    expect(res.status).toBe(201);
    expect(res.headers['x-method']).toBe('POST');
    expect(res.headers['x-echo']).toBe('hi');
    expect(res.body.toString()).toBe('payload');
    const empty = await pool.request({ method: 'PUT', body: new Uint8Array(0) });
    expect(empty.body.length).toBe(0);
  });

  it('streams a response body', async () => {
    const big = Buffer.alloc(1 << 20, 7);
    const { pool } = await setup({
      handler: (stream) => {
        stream.respond({ ':status': 200 });
        stream.end(big);
      },
    });
    const res = await pool.stream({ path: '/big' });
    expect(res.status).toBe(200);
    expect((await buffer(res.body)).equals(big)).toBe(true);
  });

  it('a burst of 30 against a server allowing 10 streams: 0 failures, 0 duplicates, 3 sessions', async () => {
    const counts = new Map<string, number>();
    let srv!: TestServer;
    const made = await setup(
      { maxConcurrentStreams: 10, handler: answering(() => srv, counts, 30) },
      { maxSessions: 8 },
    );
    srv = made.srv;
    const ids = Array.from({ length: 30 }, (_, i) => String(i));
    const res = await Promise.all(
      ids.map((id) => made.pool.request({ method: 'POST', headers: { 'x-id': id }, body: id })),
    );
    expect(res.map((r) => r.body.toString())).toEqual(ids);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(counts.size).toBe(30);
    expect(srv.sessions.length).toBe(3);
    expect(made.pool.stats()).toMatchObject({ sessionsOpened: 3, failed: 0, retried: 0 });
  });

  it('queues beyond maxSessions × the server limit and never exceeds it', async () => {
    const { srv, pool } = await setup(
      { maxConcurrentStreams: 5, handler: later(10, echo) },
      { maxSessions: 1 },
    );
    const res = await Promise.all(
      Array.from({ length: 40 }, (_, i) => pool.request({ path: `/${i}` })),
    );
    expect(res.every((r, i) => r.body.toString() === `/${i}`)).toBe(true);
    expect(srv.sessions.length).toBe(1);
    expect(srv.peak).toBe(5);
  });

  it('maxStreamsPerSession spreads load over more sessions', async () => {
    const { srv, pool } = await setup(
      { handler: later(20, echo) },
      { maxStreamsPerSession: 4, maxSessions: 3 },
    );
    await Promise.all(Array.from({ length: 12 }, (_, i) => pool.request({ path: `/${i}` })));
    expect(srv.sessions.length).toBe(3);
  });

  it('GOAWAY mid-burst: unprocessed requests are re-sent, none twice, none lost', async () => {
    const counts = new Map<string, number>();
    let goneAway = false;
    const respond = answering(() => srv, counts, 20);
    let srv!: TestServer;
    const made = await setup(
      {
        maxConcurrentStreams: 10,
        handler: (stream: ServerHttp2Stream, headers) => {
          const session = stream.session!;
          const last = (session as unknown as { lastProcessed?: number }).lastProcessed;
          if (last !== undefined && stream.id! > last) {
            stream.close(NGHTTP2_REFUSED_STREAM); // arrived after our GOAWAY: never processed
            return;
          }
          if (!goneAway && srv.seen.length === 5) {
            goneAway = true;
            (session as unknown as { lastProcessed?: number }).lastProcessed = stream.id!;
            session.goaway(0, stream.id!);
          }
          respond(stream, headers);
        },
      },
      { maxSessions: 4, maxRetries: 3 },
    );
    srv = made.srv;
    const ids = Array.from({ length: 30 }, (_, i) => String(i));
    const res = await Promise.all(
      ids.map((id) => made.pool.request({ method: 'POST', headers: { 'x-id': id } })),
    );
    expect(res.map((r) => r.body.toString())).toEqual(ids);
    expect(counts.size).toBe(30);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const stats = made.pool.stats();
    expect(stats.goaways).toBeGreaterThanOrEqual(1); // the server may send a second on close
    expect(stats.retried).toBeGreaterThan(0);
    expect(stats.failed).toBe(0);
  });

  it('REFUSED_STREAM is retried transparently; other resets fail with PERF_NET_STREAM_RESET', async () => {
    const counts = new Map<string, number>();
    let refused = 0;
    const respond = answering(() => srv, counts);
    let srv!: TestServer;
    const made = await setup({
      handler: (stream, headers) => {
        if (headers[':path'] === '/reset') {
          stream.close(NGHTTP2_INTERNAL_ERROR);
          return;
        }
        if (refused++ === 0) {
          stream.close(NGHTTP2_REFUSED_STREAM);
          return;
        }
        respond(stream, headers);
      },
    });
    srv = made.srv;
    const ok = await made.pool.request({ method: 'POST', headers: { 'x-id': 'once' } });
    expect(ok.body.toString()).toBe('once');
    expect(counts.get('once')).toBe(1);
    const err = await made.pool.request({ method: 'POST', path: '/reset' }).catch((e) => e);
    expect(err.code).toBe('PERF_NET_STREAM_RESET');
    expect(err.rstCode).toBe(NGHTTP2_INTERNAL_ERROR);
    expect((await made.pool.request({ method: 'POST', headers: { 'x-id': 'after' } })).status).toBe(
      200,
    );
  });

  it('a connection lost mid-request: idempotent ones are re-sent, POSTs fail unless retry: true', async () => {
    const counts = new Map<string, number>();
    let crashed = false;
    let srv!: TestServer;
    const respond = answering(() => srv, counts);
    const made = await setup({
      handler: (stream, headers) => {
        if (!crashed && srv.seen.length === 6) {
          crashed = true;
          // Crash: every connection drops without a response to anything in flight.
          setImmediate(() => {
            for (const s of srv.sessions) s.destroy();
          });
          return;
        }
        if (!crashed) return; // hold the first five until the crash
        respond(stream, headers);
      },
    });
    srv = made.srv;
    const pool = made.pool;
    const gets = [0, 1].map((i) => pool.request({ method: 'GET', headers: { 'x-id': `get${i}` } }));
    const posts = [0, 1].map((i) =>
      pool.request({ method: 'POST', headers: { 'x-id': `post${i}` } }).catch((e) => e),
    );
    const retryable = [0, 1].map((i) =>
      pool.request({ method: 'POST', headers: { 'x-id': `retry${i}` }, retry: true }),
    );
    expect((await Promise.all(gets)).map((r) => r.body.toString())).toEqual(['get0', 'get1']);
    expect((await Promise.all(retryable)).map((r) => r.body.toString())).toEqual([
      'retry0',
      'retry1',
    ]);
    for (const e of await Promise.all(posts)) expect(e.code).toBe('PERF_NET_CONNECTION');
    expect(counts.get('post0')).toBeUndefined();
    expect(counts.get('post1')).toBeUndefined();
    expect(pool.stats().sessionsOpened).toBe(2);
  });

  it('a dead server fails requests with PERF_NET_CONNECTION instead of hanging', async () => {
    const { srv, pool } = await setup({});
    expect((await pool.request()).status).toBe(200);
    await srv.close();
    const errs = await Promise.all(
      [pool.request(), pool.request({ method: 'POST' })].map((p) => p.catch((e) => e)),
    );
    for (const e of errs) expect(e.code).toBe('PERF_NET_CONNECTION');
    await eventually(() => expect(pool.stats().sessions).toBe(0));
  });

  it('times out a slow response with PERF_NET_TIMEOUT and cancels its stream', async () => {
    const { srv, pool } = await setup({
      handler: (stream, headers) => headers[':path'] !== '/slow' && echo(stream, headers),
    });
    const err = await pool.request({ path: '/slow', timeoutMs: 50 }).catch((e) => e);
    expect(err.code).toBe('PERF_NET_TIMEOUT');
    expect(err.timeoutMs).toBe(50);
    await eventually(() => expect(srv.open).toBe(0));
    expect((await pool.request({ path: '/fast' })).body.toString()).toBe('/fast');
    await eventually(() => expect(pool.stats().active).toBe(0));
  });

  it('aborts in flight, while queued and before start, with AbortError', async () => {
    const { srv, pool } = await setup(
      { maxConcurrentStreams: 1, handler: () => {} },
      { maxSessions: 1 },
    );
    const inflight = new AbortController();
    const first = pool.request({ path: '/hang', signal: inflight.signal }).catch((e) => e);
    const queued = new AbortController();
    const second = pool.request({ path: '/queued', signal: queued.signal }).catch((e) => e);
    await eventually(() => expect(srv.seen).toEqual(['/hang']));
    expect(pool.stats().queued).toBe(1);
    queued.abort(new Error('user left'));
    const e2 = await second;
    expect(e2.name).toBe('AbortError');
    expect(e2.code).toBe('PERF_NET_ABORTED');
    expect(e2.cause.message).toBe('user left');
    inflight.abort();
    expect((await first).code).toBe('PERF_NET_ABORTED');
    const pre = await pool.request({ signal: AbortSignal.abort() }).catch((e) => e);
    expect(pre.code).toBe('PERF_NET_ABORTED');
    await eventually(() => expect(srv.open).toBe(0));
    expect(srv.seen).toEqual(['/hang']);
  });

  it('rejects with PERF_NET_QUEUE_FULL beyond maxQueue', async () => {
    const { pool } = await setup(
      { maxConcurrentStreams: 1, handler: later(20, echo) },
      { maxSessions: 1, maxQueue: 2 },
    );
    const all = Array.from({ length: 5 }, (_, i) =>
      pool.request({ path: `/${i}` }).catch((e) => e),
    );
    const results = await Promise.all(all);
    const codes = results.map((r) => r.code ?? r.status);
    expect(codes.filter((c) => c === 'PERF_NET_QUEUE_FULL').length).toBeGreaterThan(0);
    expect(codes.filter((c) => c === 200).length).toBeGreaterThan(0);
  });

  it('maxQueue counts only requests that wait: free streams are used directly', async () => {
    const held: (() => void)[] = [];
    const { srv, pool } = await setup(
      {
        maxConcurrentStreams: 2,
        handler: (stream, headers) => held.push(() => echo(stream, headers)),
      },
      { maxSessions: 1, maxQueue: 1 },
    );
    const a = pool.request({ path: '/a' });
    await eventually(() => expect(srv.seen).toEqual(['/a']));
    const b = pool.request({ path: '/b' }); // a free stream: never queued
    const c = pool.request({ path: '/c' }); // waits: the one queue place
    const d = await pool.request({ path: '/d' }).catch((e) => e);
    expect(d.code).toBe('PERF_NET_QUEUE_FULL');
    const release = setInterval(() => {
      for (const answer of held.splice(0)) answer();
    }, 5);
    cleanups.push(() => clearInterval(release));
    expect((await Promise.all([a, b, c])).map((r) => r.body.toString())).toEqual([
      '/a',
      '/b',
      '/c',
    ]);
  });

  it('caps buffered responses with PERF_NET_PAYLOAD_TOO_LARGE', async () => {
    const { pool } = await setup(
      {
        handler: (stream) => {
          stream.respond({ ':status': 200 });
          stream.end(Buffer.alloc(100_000));
        },
      },
      { maxResponseBytes: 10_000 },
    );
    expect((await pool.request().catch((e) => e)).code).toBe('PERF_NET_PAYLOAD_TOO_LARGE');
  });

  it('never returns a truncated body: a crash mid-body fails a POST and re-sends a GET', async () => {
    let crashes = 0;
    const { pool } = await setup({
      handler: (stream, headers) => {
        stream.respond({ ':status': 200 });
        if (crashes++ < 2) {
          stream.write('partial');
          setTimeout(() => stream.session?.destroy(), 10);
        } else {
          stream.end(`whole ${headers[':method']}`);
        }
      },
    });
    const post = await pool.request({ method: 'POST' }).catch((e) => e);
    expect(post.code).toBe('PERF_NET_CONNECTION');
    const get = await pool.request({ method: 'GET' });
    expect(get.body.toString()).toBe('whole GET');
    expect(pool.stats().retried).toBe(1);
  });

  it('close() drains queued and in-flight requests, then closes every session', async () => {
    const { srv, pool } = await setup(
      { maxConcurrentStreams: 2, handler: later(10, echo) },
      { maxSessions: 1 },
    );
    const all = Array.from({ length: 8 }, (_, i) => pool.request({ path: `/${i}` }));
    const closing = pool.close();
    const late = await pool.request().catch((e) => e);
    expect(late.code).toBe('PERF_NET_CLOSED');
    expect((await Promise.all(all)).map((r) => r.status)).toEqual(Array(8).fill(200));
    await closing;
    expect(pool.stats()).toMatchObject({ sessions: 0, active: 0, queued: 0 });
    await eventually(() => expect(srv.sessions.every((s) => s.closed || s.destroyed)).toBe(true));
  });

  it('destroy() fails queued and in-flight requests with PERF_NET_CLOSED and reconnects nothing', async () => {
    const { srv, pool } = await setup(
      { maxConcurrentStreams: 2, handler: () => {} },
      { maxSessions: 1 },
    );
    const all = Array.from({ length: 5 }, (_, i) =>
      pool.request({ method: i % 2 ? 'POST' : 'GET', path: `/${i}` }).catch((e) => e),
    );
    await eventually(() => expect(srv.seen.length).toBe(2));
    pool.destroy();
    const errs = await Promise.all(all);
    expect(errs.map((e) => e.code)).toEqual(Array(5).fill('PERF_NET_CLOSED'));
    await eventually(() =>
      expect(pool.stats()).toMatchObject({ sessions: 0, queued: 0, active: 0 }),
    );
    expect(pool.stats().sessionsOpened).toBe(1);
    expect(srv.sessions.length).toBe(1);
  });

  it('closes idle sessions after idleTimeoutMs', async () => {
    const { srv, pool } = await setup({}, { idleTimeoutMs: 30 });
    await pool.request();
    expect(pool.stats().sessions).toBe(1);
    await eventually(() => expect(pool.stats().sessions).toBe(0));
    await eventually(() =>
      expect(srv.sessions[0]!.closed || srv.sessions[0]!.destroyed).toBe(true),
    );
    expect((await pool.request()).status).toBe(200);
    expect(pool.stats().sessionsOpened).toBe(2);
  });
});

describe('Http2Pool over TLS, edge cases', () => {
  it('an untrusted certificate fails with PERF_NET_CONNECTION carrying the TLS error', async () => {
    const srv = await startServer({ tls: true });
    cleanups.push(() => srv.close());
    const pool = new Http2Pool(srv.origin);
    const err = await pool.request().catch((e) => e);
    expect(err.code).toBe('PERF_NET_CONNECTION');
    expect(err.cause?.code).toMatch(/CERT|SELF_SIGNED/);
    await eventually(() => expect(pool.stats().sessions).toBe(0));
  });

  it('a streamed body destroyed by the caller frees its stream', async () => {
    const srv = await startServer({
      tls: true,
      handler: (stream) => {
        stream.respond({ ':status': 200 });
        stream.write(Buffer.alloc(1024));
      },
    });
    const pool = new Http2Pool(srv.origin, { connectOptions: { ca: selfSigned().cert } });
    cleanups.push(async () => {
      pool.destroy();
      await srv.close();
    });
    const res = await pool.stream({ path: '/endless' });
    expect(res.status).toBe(200);
    res.body.destroy();
    await eventually(() => expect(pool.stats().active).toBe(0));
    await eventually(() => expect(srv.open).toBe(0));
  });
});

describe('Http2Pool observer', () => {
  it('reports every settled request once to onComplete; a throwing observer changes nothing', async () => {
    const srv = await startServer({
      handler: (stream, headers) =>
        headers[':path'] === '/reset'
          ? stream.close(NGHTTP2_INTERNAL_ERROR)
          : echo(stream, headers),
    });
    const events: {
      path: string;
      status: number;
      attempts: number;
      code?: string;
      durationMs: number;
    }[] = [];
    const pool = new Http2Pool(srv.origin, {
      onComplete: (e) => {
        events.push({ ...e, code: (e.error as { code?: string } | undefined)?.code });
        throw new Error('observer bug');
      },
    });
    cleanups.push(async () => {
      pool.destroy();
      await srv.close();
    });
    expect((await pool.request({ path: '/ok' })).status).toBe(200);
    expect((await pool.request({ path: '/reset' }).catch((e) => e)).code).toBe(
      'PERF_NET_STREAM_RESET',
    );
    expect(
      events.map(({ path, status, attempts, code }) => ({ path, status, attempts, code })),
    ).toEqual([
      { path: '/ok', status: 200, attempts: 1, code: undefined },
      { path: '/reset', status: 0, attempts: 1, code: 'PERF_NET_STREAM_RESET' },
    ]);
    expect(events.every((e) => e.durationMs >= 0)).toBe(true);
  });
});

describe('Http2Pool arguments', () => {
  it('rejects bad origins and options with TypeError/RangeError', () => {
    expect(() => new Http2Pool('ftp://x')).toThrow(TypeError);
    expect(() => new Http2Pool('not a url')).toThrow(TypeError);
    expect(() => new Http2Pool('http://127.0.0.1:1', { maxSessions: 0 })).toThrow(RangeError);
    expect(() => new Http2Pool('http://127.0.0.1:1', { timeoutMs: 'x' as never })).toThrow(
      TypeError,
    );
  });
});
