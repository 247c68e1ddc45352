// The error-to-status map, row by row, and errors crossing the shard thread boundary.
import http2 from 'node:http2';
import net from 'node:net';
import { CacheLoadError } from '@perf/cache';
import { isPerfError, PerfError } from '@perf/internal';
import * as lsm from '@perf/lsm';
import { afterAll, describe, expect, it } from 'vitest';
import { fromWire, KvError, PeerError, toWire } from '../src/server/errors.js';
import { HttpError, STATUS_OF_CODE, statusOf } from '../src/server/http/errors.js';
import { PeerRouter } from '../src/server/storage/peers.js';
import type { Backend } from '../src/server/types.js';

const withCode = (code: string) => Object.assign(new Error(`failed: ${code}`), { code });

describe('error-to-status map', () => {
  it.each(Object.entries(STATUS_OF_CODE))('%s → %j', (code, [status, error]) => {
    const s = statusOf(withCode(code));
    expect([s.status, s.error]).toEqual([status, error]);
    // 503s tell the client when to come back.
    if (status === 503) expect(s.headers?.['retry-after']).toMatch(/^\d+$/);
  });

  it('unwraps a failed cache load and a failed batch to the error that caused them', () => {
    const inner = withCode('PERF_NET_TIMEOUT');
    expect(statusOf(new CacheLoadError('k', inner)).status).toBe(503);
    const batch = Object.assign(new Error('batch'), {
      code: 'PERF_NET_BATCH_FAILED',
      cause: inner,
    });
    expect(statusOf(new CacheLoadError('k', batch))).toMatchObject({
      status: 503,
      error: 'timeout',
    });
  });

  it('keeps a client mistake as it is, and hides anything unknown behind 500 internal', () => {
    expect(statusOf(new HttpError(400, 'bad_key', 'x'))).toMatchObject({
      status: 400,
      error: 'bad_key',
    });
    expect(statusOf(new Error('secret detail'))).toEqual({
      status: 500,
      error: 'internal',
      message: 'internal error',
    });
    expect(statusOf(withCode('PERF_SOMETHING_NEW')).status).toBe(500);
  });

  it('recognises branded @perf errors with isPerfError, whatever their class', () => {
    const branded = new PerfError('PERF_NET_TIMEOUT', 'peer timed out');
    expect(statusOf(branded)).toMatchObject({ status: 503, error: 'timeout' });
    const own = new PeerError('http://x', 500, 'GET /kv');
    expect(isPerfError(own, 'PERF_KV_PEER_FAILED')).toBe(true);
    // An unbranded error needs a PERF_ code to be mapped at all.
    expect(statusOf(Object.assign(new Error('x'), { code: 'ECONNRESET' })).status).toBe(500);
  });

  it('maps perf-kv’s own errors by code', () => {
    expect(statusOf(new PeerError('http://x', 500, 'GET /kv'))).toMatchObject({
      status: 502,
      error: 'peer_failed',
    });
  });
});

describe('errors from a peer, over real sockets', () => {
  const local: Backend = {
    get: async () => undefined,
    getMany: async (keys) => keys.map(() => undefined),
    put: async () => {},
    del: async () => {},
    batch: async () => {},
    scan: async () => [],
  };
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
  });

  /** A router whose only other node is `peer`; returns a key that the peer owns. */
  function routerTo(peer: string, timeoutMs: number): { router: PeerRouter; key: string } {
    const router = new PeerRouter('http://127.0.0.1:1', [peer], local, { timeoutMs });
    closers.push(() => router.close());
    for (let i = 0; ; i++)
      if (router.ownerOf(`k${i}`) !== 'http://127.0.0.1:1') return { router, key: `k${i}` };
  }

  it('a peer that never answers: Http2Pool times out → 503 timeout', async () => {
    const server = http2.createServer();
    const sessions = new Set<http2.ServerHttp2Session>();
    server.on('session', (s) => sessions.add(s));
    server.on('stream', () => {}); // accepts the stream, never responds
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(
      () =>
        new Promise((r) => {
          for (const s of sessions) s.destroy();
          server.close(() => r());
        }),
    );
    const port = (server.address() as net.AddressInfo).port;
    const { router, key } = routerTo(`http://127.0.0.1:${port}`, 200);
    const err = await router.get(key).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('PERF_NET_TIMEOUT');
    expect(statusOf(err)).toMatchObject({ status: 503, error: 'timeout' });
  });

  it('a peer that is down → 502 peer_failed', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r)); // nothing listens there now
    const { router, key } = routerTo(`http://127.0.0.1:${port}`, 2_000);
    const err = await router.put(key, Buffer.from('v')).catch((e: unknown) => e);
    expect(statusOf(err)).toMatchObject({ status: 502, error: 'peer_failed' });
  });

  it('a peer that answers 500 → 502 peer_failed', async () => {
    const server = http2.createServer();
    server.on('stream', (s) => s.respond({ ':status': 500 }, { endStream: true }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => server.close(() => r())));
    const port = (server.address() as net.AddressInfo).port;
    const { router, key } = routerTo(`http://127.0.0.1:${port}`, 2_000);
    const err = await router.get(key).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PeerError);
    expect(statusOf(err)).toMatchObject({ status: 502, error: 'peer_failed' });
  });
});

describe('errors across the shard thread boundary', () => {
  it('travel as { code, name, message } and come back as the same class', () => {
    const original = new lsm.CorruptionError('/data/000001.sst', 4096, 'bad block checksum');
    const wire = structuredClone(toWire(original)); // what postMessage delivers
    expect(Object.keys(wire).sort()).toEqual(['code', 'message', 'name']);
    const back = fromWire(wire);
    expect(back).toBeInstanceOf(lsm.CorruptionError);
    expect(back).toBeInstanceOf(lsm.LsmError);
    expect(lsm.LsmError.is(back)).toBe(true);
    expect(back).toMatchObject({ name: original.name, code: 'PERF_LSM_CORRUPTION' });
    expect(back.message).toBe(original.message);
    expect(statusOf(back)).toMatchObject({ status: 500, error: 'storage_corrupt' });

    const closed = fromWire(structuredClone(toWire(new lsm.ClosedError())));
    expect(closed).toBeInstanceOf(lsm.ClosedError);
    expect(statusOf(closed).status).toBe(503);
  });

  it('an unknown class comes back as an Error with its code kept', () => {
    const back = fromWire(structuredClone(toWire(new KvError('PERF_KV_OVERLOADED', 'busy'))));
    expect(back).toBeInstanceOf(KvError);
    expect(statusOf(back).status).toBe(503);
    const plain = fromWire(structuredClone(toWire('a string was thrown')));
    expect(plain).toBeInstanceOf(Error);
    expect(plain.message).toBe('a string was thrown');
  });
});
