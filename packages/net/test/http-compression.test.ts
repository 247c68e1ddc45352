import { request as httpRequest, createServer as createHttpServer } from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Compressor, type ContentEncoding, negotiateEncoding } from '../src/index.js';
import { jsonBytes, RUNS } from './helpers/data.js';

const ALL: ContentEncoding[] = ['br', 'gzip', 'deflate'];

describe('negotiateEncoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip', 'gzip'],
    ['gzip, br', 'br'],
    ['gzip;q=1, br;q=0.5', 'gzip'],
    ['br;q=0, gzip;q=0.1', 'gzip'],
    ['*', 'br'],
    ['*;q=0.5, br;q=0', 'gzip'],
    ['identity', 'identity'],
    ['compress, x-foo', 'identity'],
    ['identity;q=0', null],
    ['*;q=0', null],
    ['*;q=0, identity', 'identity'],
    ['GZIP', 'gzip'],
    ['gzip;q=abc', 'identity'],
  ] as const)('%j → %j', (header, expected) => {
    expect(negotiateEncoding(header, ALL)).toBe(expected);
  });

  it('never picks a coding the client refused or the server lacks', () => {
    const token = fc.constantFrom('gzip', 'br', 'deflate', 'zstd', 'identity', '*', 'compress');
    const entry = fc.tuple(
      token,
      fc.option(fc.constantFrom('0', '0.001', '0.5', '1'), { nil: undefined }),
    );
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 6 }), fc.subarray(ALL), (entries, available) => {
        const header = entries.map(([t, q]) => (q === undefined ? t : `${t};q=${q}`)).join(', ');
        const got = negotiateEncoding(header, available);
        if (got === null || got === 'identity') return;
        expect(available).toContain(got);
        const own = entries.filter(([t]) => t === got);
        if (own.length > 0) expect(own.some(([, q]) => q !== '0')).toBe(true);
      }),
      { numRuns: RUNS * 5 },
    );
  });
});

describe('compressing real responses', () => {
  const body = jsonBytes(50_000);
  const c = new Compressor({ encoding: 'br' });
  let httpOrigin = '';
  let h2Origin = '';
  const httpServer = createHttpServer((req, res) => c.send(req, res, body));
  const h2Server = http2.createServer();
  h2Server.on('stream', (stream, headers) => c.respond(stream, headers, body, { 'x-kind': 'kv' }));

  beforeAll(async () => {
    await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => h2Server.listen(0, '127.0.0.1', r));
    httpOrigin = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
    h2Origin = `http://127.0.0.1:${(h2Server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    httpServer.closeAllConnections();
    await new Promise((r) => httpServer.close(r));
    await new Promise((r) => h2Server.close(r));
  });

  function getHttp(accept: string | undefined) {
    return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>(
      (resolve, reject) => {
        const req = httpRequest(
          `${httpOrigin}/`,
          { headers: accept ? { 'accept-encoding': accept } : {} },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (d: Buffer) => chunks.push(d));
            res.on('end', () =>
              resolve({
                status: res.statusCode!,
                headers: res.headers,
                body: Buffer.concat(chunks),
              }),
            );
          },
        );
        req.on('error', reject);
        req.end();
      },
    );
  }

  function getH2(accept: string | undefined) {
    return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>(
      (resolve, reject) => {
        const session = http2.connect(h2Origin);
        session.on('error', reject);
        const stream = session.request(accept ? { 'accept-encoding': accept } : {});
        const chunks: Buffer[] = [];
        let headers: Record<string, unknown> = {};
        stream.on('response', (h) => {
          headers = h;
        });
        stream.on('data', (d: Buffer) => chunks.push(d));
        stream.on('end', () => {
          session.close();
          resolve({ status: Number(headers[':status']), headers, body: Buffer.concat(chunks) });
        });
      },
    );
  }

  it.each(
    [getHttp, getH2].flatMap(
      (get) =>
        [
          [get, 'br', 'br'],
          [get, 'gzip', 'gzip'],
          [get, 'deflate;q=0.5, gzip;q=0.2', 'deflate'],
          [get, undefined, undefined],
        ] as const,
    ),
  )('%o, Accept-Encoding %s → Content-Encoding %s', async (get, accept, expected) => {
    const res = await get(accept);
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe(expected);
    expect(res.headers.vary).toBe('accept-encoding');
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    const plain = c.decode(res.body, res.headers['content-encoding'] as string | undefined);
    expect(plain.equals(body)).toBe(true);
    if (expected) expect(res.body.length).toBeLessThan(body.length / 3);
  });

  it('send() works with the http2 compatibility API too', async () => {
    const compat = http2.createServer((req, res) => c.send(req, res, body));
    await new Promise<void>((r) => compat.listen(0, '127.0.0.1', r));
    try {
      const session = http2.connect(`http://127.0.0.1:${(compat.address() as AddressInfo).port}`);
      const stream = session.request({ 'accept-encoding': 'gzip' });
      const chunks: Buffer[] = [];
      const headers = await new Promise<Record<string, unknown>>((resolve) =>
        stream.once('response', resolve),
      );
      stream.on('data', (d: Buffer) => chunks.push(d));
      await new Promise((r) => stream.once('end', r));
      session.close();
      expect(headers['content-encoding']).toBe('gzip');
      expect(c.decode(Buffer.concat(chunks), 'gzip').equals(body)).toBe(true);
    } finally {
      await new Promise((r) => compat.close(r));
    }
  });

  it('sendStream() streams a large body through the negotiated encoder', async () => {
    const { Readable } = await import('node:stream');
    const big = jsonBytes(1 << 20);
    const streaming = createHttpServer((req, res) => {
      const parts = [
        big.subarray(0, 1 << 20),
        big.subarray(1 << 20, 2 << 20),
        big.subarray(2 << 20),
      ];
      void c.sendStream(req, res, Readable.from(parts));
    });
    await new Promise<void>((r) => streaming.listen(0, '127.0.0.1', r));
    try {
      const port = (streaming.address() as AddressInfo).port;
      for (const accept of ['br', 'gzip', undefined]) {
        const res = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>(
          (resolve, reject) => {
            const req = httpRequest(
              `http://127.0.0.1:${port}/`,
              { headers: accept ? { 'accept-encoding': accept } : {} },
              (r) => {
                const chunks: Buffer[] = [];
                r.on('data', (d: Buffer) => chunks.push(d));
                r.on('end', () => resolve({ headers: r.headers, body: Buffer.concat(chunks) }));
              },
            );
            req.on('error', reject);
            req.end();
          },
        );
        expect(res.headers['content-encoding']).toBe(accept);
        expect(res.headers['content-length']).toBeUndefined();
        expect(c.decode(res.body, accept).equals(big)).toBe(true);
        if (accept) expect(res.body.length).toBeLessThan(big.length / 3);
      }
    } finally {
      streaming.closeAllConnections();
      await new Promise((r) => streaming.close(r));
    }
  });

  it('answers 406 when even identity is refused', async () => {
    expect((await getHttp('identity;q=0')).status).toBe(406);
    expect((await getH2('*;q=0')).status).toBe(406);
  });

  it('a streaming encoder for a negotiated coding round-trips', async () => {
    const { Readable } = await import('node:stream');
    const { buffer } = await import('node:stream/consumers');
    for (const e of ['br', 'gzip', 'deflate', 'identity'] as const) {
      const encoded = await buffer(Readable.from([body]).pipe(c.createEncoder(e)));
      expect(c.decode(encoded, e).equals(body)).toBe(true);
    }
  });
});
