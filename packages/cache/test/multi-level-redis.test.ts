// MultiLevelCache over a real redis-server, several instances in one process (each with its
// own connections): invalidation by the bus, versions, resync after a lost subscription,
// outages, the cross-instance load lock, grace and timeouts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Cache, CacheError, LruCache, MultiLevelCache } from '../src/index.js';
import { RedisBus } from '../src/redis/index.js';
import {
  type RedisServer,
  redisServerAvailable,
  startRedisServer,
} from '@perf/internal/testing/redis-server';
import { connect, type Instance, instance, subscribed } from './helpers/instances.js';
import type { Redis } from 'ioredis';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(redisServerAvailable())('MultiLevelCache over Redis', () => {
  let server: RedisServer;
  let admin: Redis;
  let open: Instance<unknown>[] = [];
  let n = 0;
  /** Instances sharing one prefix and channel (fresh per test). */
  const group = async <V>(count: number, options: Parameters<typeof instance<V>>[1] = {}) => {
    const prefix = `g${n}:`;
    const channel = `bus${n++}`;
    const list = Array.from({ length: count }, () =>
      instance<V>(server.port, { prefix, channel, ...options }),
    );
    open.push(...(list as Instance<unknown>[]));
    for (const i of list) await subscribed(i as Instance<unknown>);
    return list;
  };

  beforeAll(async () => {
    server = await startRedisServer();
    admin = connect(server.port);
  });
  afterEach(() => {
    for (const i of open) i.close();
    open = [];
  });
  afterAll(async () => {
    admin?.disconnect();
    await server?.close();
  });

  it('a set through A drops the key from B and C; A ignores its own echo', async () => {
    const db = new Map([['k', 'v0']]);
    const [a, b, c] = await group<string>(3, { load: async (k) => db.get(k) });
    expect(await b!.cache.get('k')).toBe('v0');
    expect(await c!.cache.get('k')).toBe('v0');
    expect(b!.l1.has('k')).toBe(true);
    db.set('k', 'v1');
    await a!.cache.set('k', 'v1');
    await expect
      .poll(() => b!.cache.stats().bus.invalidations + c!.cache.stats().bus.invalidations)
      .toBe(2);
    expect(b!.l1.has('k')).toBe(false);
    expect(await b!.cache.get('k')).toBe('v1');
    expect(await c!.cache.get('k')).toBe('v1');
    await expect.poll(() => a!.cache.stats().bus.ignored).toBeGreaterThanOrEqual(1);
    expect(a!.cache.stats().bus.sent).toBeGreaterThanOrEqual(1);
    await a!.cache.delete('k');
    await expect.poll(() => b!.l1.has('k')).toBe(false);
    expect(await b!.tier.get('k')).toBeUndefined();
  });

  it('a bus on its own publishing connection publishes after the write instead', async () => {
    const db = new Map([['k', 'v0']]);
    const [a, b] = await group<string>(2, { load: async (k) => db.get(k), ownPublisher: true });
    expect(await b!.cache.get('k')).toBe('v0');
    db.set('k', 'v1');
    await a!.cache.set('k', 'v1');
    await expect.poll(() => b!.l1.has('k')).toBe(false);
    expect(await b!.cache.get('k')).toBe('v1');
    await a!.cache.delete('k');
    await expect.poll(() => b!.cache.stats().bus.received).toBeGreaterThanOrEqual(2);
    expect(a!.cache.stats().bus.sent).toBeGreaterThanOrEqual(2);
  });

  it('a bus works with an L2 that has no versions (or none): every message applies', async () => {
    const channel = `bus${n++}`;
    const make = () => {
      const client = connect(server.port);
      const subscriber = connect(server.port);
      const bus = new RedisBus({ publisher: client, subscriber, channel });
      const l1 = new LruCache<string, number>({ maximumSize: 10 });
      const cache = new MultiLevelCache({
        l1,
        l2: new Cache<string, number>({ maximumSize: 10 }), // each instance its own
        bus,
        load: async () => 1,
      });
      return {
        l1,
        cache,
        bus,
        close() {
          cache.close();
          client.disconnect();
          subscriber.disconnect();
        },
      };
    };
    const a = make();
    const b = make();
    try {
      await expect.poll(() => a.bus.connected && b.bus.connected).toBe(true);
      expect(await b.cache.get('k')).toBe(1);
      await a.cache.set('k', 2);
      await expect.poll(() => b.l1.has('k')).toBe(false);
      expect(await b.cache.get('k')).toBe(1); // its own L2 and loader
      await a.cache.delete('k');
      await expect.poll(() => b.l1.has('k')).toBe(false);
    } finally {
      a.close();
      b.close();
    }
  });

  it('ignores a message older than the entry it holds, and applies a newer one', async () => {
    const [a, b] = await group<string>(2);
    await a!.cache.set('k', 'w');
    await a!.cache.set('k', 'x'); // version ≥ 2: version 0 means "unversioned, always apply"
    const entry = (await b!.tier.getEntry('k'))!;
    expect(await b!.cache.get('k')).toBe('x');
    const send = (version: number) =>
      admin.publish(
        b!.bus === undefined ? '' : `bus${n - 1}`,
        JSON.stringify({
          p: 'perf-cache/1',
          o: 'other',
          v: version,
          k: ['k'],
          t: 'set',
          s: Date.now(),
        }),
      );
    const ignored = b!.cache.stats().bus.ignored;
    await send(entry.version - 1);
    await send(entry.version);
    await expect.poll(() => b!.cache.stats().bus.ignored).toBe(ignored + 2);
    expect(b!.l1.get('k')).toBe('x');
    await send(entry.version + 1);
    await expect.poll(() => b!.l1.has('k')).toBe(false);
  });

  it('counts and ignores foreign or garbled messages, never throwing', async () => {
    const [, b] = await group<string>(2);
    const channel = `bus${n - 1}`;
    const bad = [
      'garbage',
      '{',
      'null',
      '[]',
      '{"p":"perf-cache/1"}',
      JSON.stringify({ p: 'other/1', o: 'x', v: 1, k: ['k'], t: 'set', s: 0 }),
      JSON.stringify({ p: 'perf-cache/1', o: 1, v: 1, k: ['k'], t: 'set', s: 0 }),
      JSON.stringify({ p: 'perf-cache/1', o: 'x', v: 'nine', k: ['k'], t: 'set', s: 0 }),
      JSON.stringify({ p: 'perf-cache/1', o: 'x', v: 1, k: [{}], t: 'set', s: 0 }),
      JSON.stringify({ p: 'perf-cache/1', o: 'x', v: 1, k: 'k', t: 'set', s: 0 }),
      JSON.stringify({ p: 'perf-cache/1', o: 'x', v: 1, k: ['k'], t: 'explode', s: 0 }),
    ];
    for (const m of bad) await admin.publish(channel, m);
    await admin.publish(channel, Buffer.from([0xff, 0xfe, 0, 1]));
    await expect.poll(() => b!.cache.stats().bus.invalid).toBe(bad.length + 1);
    expect(b!.cache.stats().bus.received).toBe(0);
  });

  it('loads a missing key once across instances (100 concurrent gets on each of 3)', async () => {
    const counter = `loads${n}`;
    const load = async (k: string) => {
      await admin.incr(counter);
      await sleep(30);
      return `v:${k}`;
    };
    const list = await group<string>(3, { load });
    const results = await Promise.all(
      list.flatMap((i) => Array.from({ length: 100 }, () => i.cache.get('hot'))),
    );
    expect(new Set(results)).toEqual(new Set(['v:hot']));
    expect(Number(await admin.get(counter))).toBe(1);
    const locks = list.map((i) => i.cache.stats().locks);
    expect(locks.reduce((s, l) => s + l.acquired, 0)).toBe(1);
    expect(locks.reduce((s, l) => s + l.timeouts, 0)).toBe(0);
  });

  it('an absent key (loader returns undefined) is answered to the waiters too', async () => {
    const counter = `absent${n}`;
    const load = async () => {
      await admin.incr(counter);
      await sleep(30);
      return undefined;
    };
    const list = await group<string>(3, { load });
    const results = await Promise.all(list.map((i) => i.cache.get('none')));
    expect(results).toEqual([undefined, undefined, undefined]);
    expect(Number(await admin.get(counter))).toBe(1);
  });

  it('a lost subscription resyncs: every possibly-stale L1 entry is dropped', async () => {
    const db = new Map([['k', 'old']]);
    // B's subscriber waits 300 ms before reconnecting, so A's write lands in the gap.
    const [a] = await group<string>(1, { load: async (k) => db.get(k) });
    const [b] = await group<string>(1, {
      prefix: `g${n - 1}:`,
      channel: `bus${n - 1}`,
      load: async (k) => db.get(k),
      subscriberOptions: { retryStrategy: () => 300 },
    });
    expect(await b!.cache.get('k')).toBe('old');
    expect(await b!.cache.get('unrelated')).toBeUndefined();
    const clients = (await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
    const ids = [...clients.matchAll(/id=(\d+)/g)].map((m) => m[1]!);
    // Kill the newest pubsub connection: B's (it connected after A's).
    const victim = ids.map(Number).sort((x, y) => y - x)[0]!;
    await admin.call('CLIENT', 'KILL', 'ID', String(victim));
    db.set('k', 'new');
    await a!.cache.set('k', 'new');
    await expect.poll(() => b!.cache.stats().bus.resyncs, { timeout: 10_000 }).toBe(1);
    expect(b!.cache.stats().bus.disconnects).toBe(1);
    expect(await b!.cache.get('k')).toBe('new');
  });

  it('a heartbeat notices a subscription that stopped answering, and resyncs', async () => {
    const [a, b] = await group<string>(2, {
      load: async () => 'v',
      heartbeat: 50,
      busTimeout: 100,
    });
    expect(await b!.cache.get('k')).toBe('v');
    // Every client stalls (a hung connection, as in a partition): PINGs go unanswered.
    await admin.call('CLIENT', 'PAUSE', '500', 'ALL');
    await expect
      .poll(() => b!.cache.stats().bus.disconnects, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(1);
    expect(b!.l1.get('k')).toBe('v'); // L1 still answers meanwhile
    await expect
      .poll(() => b!.cache.stats().bus.resyncs, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(1);
    expect(b!.l1.has('k')).toBe(false); // dropped: it may have missed an invalidation
    await a!.cache.set('k', 'w');
    expect(await b!.cache.get('k')).toBe('w');
  });

  it('Redis down: L1 keeps answering, misses load, writes are remembered; after restart nothing stale', async () => {
    const db = new Map([
      ['a', 'a0'],
      ['b', 'b0'],
    ]);
    const [x, y] = await group<string>(2, { load: async (k) => db.get(k), timeout: 200 });
    expect(await x!.cache.get('a')).toBe('a0');
    expect(await y!.cache.get('a')).toBe('a0');
    await server.stop('SIGKILL');
    // L1 answers; a miss goes to the loader (the L2 error is counted, not thrown).
    expect(await y!.cache.get('a')).toBe('a0');
    db.set('b', 'b1');
    expect(await x!.cache.get('b')).toBe('b1');
    db.set('a', 'a1');
    await x!.cache.set('a', 'a1'); // resolves: L1 took it, the key is remembered
    expect(x!.cache.stats().pending).toBe(1);
    expect(x!.cache.stats().l2.errors).toBeGreaterThan(0);
    await x!.cache.delete('b');
    expect(x!.cache.stats().pending).toBe(2);
    expect(await y!.cache.get('a')).toBe('a0'); // y cannot know yet: inside the window
    await server.start();
    await expect.poll(() => y!.cache.stats().bus.resyncs, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => x!.cache.stats().pending, { timeout: 10_000 }).toBe(0);
    expect(await y!.cache.get('a')).toBe('a1');
    expect(await x!.cache.get('a')).toBe('a1');
  });

  it('a write remembered while only its own connection was down is invalidated everywhere', async () => {
    const db = new Map([['k', 'old']]);
    const [a, b] = await group<string>(2, { load: async (k) => db.get(k) });
    expect(await b!.cache.get('k')).toBe('old');
    a!.client.disconnect(); // A's data + publish connection; its subscriber stays up
    db.set('k', 'new');
    await a!.cache.set('k', 'new');
    expect(a!.cache.stats().pending).toBe(1);
    expect(await b!.cache.get('k')).toBe('old'); // the L2 still has it: A's write never got there
    await a!.client.connect();
    await a!.cache.get('other'); // the first call that succeeds flushes what was remembered
    await expect.poll(() => a!.cache.stats().pending).toBe(0);
    await expect.poll(() => b!.l1.has('k')).toBe(false);
    expect(await b!.cache.get('k')).toBe('new');
  });

  it('L1 never keeps an entry past its remaining L2 TTL', async () => {
    const [a, b] = await group<string>(2, { l1Ttl: 3_600_000 });
    await a!.tier.setEntry('short', 'x', { ttl: 40 });
    expect(await b!.cache.get('short')).toBe('x');
    expect(b!.l1.has('short')).toBe(true);
    await expect.poll(() => b!.l1.has('short'), { timeout: 5000, interval: 10 }).toBe(false);
  });

  it('grace: a failing loader serves the stale value until one succeeds', async () => {
    let fail = false;
    let version = 0;
    const load = async () => {
      if (fail) throw new Error('db down');
      return `v${++version}`;
    };
    const [a] = await group<string>(1, { load, l2Ttl: 30, grace: 60_000 });
    expect(await a!.cache.get('g')).toBe('v1');
    await sleep(40);
    fail = true;
    expect(await a!.cache.get('g')).toBe('v1');
    expect(a!.cache.stats().staleHits).toBe(1);
    expect(a!.cache.stats().loadFailures).toBe(1);
    fail = false;
    expect(await a!.cache.get('g')).toBe('v2'); // no soft timeout: the refresh is awaited
  });

  it('soft timeout returns stale and finishes in the background; hard timeout rejects typed', async () => {
    let gate: Promise<void> | undefined;
    let open!: () => void;
    let version = 0;
    const load = async () => {
      if (gate !== undefined) await gate;
      return `v${++version}`;
    };
    const [a] = await group<string>(1, { load, l2Ttl: 30, grace: 60_000, timeouts: { soft: 10 } });
    expect(await a!.cache.get('s')).toBe('v1');
    await sleep(40);
    gate = new Promise<void>((r) => (open = r));
    expect(await a!.cache.get('s')).toBe('v1'); // stale, after 10 ms
    expect(a!.cache.stats().staleHits).toBe(1);
    open();
    await expect.poll(() => a!.cache.get('s')).not.toBe('v1');

    gate = new Promise<void>((r) => (open = r));
    const [h] = await group<string>(1, { load, timeouts: { hard: 20 } });
    const error = await h!.cache.get('missing').catch((e: unknown) => e);
    expect(CacheError.is(error)).toBe(true);
    expect(error).toMatchObject({ code: 'PERF_CACHE_TIMEOUT', operation: 'load', timeoutMs: 20 });
    open();
    await expect.poll(() => h!.cache.get('missing')).toMatch(/^v/);
  });

  it('refuses a value the L2 cannot store with TypeError, changing nothing', async () => {
    const [a] = await group<unknown>(1);
    await a!.cache.set('k', 1);
    await expect(a!.cache.set('k', new Map())).rejects.toThrow(TypeError);
    expect(a!.l1.get('k')).toBe(1);
    expect(await a!.tier.get('k')).toBe(1);
  });
});
