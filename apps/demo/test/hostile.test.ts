// perf-kv against a hostile client: one test per defect found by probing it as an attacker and
// an overloaded service would. Real server processes, real sockets (HTTP/1.1 and h2c), loopback
// only; every wait is bounded, and the limits are set small so each test takes a second or two.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http2 from 'node:http2';
import net from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, h1, h2, type Server, startServer, TOKEN } from './helpers.js';
import { freePort } from '@perf/internal/testing';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(os.tmpdir(), 'perf-kv-hostile-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Runs `fn` against a fresh server and always stops it. */
async function withServer<T>(args: string[], fn: (s: Server) => Promise<T>): Promise<T> {
  const s = await startServer(args);
  try {
    return await fn(s);
  } finally {
    await s.stop();
  }
}

/** Opens a raw TCP connection; resolves with helpers to write and to wait for the close. */
function raw(port: number): Promise<{
  socket: net.Socket;
  received: () => string;
  closed: Promise<void>;
}> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (d: Buffer) => (data += d.toString('latin1')));
    socket.on('error', () => {});
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.once('connect', () => resolve({ socket, received: () => data, closed }));
    socket.once('error', reject);
  });
}

/** Resolves `true` if `p` settles within `ms`, `false` otherwise (a bound on a hang). */
function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([
    p.then(() => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref()),
  ]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('1. the vector index survives a restart', () => {
  for (const n of [3, 2_000]) {
    it(`gives identical search results after a restart with ${n} vectors`, async () => {
      const dir = tmp();
      const dim = 64;
      let seed = n;
      const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
      const put: Record<string, number[]> = {};
      for (let i = 0; i < n; i++) put[`v${i}`] = Array.from({ length: dim }, () => rand() * 8);
      const queries = Array.from({ length: 4 }, () =>
        Array.from({ length: dim }, () => Math.fround(rand())),
      );
      const search = async (s: Server) => {
        const req = h2(s.url);
        try {
          const out = [];
          for (const vector of queries) {
            const r = await req('POST', '/vectors/search', JSON.stringify({ vector, k: 5 }));
            expect(r.status).toBe(200);
            out.push(r.json().results);
          }
          return out;
        } finally {
          req.close();
        }
      };
      const args = ['--data-dir', dir, '--vector-dim', String(dim)];
      const before = await withServer(args, async (s) => {
        const req = h2(s.url);
        expect((await req('POST', '/vectors:batch', JSON.stringify({ put }))).status).toBe(200);
        req.close();
        return search(s);
      });
      const after = await withServer(args, search);
      expect(after).toEqual(before);
      for (const r of after.flat()) expect(Number.isFinite(r.score)).toBe(true);
    });
  }
});

describe('2. responses are bounded in bytes', () => {
  it('truncates a scan at --max-response-bytes and continues from the cursor', async () => {
    await withServer(
      ['--data-dir', tmp(), '--max-response-bytes', String(256 << 10)],
      async (s) => {
        const req = h2(s.url);
        const value = 'x'.repeat(40 << 10);
        const keys = Array.from({ length: 30 }, (_, i) => `big:${String(i).padStart(2, '0')}`);
        const put = Object.fromEntries(keys.map((k) => [k, value]));
        expect((await req('POST', '/kv:batch', JSON.stringify({ put }))).status).toBe(200);
        const seen: string[] = [];
        let path = '/kv?gte=big:&limit=10000';
        for (let page = 0; page < 30; page++) {
          const r = await req('GET', path);
          expect(r.status).toBe(200);
          expect(r.body.length).toBeLessThanOrEqual(256 << 10);
          const body = r.json();
          seen.push(...body.items.map((e: { key: string }) => e.key));
          if (body.next === undefined) break;
          expect(body.items.length).toBeGreaterThan(0);
          path = `/kv?gt=${encodeURIComponent(body.next)}&limit=10000`;
        }
        expect(seen).toEqual(keys);
        // A batch get is bounded the same way: what did not fit is listed for the next request.
        const b = await req('POST', '/kv:batch', JSON.stringify({ get: keys }));
        expect(b.status).toBe(200);
        expect(b.body.length).toBeLessThanOrEqual(256 << 10);
        const { values, unread } = b.json();
        expect(unread.length).toBeGreaterThan(0);
        expect([...Object.keys(values), ...unread].sort()).toEqual(keys);
        req.close();
      },
    );
  });
});

describe('3. header, body and idle timeouts; a connection cap', () => {
  const args = () => [
    '--data-dir',
    tmp(),
    '--headers-timeout-ms',
    '400',
    '--body-timeout-ms',
    '400',
    '--idle-timeout-ms',
    '400',
  ];

  it('closes idle sockets, sockets dripping headers and bodies that never end', async () => {
    await withServer(args(), async (s) => {
      const idle = await raw(s.port);
      const drip = await raw(s.port);
      drip.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      const timer = setInterval(() => drip.socket.write('X-A: b\r\n'), 100);
      const body = await raw(s.port);
      body.socket.write(
        `PUT /kv/slow HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: 100000\r\n\r\n0123456789`,
      );
      const all = Promise.all([idle.closed, drip.closed, body.closed]);
      const closed = await within(all, 8_000);
      clearInterval(timer);
      expect(closed).toBe(true);
      // The unfinished body was answered before its socket was closed.
      expect(body.received()).toMatch(/^HTTP\/1\.1 408/);
      for (const c of [idle, drip, body]) c.socket.destroy();
      // The server keeps serving.
      expect((await h1(s.url, 'GET', '/health')).status).toBe(200);
    });
  });

  it('refuses connections over --max-connections cleanly, on both protocols', async () => {
    await withServer(['--data-dir', tmp(), '--max-connections', '8'], async (s) => {
      const held = await Promise.all(Array.from({ length: 8 }, () => raw(s.port)));
      await sleep(100);
      const over = await raw(s.port);
      over.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      expect(await within(over.closed, 5_000)).toBe(true);
      expect(over.received()).toMatch(/^HTTP\/1\.1 503/);
      expect(over.received().toLowerCase()).toContain('connection: close');
      expect(over.received().toLowerCase()).toContain('retry-after:');
      // An HTTP/2 client over the cap gets a GOAWAY, not a reset or a hang.
      const goaway = await new Promise<number | undefined>((resolve) => {
        const session = http2.connect(s.url);
        session.on('error', () => {});
        session.once('goaway', (code) => resolve(code));
        session.once('close', () => resolve(undefined));
        setTimeout(() => resolve(-1), 5_000).unref();
      });
      expect(goaway).toBeGreaterThanOrEqual(0);
      for (const c of held) c.socket.destroy();
      await sleep(200);
      expect((await h1(s.url, 'GET', '/health')).status).toBe(200);
    });
  });
});

describe('4. a slow HTTP/2 reader cannot pin memory', () => {
  it('bounds buffered responses per session and resets stalled streams', async () => {
    const args = [
      '--data-dir',
      tmp(),
      '--max-session-buffer-bytes',
      String(1 << 20),
      '--stall-timeout-ms',
      '800',
    ];
    await withServer(args, async (s) => {
      const req = h2(s.url);
      const value = 'y'.repeat(128 << 10);
      const put = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`slow:${i}`, value]));
      expect((await req('POST', '/kv:batch', JSON.stringify({ put }))).status).toBe(200);
      const rssBefore = (await req('GET', '/stats')).json().memory.rss as number;
      // Three sessions that never open their receive window, each asking for 100 scans of 1 MiB.
      const sessions = Array.from({ length: 3 }, () => {
        const session = http2.connect(s.url, { settings: { initialWindowSize: 0 } });
        session.on('error', () => {});
        return session;
      });
      const streams = sessions.flatMap((session) =>
        Array.from({ length: 100 }, () => {
          const st = session.request({ ':path': '/kv?gte=slow:&limit=100' });
          st.on('error', () => {});
          return new Promise<number>((r) => st.once('close', () => r(st.rstCode ?? 0)));
        }),
      );
      await sleep(500);
      const rssDuring = (await req('GET', '/stats')).json().memory.rss as number;
      // 300 MiB of responses were asked for; only the per-session buffer may be held.
      expect(rssDuring - rssBefore).toBeLessThan(120 << 20);
      // Every stalled stream is reset by the server (or its session closed) within a bound.
      const settled = await within(Promise.all(streams), 10_000);
      expect(settled).toBe(true);
      expect((await req('GET', '/stats')).json().front.stalled).toBeGreaterThan(0);
      for (const x of sessions) x.destroy();
      expect((await req('GET', '/health')).status).toBe(200);
      req.close();
    });
  });
});

