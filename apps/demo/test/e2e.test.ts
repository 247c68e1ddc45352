// perf-kv end to end: a real server process, real sockets, real files.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { h1, h2, type Server, startServer } from './helpers.js';
import { freePort } from '@perf/internal/testing';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(os.tmpdir(), 'perf-kv-test-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.each([1, 3])('perf-kv with %i shard(s)', (shards) => {
  let server: Server;
  let req: ReturnType<typeof h2>;
  beforeAll(async () => {
    server = await startServer([
      '--data-dir',
      tmp(),
      '--shards',
      String(shards),
      '--vector-dim',
      '4',
    ]);
    req = h2(server.url);
  });
  afterAll(async () => {
    req.close();
    expect(await server.stop()).toBe(0);
  });

  it('reads its own writes over HTTP/2 and HTTP/1.1', async () => {
    expect((await req('PUT', '/kv/alpha', 'one')).status).toBe(204);
    const got = await req('GET', '/kv/alpha');
    expect(got.status).toBe(200);
    expect(got.text).toBe('one');
    expect((await h1(server.url, 'GET', '/kv/alpha')).text).toBe('one');
    expect((await req('DELETE', '/kv/alpha')).status).toBe(204);
    const gone = await req('GET', '/kv/alpha');
    expect(gone.status).toBe(404);
    expect(gone.json().error).toBe('not_found');
  });

  it('scans ranges in key order, forwards and backwards, across shards', async () => {
    const put: Record<string, string> = {};
    for (let i = 0; i < 50; i++) put[`scan:${String(i).padStart(3, '0')}`] = `v${i}`;
    expect((await req('POST', '/kv:batch', JSON.stringify({ put }))).status).toBe(200);
    const fwd = (await req('GET', '/kv?gte=scan:010&lt=scan:020&limit=100')).json().items;
    expect(fwd.map((e: { key: string }) => e.key)).toEqual(
      Array.from({ length: 10 }, (_, i) => `scan:${String(i + 10).padStart(3, '0')}`),
    );
    const back = (await req('GET', '/kv?gte=scan:&lt=scan:~&limit=5&reverse=true')).json().items;
    expect(back.map((e: { key: string }) => e.key)).toEqual([
      'scan:049',
      'scan:048',
      'scan:047',
      'scan:046',
      'scan:045',
    ]);
    expect(back[0].value).toBe('v49');
  });

  it('applies a batch all or nothing: one bad key rejects every write in it', async () => {
    const bad = JSON.stringify({ put: { 'atomic:a': '1', 'atomic:b': '2' }, delete: [''] });
    const r = await req('POST', '/kv:batch', bad);
    expect(r.status).toBe(400);
    expect(r.json().error).toBe('bad_key');
    const got = (
      await req('POST', '/kv:batch', JSON.stringify({ get: ['atomic:a', 'atomic:b'] }))
    ).json();
    expect(got.values).toEqual({ 'atomic:a': null, 'atomic:b': null });
    const ok = await req(
      'POST',
      '/kv:batch',
      JSON.stringify({ put: { 'atomic:a': '1', 'atomic:b': '2' }, get: ['atomic:a', 'atomic:b'] }),
    );
    expect(ok.json().values).toEqual({ 'atomic:a': '1', 'atomic:b': '2' });
  });

  it('rejects bad requests with 4xx and a JSON error code, and keeps serving', async () => {
    const cases: [string, string, string | undefined, number, string][] = [
      ['POST', '/kv:batch', '{not json', 400, 'bad_json'],
      ['POST', '/kv:batch', '[1,2]', 400, 'bad_json'],
      ['POST', '/kv:batch', JSON.stringify({ get: [1] }), 400, 'bad_batch'],
      ['POST', '/kv:batch', JSON.stringify({ put: { a: 5 } }), 400, 'bad_batch'],
      ['GET', '/kv?limit=0', undefined, 400, 'bad_limit'],
      ['GET', '/kv?limit=abc', undefined, 400, 'bad_limit'],
      ['PUT', `/kv/${'k'.repeat(2000)}`, 'v', 400, 'key_too_large'],
      ['GET', '/kv/%E0%A4%A', undefined, 400, 'bad_path'],
      ['POST', '/vectors/search', JSON.stringify({ vector: [1, 2] }), 400, 'bad_vector'],
      ['POST', '/vectors/search', JSON.stringify({ vector: [1, 2, 3, 4], k: 0 }), 400, 'bad_k'],
      ['GET', '/nope', undefined, 404, 'no_route'],
      ['PATCH', '/kv/x', 'v', 405, 'method_not_allowed'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const r = await req(method, path, body);
      expect({ path, status: r.status, code: r.json().error }).toEqual({ path, status, code });
    }
    expect((await req('GET', '/health')).status).toBe(200);
  });

  it('rejects an oversized value and an oversized body', async () => {
    const big = await req('PUT', '/kv/big', Buffer.alloc((1 << 20) + 1));
    expect(big.status).toBe(413);
    expect(big.json().error).toBe('value_too_large');
    const huge = await req('POST', '/kv:batch', Buffer.alloc((8 << 20) + 1));
    expect(huge.status).toBe(413);
    expect(huge.json().error).toBe('body_too_large');
  });

  it('finds the top-k vectors by dot product', async () => {
    const put = { a: [1, 0, 0, 0], b: [0, 1, 0, 0], c: [0.5, 0.5, 0, 0], d: [-1, 0, 0, 0] };
    expect((await req('POST', '/vectors:batch', JSON.stringify({ put }))).status).toBe(200);
    const r = (
      await req('POST', '/vectors/search', JSON.stringify({ vector: [1, 0.1, 0, 0], k: 2 }))
    ).json();
    expect(r.results.map((x: { id: string }) => x.id)).toEqual(['a', 'c']);
    expect(r.results[0].score).toBeCloseTo(1, 5);
  });

  it('compresses large responses for clients that accept it', async () => {
    const value = 'compressible '.repeat(1000);
    await req('PUT', '/kv/large', value);
    const plain = await req('GET', '/kv/large');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const gz = await req('GET', '/kv/large', undefined, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.body.length).toBeLessThan(value.length / 5);
  });

  it('serves Prometheus metrics and JSON stats', async () => {
    const m = await req('GET', '/metrics');
    expect(m.status).toBe(200);
    expect(m.text).toMatch(/perf_kv_request_duration_seconds_bucket\{/);
    const s = (await req('GET', '/stats')).json();
    expect(s.shards).toHaveLength(shards);
    expect(s.cache.hits + s.cache.misses).toBeGreaterThan(0);
  });
});

describe('durability', () => {
  it('after kill -9, a restart recovers every acknowledged write', async () => {
    const dir = tmp();
    let server = await startServer(['--data-dir', dir, '--shards', '2']);
    let req = h2(server.url);
    const acked: string[] = [];
    // Writers keep going while the process is killed under them; only acknowledged ones count.
    let stop = false;
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const key = `crash:${w}:${i}`;
        try {
          const r = await req('PUT', `/kv/${key}`, `value-${key}`);
          if (r.status === 204) acked.push(key);
        } catch {
          return;
        }
      }
    });
    // Kill once enough writes are acknowledged (no fixed sleep: the machine may be slow).
    for (let t = 0; acked.length < 300 && t < 300; t++) await new Promise((r) => setTimeout(r, 50));
    await server.kill();
    stop = true;
    await Promise.allSettled(writers);
    req.close();
    expect(acked.length).toBeGreaterThan(20);

    server = await startServer(['--data-dir', dir, '--shards', '2']);
    req = h2(server.url);
    const missing: string[] = [];
    for (let i = 0; i < acked.length; i += 500) {
      const keys = acked.slice(i, i + 500);
      const { values } = (await req('POST', '/kv:batch', JSON.stringify({ get: keys }))).json();
      for (const k of keys) if (values[k] !== `value-${k}`) missing.push(k);
    }
    req.close();
    expect(await server.stop()).toBe(0);
    expect(missing).toEqual([]);
  });

  it('in write-back mode, shutdown flushes every cached write to storage', async () => {
    const dir = tmp();
    let server = await startServer(['--data-dir', dir, '--write-back']);
    let req = h2(server.url);
    for (let i = 0; i < 200; i++)
      expect((await req('PUT', `/kv/wb:${i}`, `v${i}`)).status).toBe(204);
    req.close();
    expect(await server.stop()).toBe(0);
    server = await startServer(['--data-dir', dir]);
    req = h2(server.url);
    const keys = Array.from({ length: 200 }, (_, i) => `wb:${i}`);
    const { values } = (await req('POST', '/kv:batch', JSON.stringify({ get: keys }))).json();
    expect(keys.filter((k, i) => values[k] !== `v${i}`)).toEqual([]);
    req.close();
    expect(await server.stop()).toBe(0);
  });
});

