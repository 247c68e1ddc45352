// The shard workers' LSM latencies reach /metrics through shared memory: a real perf-kv with
// two storage shards on real worker threads records each store call in its own thread, and the
// main thread's /metrics shows every one of them, counted exactly once.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { h2, type Server, startServer } from './helpers.js';

let server: Server;
let dir: string;
let req: ReturnType<typeof h2>;
beforeAll(async () => {
  dir = mkdtempSync(join(os.tmpdir(), 'perf-kv-lsm-metrics-'));
  server = await startServer(['--data-dir', dir, '--shards', '2']);
  req = h2(server.url);
});
afterAll(async () => {
  req?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Samples of one family, keyed by their label text (`shard="0",op="get"`). */
async function scrape(name: string): Promise<Map<string, number>> {
  const r = await req('GET', '/metrics');
  expect(r.status).toBe(200);
  const out = new Map<string, number>();
  for (const line of r.text.split('\n')) {
    const m = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (m && m[1] === name) out.set(m[2]!, Number(m[3]));
  }
  return out;
}

const total = (m: Map<string, number>, op: string) =>
  [...m].filter(([k]) => k.endsWith(`op="${op}"`)).reduce((s, [, v]) => s + v, 0);
const perShard = (m: Map<string, number>, op: string) =>
  [0, 1].map((s) => m.get(`shard="${s}",op="${op}"`) ?? Number.NaN);
const delta = (a: Map<string, number>, b: Map<string, number>, op: string) =>
  total(b, op) - total(a, op);

it('counts every get, put and delete the shard workers did, once, in the main thread /metrics', async () => {
  const keys0 = await scrape('perf_kv_lsm_keys_total');
  const count0 = await scrape('perf_kv_lsm_duration_seconds_count');
  // Every declared series is there from the start, one per shard and op.
  expect([...keys0.keys()].sort()).toEqual([
    'shard="0",op="del"',
    'shard="0",op="get"',
    'shard="0",op="put"',
    'shard="1",op="del"',
    'shard="1",op="get"',
    'shard="1",op="put"',
  ]);
  expect([...count0.keys()].sort()).toEqual([
    'shard="0",op="get"',
    'shard="0",op="write"',
    'shard="1",op="get"',
    'shard="1",op="write"',
  ]);

  // One at a time: each request is one store call on one shard.
  const PUTS = 60;
  const GETS = 40;
  const DELS = 15;
  for (let i = 0; i < PUTS; i++)
    expect((await req('PUT', `/kv/lsm-metrics:${i}`, `v${i}`)).status).toBe(204);
  for (
    let i = 0;
    i < GETS;
    i++ // never written, so a cache miss that reaches a shard
  )
    expect((await req('GET', `/kv/lsm-metrics:absent:${i}`)).status).toBe(404);
  for (let i = 0; i < DELS; i++)
    expect((await req('DELETE', `/kv/lsm-metrics:${i}`)).status).toBe(204);

  const keys1 = await scrape('perf_kv_lsm_keys_total');
  const count1 = await scrape('perf_kv_lsm_duration_seconds_count');
  expect(delta(keys0, keys1, 'put')).toBe(PUTS);
  expect(delta(keys0, keys1, 'get')).toBe(GETS);
  expect(delta(keys0, keys1, 'del')).toBe(DELS);
  expect(delta(count0, count1, 'write')).toBe(PUTS + DELS);
  expect(delta(count0, count1, 'get')).toBe(GETS);
  // Both workers recorded (placement spreads 60 keys over both shards).
  for (const v of perShard(keys1, 'put')) expect(v).toBeGreaterThan(0);

  // Concurrent misses: a tick's loads become one getMany per shard, so there are fewer calls
  // than keys, but every key is counted.
  const CONCURRENT = 100;
  const replies = await Promise.all(
    Array.from({ length: CONCURRENT }, (_, i) => req('GET', `/kv/lsm-metrics:burst:${i}`)),
  );
  for (const r of replies) expect(r.status).toBe(404);
  const keys2 = await scrape('perf_kv_lsm_keys_total');
  const count2 = await scrape('perf_kv_lsm_duration_seconds_count');
  expect(delta(keys1, keys2, 'get')).toBe(CONCURRENT);
  const calls = delta(count1, count2, 'get');
  expect(calls).toBeGreaterThanOrEqual(2);
  expect(calls).toBeLessThanOrEqual(CONCURRENT);

  // A well-formed histogram: cumulative buckets, +Inf equals the count, a positive sum.
  const buckets = await scrape('perf_kv_lsm_duration_seconds_bucket');
  const sums = await scrape('perf_kv_lsm_duration_seconds_sum');
  for (const [series, count] of count2) {
    const les = [...buckets].filter(([k]) => k.startsWith(`${series},le=`)).map(([, v]) => v);
    expect(les.length).toBeGreaterThan(1);
    for (let i = 1; i < les.length; i++) expect(les[i]!).toBeGreaterThanOrEqual(les[i - 1]!);
    expect(buckets.get(`${series},le="+Inf"`)).toBe(count);
    if (count > 0) expect(sums.get(series)!).toBeGreaterThan(0);
  }
});