describe('5. the shard layout is part of the data dir', () => {
  it('refuses a different --shards, and `perf-kv reshard` moves every key', async () => {
    const dir = tmp();
    const put: Record<string, string> = {};
    for (let i = 0; i < 300; i++) put[`shard:${i}`] = `v${i}`;
    await withServer(['--data-dir', dir, '--shards', '2'], async (s) => {
      const req = h2(s.url);
      expect((await req('POST', '/kv:batch', JSON.stringify({ put }))).status).toBe(200);
      req.close();
    });
    const refused = spawnSync(
      process.execPath,
      [CLI, 'serve', '--port', '0', '--data-dir', dir, '--shards', '3', '--token', TOKEN],
      { encoding: 'utf8', timeout: 20_000 },
    );
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/--shards 2/);
    expect(refused.stderr).toMatch(/reshard/);
    const reshard = spawnSync(
      process.execPath,
      [CLI, 'reshard', '--data-dir', dir, '--shards', '3'],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(reshard.status, reshard.stderr).toBe(0);
    await withServer(['--data-dir', dir, '--shards', '3'], async (s) => {
      const req = h2(s.url);
      const { values } = (
        await req('POST', '/kv:batch', JSON.stringify({ get: Object.keys(put) }))
      ).json();
      expect(values).toEqual(put);
      const stats = (await req('GET', '/stats')).json();
      expect(stats.shards).toHaveLength(3);
      req.close();
    });
  });
});