describe('--peers: one keyspace over two nodes', () => {
  it('places keys on both nodes and serves every key from either', async () => {
    const [pa, pb] = await Promise.all([freePort(), freePort()]);
    const a = `http://127.0.0.1:${pa}`;
    const b = `http://127.0.0.1:${pb}`;
    const secret = ['--cluster-secret', 'e2e-cluster-secret-0123'];
    const [na, nb] = await Promise.all([
      startServer(['--data-dir', tmp(), '--port', String(pa), '--peers', b, ...secret]),
      startServer(['--data-dir', tmp(), '--port', String(pb), '--peers', a, ...secret]),
    ]);
    const ra = h2(na.url);
    const rb = h2(nb.url);
    try {
      const put: Record<string, string> = {};
      for (let i = 0; i < 200; i++) put[`peer:${String(i).padStart(3, '0')}`] = `v${i}\u00e9`;
      expect((await ra('POST', '/kv:batch', JSON.stringify({ put }))).status).toBe(200);
      expect((await rb('PUT', '/kv/peer:bin', Buffer.from([0, 255, 1, 254]))).status).toBe(204);
      // Every key is readable through the other node, binary values intact.
      const { values } = (
        await rb('POST', '/kv:batch', JSON.stringify({ get: Object.keys(put) }))
      ).json();
      expect(values).toEqual(put);
      expect([...(await ra('GET', '/kv/peer:bin')).body]).toEqual([0, 255, 1, 254]);
      // Both nodes own a fair share (Maglev over the two node URLs).
      const sa = (await ra('GET', '/stats')).json();
      const sb = (await rb('GET', '/stats')).json();
      const wa = sa.shards[0].keys;
      const wb = sb.shards[0].keys;
      expect(wa + wb).toBe(201);
      expect(Math.min(wa, wb)).toBeGreaterThan(50);
      // A scan through either node merges both in key order.
      const items = (await ra('GET', '/kv?gte=peer:&lt=peer:~&limit=1000')).json().items;
      expect(items.map((e: { key: string }) => e.key)).toEqual(
        [...Object.keys(put), 'peer:bin'].sort(),
      );
    } finally {
      ra.close();
      rb.close();
      await Promise.all([na.stop(), nb.stop()]);
    }
  });
});

