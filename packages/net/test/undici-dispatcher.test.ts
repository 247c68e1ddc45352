import { once } from 'node:events';
import { Readable } from 'node:stream';
import { Agent, fetch, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { Http2Pool, Http2PoolDispatcher } from '../src/undici.js';
import { selfSigned, startServer, type TestServer } from './helpers/servers.js';

const servers: TestServer[] = [];
const pools: Http2Pool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) p.destroy();
  for (const s of servers.splice(0)) await s.close();
});

async function serve(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const server = await startServer(options);
  servers.push(server);
  return server;
}

function poolFor(server: TestServer, options: ConstructorParameters<typeof Http2Pool>[1] = {}) {
  const pool = new Http2Pool(server.origin, options);
  pools.push(pool);
  return pool;
}

/** Echoes method, path and request body; `x-len` says how many body bytes arrived. */
function echoBody(): Parameters<typeof startServer>[0] {
  return {
    handler: (stream, headers) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const body = Buffer.concat(chunks);
        stream.respond({
          ':status': 200,
          'x-method': String(headers[':method']),
          'x-path': String(headers[':path']),
          'x-len': body.length,
          'x-test': String(headers['x-test'] ?? ''),
        });
        stream.end(body);
      });
    },
  };
}

describe('Http2Pool as an undici Dispatcher', () => {
  it("undici's fetch over h2c: status, headers and body, on one session", async () => {
    const server = await serve(echoBody());
    const pool = poolFor(server);
    const responses = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        fetch(`${server.origin}/item/${i}?q=1`, {
          dispatcher: pool.dispatcher,
          headers: { 'x-test': 'yes' },
        }),
      ),
    );
    for (const [i, res] of responses.entries()) {
      expect(res.status).toBe(200);
      expect(res.headers.get('x-path')).toBe(`/item/${i}?q=1`);
      expect(res.headers.get('x-test')).toBe('yes');
      expect(await res.text()).toBe('');
    }
    expect(pool.stats().sessionsOpened).toBe(1);
  });

  it("undici's fetch over TLS (self-signed certificate made at test time)", async () => {
    const server = await serve({ tls: true, ...echoBody() });
    const pool = poolFor(server, { connectOptions: { ca: selfSigned().cert } });
    const res = await fetch(`${server.origin}/secure`, {
      dispatcher: pool.dispatcher,
      method: 'POST',
      body: 'hello over h2',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-method')).toBe('POST');
    expect(await res.text()).toBe('hello over h2');
  });

  it('streams request and response bodies both ways (undici.request, a Readable body, 2 MiB)', async () => {
    const server = await serve(echoBody());
    const pool = poolFor(server);
    const chunk = Buffer.alloc(64 * 1024, 7);
    const body = Readable.from(
      (function* () {
        for (let i = 0; i < 32; i++) yield chunk;
      })(),
    );
    const res = await request(`${server.origin}/upload`, {
      dispatcher: pool.dispatcher,
      method: 'PUT',
      body,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-len']).toBe(String(32 * chunk.length));
    let received = 0;
    for await (const part of res.body) received += (part as Buffer).length;
    expect(received).toBe(32 * chunk.length);
  });

  it("fetch streams a ReadableStream body (fetch's own async-iterable body)", async () => {
    const server = await serve(echoBody());
    const pool = poolFor(server);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('part one, '));
        controller.enqueue(new TextEncoder().encode('part two'));
        controller.close();
      },
    });
    const res = await fetch(`${server.origin}/stream`, {
      dispatcher: pool.dispatcher,
      method: 'POST',
      body: stream,
      duplex: 'half',
    } as Parameters<typeof fetch>[1]);
    expect(await res.text()).toBe('part one, part two');
  });

  it('AbortSignal: an aborted fetch rejects with AbortError and resets the stream', async () => {
    let serverSawClose: Promise<unknown> | undefined;
    const server = await serve({
      handler: (stream) => {
        serverSawClose = once(stream, 'close');
      }, // never answers
    });
    const pool = poolFor(server);
    const controller = new AbortController();
    const pending = fetch(`${server.origin}/slow`, {
      dispatcher: pool.dispatcher,
      signal: controller.signal,
    });
    while (server.seen.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await serverSawClose;
    expect(pool.stats().active).toBe(0);
  });

  it('an abort after the headers stops the body mid-way (undici.request with a signal)', async () => {
    const server = await serve({
      handler: (stream) => {
        stream.respond({ ':status': 200 });
        stream.write(Buffer.alloc(1024));
      }, // the body never ends
    });
    const pool = poolFor(server);
    const controller = new AbortController();
    const res = await request(`${server.origin}/`, {
      dispatcher: pool.dispatcher,
      signal: controller.signal,
    });
    const reading = (async () => {
      for await (const _ of res.body) controller.abort();
    })();
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('back-pressure: an unread response stops the server at the flow-control window', async () => {
    const total = 16 * 1024 * 1024;
    let written = 0;
    let finished: Promise<unknown> = Promise.resolve();
    const server = await serve({
      handler: (stream) => {
        stream.respond({ ':status': 200 });
        const piece = Buffer.alloc(64 * 1024, 1);
        const pump = () => {
          while (written < total) {
            written += piece.length;
            if (!stream.write(piece)) {
              stream.once('drain', pump);
              return;
            }
          }
          stream.end();
        };
        finished = once(stream, 'finish');
        pump();
      },
    });
    const pool = poolFor(server);
    const res = await request(`${server.origin}/big`, { dispatcher: pool.dispatcher });
    // Nobody reads: the server can get no further than the windows and buffers allow.
    await new Promise((r) => setTimeout(r, 300));
    expect(written).toBeLessThan(total / 4);
    let received = 0;
    for await (const part of res.body) received += (part as Buffer).length;
    expect(received).toBe(total);
    await finished;
  });

  it('serves the current handler style: onRequestStart → onResponseStart → onResponseData → onResponseEnd, with pause/resume', async () => {
    const server = await serve(echoBody());
    const pool = poolFor(server);
    const events: string[] = [];
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      pool.dispatcher.dispatch(
        { origin: server.origin, path: '/modern', method: 'POST', body: 'abc', headers: {} },
        {
          onRequestStart: () => events.push('start'),
          onResponseStart: (controller, status, headers) => {
            events.push(`status ${status} len ${headers['x-len']}`);
            controller.pause();
            expect(controller.paused).toBe(true);
            setTimeout(() => controller.resume(), 10);
          },
          onResponseData: (_controller, chunk) => {
            chunks.push(chunk);
          },
          onResponseEnd: (_controller, trailers) => {
            events.push(`end ${JSON.stringify(trailers)}`);
            resolve();
          },
          onResponseError: (_controller, err) => reject(err),
        },
      );
    });
    expect(events).toEqual(['start', 'status 200 len 3', 'end {}']);
    expect(Buffer.concat(chunks).toString()).toBe('abc');
  });

  it('serves the legacy handler style: onConnect → onHeaders (raw) → onData → onComplete', async () => {
    const server = await serve(echoBody());
    const pool = poolFor(server);
    const events: string[] = [];
    await new Promise<void>((resolve, reject) => {
      let resume: () => void = () => {};
      pool.dispatcher.dispatch(
        { origin: server.origin, path: '/legacy', method: 'PUT', body: Buffer.from('xyz') },
        {
          onConnect: (abort) => events.push(`connect ${typeof abort}`),
          onHeaders: (status, raw, resumeFn) => {
            const names = raw.filter((_, i) => i % 2 === 0).map(String);
            events.push(`headers ${status} ${names.includes('x-len')}`);
            resume = resumeFn;
            setTimeout(() => resume(), 10);
            return false; // paused until resume()
          },
          onData: (chunk) => {
            events.push(`data ${chunk.toString()}`);
            return true;
          },
          onComplete: (trailers) => {
            events.push(`complete ${trailers}`);
            resolve();
          },
          onError: reject,
        },
      );
    });
    expect(events).toEqual(['connect function', 'headers 200 true', 'data xyz', 'complete ']);
  });

  it("Node's built-in fetch accepts the dispatcher (it calls the legacy handler style)", async () => {
    const server = await serve(echoBody());
    const pool = poolFor(server);
    const res = await globalThis.fetch(`${server.origin}/builtin`, {
      dispatcher: pool.dispatcher,
      method: 'POST',
      body: 'from node',
    } as unknown as RequestInit);
    expect(res.headers.get('x-method')).toBe('POST');
    expect(await res.text()).toBe('from node');
  });

  it('a cold burst of 30 fetches at 10 streams per session opens exactly 3 sessions', async () => {
    const server = await serve({ maxConcurrentStreams: 10 });
    const pool = poolFor(server, { maxSessions: 8 });
    const all = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        fetch(`${server.origin}/${i}`, { dispatcher: pool.dispatcher }).then((r) => r.text()),
      ),
    );
    expect(all).toEqual(Array.from({ length: 30 }, (_, i) => `/${i}`));
    expect(pool.stats().sessionsOpened).toBe(3);
    expect(server.sessions.length).toBe(3);
  });

  it('a stream reset mid-body reaches the handler as PERF_NET_STREAM_RESET', async () => {
    const server = await serve({
      handler: (stream) => {
        stream.respond({ ':status': 200 });
        // close() would end the stream first (END_STREAM, then RST); destroy() resets it now.
        stream.write('partial', () => stream.destroy(new Error('server gave up')));
      },
    });
    const pool = poolFor(server);
    const err = await new Promise<Error>((resolve) => {
      pool.dispatcher.dispatch(
        { origin: server.origin, path: '/', method: 'GET' },
        {
          onConnect: () => {},
          onHeaders: () => true,
          onData: () => true,
          onComplete: () => resolve(new Error('completed')),
          onError: resolve,
        },
      );
    });
    expect((err as { code?: string }).code).toBe('PERF_NET_STREAM_RESET');
  });

  it('refuses another origin, CONNECT and upgrades through onError, and works as a plain Dispatcher after close()', async () => {
    const server = await serve();
    const pool = poolFor(server);
    const failure = (options: Record<string, unknown>) =>
      new Promise<Error>((resolve) => {
        pool.dispatcher.dispatch(
          { path: '/', method: 'GET', ...options } as never,
          { onConnect: () => {}, onError: resolve, onComplete: () => {} } as never,
        );
      });
    expect(await failure({ origin: 'http://127.0.0.1:1' })).toBeInstanceOf(TypeError);
    expect(await failure({ origin: server.origin, method: 'CONNECT' })).toBeInstanceOf(TypeError);
    expect(await failure({ origin: server.origin, upgrade: 'websocket' })).toBeInstanceOf(
      TypeError,
    );
    expect(pool.dispatcher).toBeInstanceOf(Http2PoolDispatcher);
    expect(pool.dispatcher).toBe(pool.dispatcher);
    await pool.dispatcher.close();
    expect((await failure({ origin: server.origin })).name).toBe('ConnectionError');
  });

  it('a failing request body stream fails the request with its own error, never re-sent', async () => {
    const server = await serve(echoBody());
    const pool = poolFor(server);
    const boom = new Error('disk gone');
    const body = Readable.from(
      (async function* () {
        yield Buffer.from('start');
        throw boom;
      })(),
    );
    await expect(
      request(`${server.origin}/`, { dispatcher: pool.dispatcher, method: 'PUT', body }),
    ).rejects.toBe(boom);
    expect(pool.stats().retried).toBe(0);
  });

  it("undici's own Agent({ allowH2 }) answers the same requests (the comparison is like for like)", async () => {
    const server = await serve({ tls: true, ...echoBody() });
    const agent = new Agent({ allowH2: true, connect: { ca: selfSigned().cert } });
    try {
      const res = await fetch(`${server.origin}/x`, { dispatcher: agent });
      expect(res.headers.get('x-path')).toBe('/x');
      await res.text();
    } finally {
      await agent.close();
    }
  });
});