describe('6. overload: the request timeout fires, the cache is bounded in bytes', () => {
  it('answers a request stuck on a silent peer with 503 timeout and Retry-After', async () => {
    const silent = http2.createServer();
    const sessions = new Set<http2.ServerHttp2Session>();
    silent.on('session', (x) => sessions.add(x));
    silent.on('stream', () => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const peer = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
    const port = await freePort();
    try {
      await withServer(
        [
          '--data-dir',
          tmp(),
          '--port',
          String(port),
          '--peers',
          peer,
          '--cluster-secret',
          'hostile-test-secret',
          '--request-timeout-ms',
          '300',
        ],
        async (s) => {
          const req = h2(s.url);
          const answers = await Promise.all(
            Array.from({ length: 20 }, (_, i) => req('GET', `/kv/stuck-${i}`)),
          );
          const remote = answers.filter((a) => a.status !== 404);
          expect(remote.length).toBeGreaterThan(0);
          for (const a of remote) {
            expect(a.status).toBe(503);
            expect(a.json().error).toBe('timeout');
            expect(a.headers['retry-after']).toBeDefined();
          }
          req.close();
        },
      );
    } finally {
      for (const x of sessions) x.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  it('bounds the cache by --cache-bytes', async () => {
    await withServer(['--data-dir', tmp(), '--cache-bytes', String(4 << 20)], async (s) => {
      const req = h2(s.url);
      const value = Buffer.alloc(512 << 10, 7);
      for (let i = 0; i < 24; i++) expect((await req('PUT', `/kv/c${i}`, value)).status).toBe(204);
      for (let i = 0; i < 24; i++)
        expect((await req('GET', `/kv/c${i}`)).body.length).toBe(512 << 10);
      const { cache } = (await req('GET', '/stats')).json();
      expect(cache.bytes).toBeLessThanOrEqual(4 << 20);
      expect(cache.size).toBeLessThan(24);
      req.close();
    });
  });
});

describe('7. writes need the token; browsers cannot be turned against the server', () => {
  it('refuses writes without the token and reads stay open', async () => {
    await withServer(['--data-dir', tmp()], async (s) => {
      const req = h2(s.url);
      expect((await req('PUT', '/kv/a', 'v', { authorization: '' })).status).toBe(401);
      expect((await req('PUT', '/kv/a', 'v', { authorization: 'Bearer wrong' })).status).toBe(401);
      expect((await req('DELETE', '/kv/a', undefined, { authorization: '' })).status).toBe(401);
      const batch = JSON.stringify({ put: { a: 'x' } });
      expect((await req('POST', '/kv:batch', batch, { authorization: '' })).status).toBe(401);
      expect((await req('POST', '/load/start', '', { authorization: '' })).status).toBe(401);
      expect((await req('PUT', '/kv/a', 'v')).status).toBe(204);
      expect((await req('GET', '/kv/a', undefined, { authorization: '' })).text).toBe('v');
      req.close();
    });
  });

  it('enforces Content-Type on JSON routes, and Host and Origin on the dashboard routes', async () => {
    await withServer(['--data-dir', tmp()], async (s) => {
      const req = h2(s.url);
      const batch = JSON.stringify({ put: { a: 'x' }, delete: ['b'] });
      const plain = await req('POST', '/kv:batch', batch, { 'content-type': 'text/plain' });
      expect(plain.status).toBe(415);
      const foreign = { origin: 'http://evil.example' };
      expect((await req('POST', '/kv:batch', batch, foreign)).status).toBe(403);
      expect((await req('POST', '/load/start', '', foreign)).status).toBe(403);
      // DNS rebinding: the page is asked for under a foreign name.
      expect((await h1(s.url, 'GET', '/', undefined, { host: 'evil.example' })).status).toBe(403);
      expect((await h1(s.url, 'GET', '/events', undefined, { host: 'evil.example' })).status).toBe(
        403,
      );
      expect((await h1(s.url, 'GET', '/', undefined, { host: `localhost:${s.port}` })).status).toBe(
        200,
      );
      req.close();
    });
  });

  it('ignores a forged forwarding header: peers authenticate with an HMAC of the cluster secret', async () => {
    await withServer(['--data-dir', tmp()], async (s) => {
      const req = h2(s.url);
      const forged = await req('PUT', '/kv/f', 'v', { 'x-perf-kv-forwarded': '1' });
      expect(forged.status).toBe(403);
      req.close();
    });
  });

  it('prints a generated token when none is given, and refuses to bind beyond loopback without one', async () => {
    const s = await startServer(['--data-dir', tmp()], { token: false });
    try {
      const m = /token: ([0-9a-f]{32,})/.exec(s.output());
      expect(m).not.toBeNull();
      const req = h2(s.url);
      const put = await req('PUT', '/kv/t', 'v', { authorization: `Bearer ${m![1]}` });
      expect(put.status).toBe(204);
      req.close();
    } finally {
      await s.stop();
    }
    const wide = spawnSync(
      process.execPath,
      [CLI, 'serve', '--port', '0', '--host', '0.0.0.0', '--data-dir', tmp()],
      { encoding: 'utf8', timeout: 20_000 },
    );
    expect(wide.status).not.toBe(0);
    expect(wide.stderr).toMatch(/--token/);
  });
});

describe('8. smaller defects', () => {
  it('sniffs the full HTTP/2 preface: an HTTP/1.1 PUT split after "P" is not lost', async () => {
    await withServer(['--data-dir', tmp()], async (s) => {
      const c = await raw(s.port);
      c.socket.setNoDelay(true);
      c.socket.write('P');
      await sleep(150);
      c.socket.write(
        `UT /kv/split HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc`,
      );
      await within(c.closed, 5_000);
      expect(c.received()).toMatch(/^HTTP\/1\.1 204/);
      expect((await h1(s.url, 'GET', '/kv/split')).text).toBe('abc');
    });
  });

  it('rejects bad input: non-finite float32, lone surrogates, invalid base64, deep JSON', async () => {
    await withServer(['--data-dir', tmp(), '--vector-dim', '2'], async (s) => {
      const req = h2(s.url);
      const cases: [string, string, string, number, string][] = [
        ['PUT', '/vectors/inf', '[1e39, 0]', 400, 'bad_vector'],
        ['POST', '/vectors/search', '{"vector":[-1e39,0]}', 400, 'bad_vector'],
        ['POST', '/kv:batch', JSON.stringify({ put: { '\ud800': 'x' } }), 400, 'bad_key'],
        ['POST', '/kv:batch', JSON.stringify({ get: ['a\udc00b'] }), 400, 'bad_key'],
        [
          'POST',
          '/kv:batch',
          JSON.stringify({ put: { a: 'not base64!' }, encoding: 'base64' }),
          400,
          'bad_encoding',
        ],
        [
          'POST',
          '/kv:batch',
          JSON.stringify({ put: { a: 'QUJD' + 'R' }, encoding: 'base64' }),
          400,
          'bad_encoding',
        ],
        ['POST', '/kv:batch', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, 400, 'json_too_deep'],
        [
          'POST',
          '/vectors:batch',
          `{"put":${'{"a":'.repeat(1000)}1${'}'.repeat(1001)}`,
          400,
          'json_too_deep',
        ],
      ];
      for (const [method, path, body, status, code] of cases) {
        const r = await req(method, path, body, { 'content-type': 'application/json' });
        expect({ body: body.slice(0, 40), status: r.status, code: r.json().error }).toEqual({
          body: body.slice(0, 40),
          status,
          code,
        });
      }
      // Nothing was stored by the rejected requests.
      expect((await req('GET', '/kv/a')).status).toBe(404);
      req.close();
    });
  });

  it('stores and reads the key __proto__ end to end, through a peer too', async () => {
    const [pa, pb] = await Promise.all([freePort(), freePort()]);
    const secret = ['--cluster-secret', 'proto-secret-0123456789'];
    const [a, b] = await Promise.all([
      startServer([
        '--data-dir',
        tmp(),
        '--port',
        String(pa),
        '--peers',
        `http://127.0.0.1:${pb}`,
        ...secret,
      ]),
      startServer([
        '--data-dir',
        tmp(),
        '--port',
        String(pb),
        '--peers',
        `http://127.0.0.1:${pa}`,
        ...secret,
      ]),
    ]);
    const ra = h2(a.url);
    const rb = h2(b.url);
    try {
      const body = '{"put":{"__proto__":"p","constructor":"c","toString":"t"}}';
      const put = JSON.parse(body).put; // JSON.parse makes `__proto__` an own property
      expect((await ra('POST', '/kv:batch', body)).status).toBe(200);
      for (const r of [ra, rb]) {
        const got = await r(
          'POST',
          '/kv:batch',
          JSON.stringify({ get: ['__proto__', 'constructor', 'toString'] }),
        );
        expect(got.status).toBe(200);
        expect(JSON.parse(got.text).values).toEqual(put);
        expect(Object.hasOwn(JSON.parse(got.text).values, '__proto__')).toBe(true);
        const one = await r('GET', '/kv/__proto__');
        expect(one.status).toBe(200);
        expect(one.text).toBe('p');
      }
    } finally {
      ra.close();
      rb.close();
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