describe('vector search on worker threads', () => {
  it('gives the same top k as a brute-force search, split over lanes or not', async () => {
    const dim = 8;
    // 300 rows: over --parallel-search-min (one P2C-picked lane); 1200 rows: over 4× it (split).
    const server = await startServer([
      '--data-dir',
      tmp(),
      '--vector-dim',
      String(dim),
      '--parallel-search-min',
      '100',
    ]);
    const req = h2(server.url);
    let seed = 1;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
    const stored = new Map<string, number[]>();
    try {
      for (const total of [300, 1200]) {
        const put: Record<string, number[]> = {};
        for (let i = stored.size; i < total; i++) {
          const v = Array.from({ length: dim }, rand).map((x) => Math.fround(x));
          put[`v${i}`] = v;
          stored.set(`v${i}`, v);
        }
        expect((await req('POST', '/vectors:batch', JSON.stringify({ put }))).status).toBe(200);
        for (let q = 0; q < 5; q++) {
          const query = Array.from({ length: dim }, rand).map((x) => Math.fround(x));
          const { results } = (
            await req('POST', '/vectors/search', JSON.stringify({ vector: query, k: 7 }))
          ).json();
          const expected = [...stored]
            .map(([id, v]) => ({ id, score: v.reduce((s, x, i) => s + x * query[i]!, 0) }))
            .sort((a, b) => b.score - a.score)
            .slice(0, 7);
          expect(results.map((r: { id: string }) => r.id)).toEqual(expected.map((e) => e.id));
          results.forEach((r: { score: number }, i: number) => {
            expect(r.score).toBeCloseTo(expected[i]!.score, 4);
          });
        }
      }
    } finally {
      req.close();
      expect(await server.stop()).toBe(0);
    }
  });
});
