// RedisTier on a real redis-server: encoding, versions, logical expiry, batch calls in one
// round trip, invalidateAll by SCAN + UNLINK, corrupt values, timeouts and a server that is down.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheError } from '../src/index.js';
import { RedisTier } from '../src/redis/index.js';
import {
  type RedisServer,
  redisServerAvailable,
  startRedisServer,
} from '@perf/internal/testing/redis-server';

describe.runIf(redisServerAvailable())('RedisTier', () => {
  let server: RedisServer;
  let client: Redis;
  let admin: Redis;
  let n = 0;
  const tier = <V>(options: Partial<ConstructorParameters<typeof RedisTier>[0]> = {}) =>
    new RedisTier<string, V>({ client, prefix: `t${n++}:`, ...options });

  /** Calls of `command` so far (commands run inside a script are counted under their own name). */
  const calls = async (...names: string[]): Promise<number> => {
    const info = (await admin.info('commandstats')) as string;
    let sum = 0;
    for (const name of names)
      sum += Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
    return sum;
  };
  /** Commands the client sent (every batch call of the tier is one script or one MGET). */
  const commands = () => calls('evalsha', 'eval', 'mget');

  beforeAll(async () => {
    server = await startRedisServer();
    client = new Redis({ port: server.port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
    admin = new Redis({ port: server.port, host: '127.0.0.1' });
  });
  afterAll(async () => {
    client?.disconnect();
    admin?.disconnect();
    await server?.close();
  });

  it('rejects bad options with TypeError/RangeError', () => {
    expect(() => new RedisTier({ client: {} as never, prefix: 'x' })).toThrow(TypeError);
    expect(() => new RedisTier({ client, prefix: 1 as never })).toThrow(TypeError);
    expect(() => new RedisTier({ client, prefix: 'x', serializer: 'xml' as never })).toThrow(
      TypeError,
    );
    expect(() => new RedisTier({ client, prefix: 'x', ttl: -1 })).toThrow(RangeError);
    expect(() => new RedisTier({ client, prefix: 'x', timeout: 0 })).toThrow(RangeError);
  });

  it('JSON refuses, at set, every value it would silently change', async () => {
    const t = tier<unknown>();
    const bad: unknown[] = [
      new Map([[1, 2]]),
      new Set([1]),
      new Date(0),
      { nested: new Map() },
      [() => 1],
      { f: () => 1 },
      { u: undefined },
      Number.NaN,
      { n: Number.POSITIVE_INFINITY },
      Symbol('s'),
      10n,
      new (class Point {})(),
    ];
    for (const value of bad) {
      await expect(t.set('k', value)).rejects.toThrow(TypeError);
    }
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(t.set('k', cyclic)).rejects.toThrow(TypeError);
    await expect(t.set('k', undefined)).rejects.toThrow(TypeError);
    expect(await admin.exists(`t${n - 1}:k`)).toBe(0); // nothing was written
  });

  it('v8 round-trips Map, Set, Date and BigInt; functions still throw TypeError', async () => {
    const t = tier<unknown>({ serializer: 'v8' });
    const value = { m: new Map([[1, 'a']]), s: new Set([2]), d: new Date(5), b: 7n };
    await t.set('k', value);
    expect(await t.get('k')).toEqual(value);
    await expect(t.set('f', { f: () => 1 })).rejects.toThrow(TypeError);
  });

  it('stores Buffers raw, whatever the serializer', async () => {
    const t = tier<Buffer>();
    const bytes = Buffer.from([0, 1, 2, 255, 0x3a]);
    await t.set('b', bytes);
    const read = await t.get('b');
    expect(Buffer.isBuffer(read)).toBe(true);
    expect(read!.equals(bytes)).toBe(true);
    const raw = await admin.getBuffer(`t${n - 1}:b`);
    expect(raw!.subarray(raw!.length - bytes.length).equals(bytes)).toBe(true);
  });

  it('uses a custom serializer', async () => {
    const t = tier<number>({
      serializer: {
        serialize: (v) => String(v),
        deserialize: (b) => Number(b.toString()),
      },
    });
    await t.set('c', 42);
    expect(await t.get('c')).toBe(42);
  });

  it('stamps every write with a version that only grows, across tiers of one prefix', async () => {
    const a = new RedisTier<string, number>({ client, prefix: 'shared:' });
    const b = new RedisTier<string, number>({ client: admin, prefix: 'shared:' });
    const v1 = await a.setEntry('k', 1);
    const v2 = await b.setEntry('k', 2);
    const v3 = await a.deleteEntries(['k']);
    const v4 = await b.setEntry('k', 4);
    expect(v1 < v2 && v2 < v3 && v3 < v4).toBe(true);
    expect((await a.getEntry('k'))?.version).toBe(v4);
  });

  it('carries a logical expiry: fresh for ttl, kept in grace until ttl + grace', async () => {
    const t = tier<number>();
    await t.setEntry('g', 1, { ttl: 60_000, grace: 30_000 });
    const e = (await t.getEntry('g'))!;
    expect(e.freshFor).toBeGreaterThan(0);
    expect(e.freshFor).toBeLessThanOrEqual(60_000);
    expect(e.expiresIn).toBeLessThanOrEqual(90_000);
    expect(e.expiresIn - e.freshFor).toBe(30_000);
    const pttl = await admin.pttl(`t${n - 1}:g`);
    expect(pttl).toBeGreaterThan(60_000);
    // Past its TTL, inside its grace: getEntry returns it as stale, get does not.
    await t.setEntry('s', 2, { ttl: 1, grace: 60_000 });
    await expect.poll(async () => (await t.getEntry('s'))!.freshFor <= 0).toBe(true);
    expect(await t.get('s')).toBeUndefined();
    expect((await t.getEntry('s'))?.value).toBe(2);
    // No TTL: never expires.
    await t.setEntry('f', 3);
    expect((await t.getEntry('f'))?.freshFor).toBe(Number.POSITIVE_INFINITY);
  });

  it('getMany, setMany and deleteMany of 100 keys are one command each', async () => {
    const t = tier<number>();
    const keys = Array.from({ length: 100 }, (_, i) => `k${i}`);
    let before = await commands();
    await t.setMany(keys.map((k, i) => [k, i] as const));
    expect((await commands()) - before).toBe(1);
    before = await commands();
    const values = await t.getMany([...keys, 'absent']);
    expect((await commands()) - before).toBe(1);
    expect(values).toEqual([...keys.map((_, i) => i), undefined]);
    before = await commands();
    await t.deleteMany(keys);
    expect((await commands()) - before).toBe(1);
    expect(await t.getMany(keys)).toEqual(keys.map(() => undefined));
  });

  it('invalidateAll deletes exactly its prefix, with SCAN and UNLINK, never KEYS', async () => {
    const mine = new RedisTier<string, number>({ client, prefix: 'inv:' });
    const other = new RedisTier<string, number>({ client, prefix: 'invother:' });
    await mine.setMany(Array.from({ length: 2500 }, (_, i) => [`k${i}`, i] as const));
    await other.set('keep', 1);
    await admin.set('inv-not-a-prefix-match', 'x');
    const v = await mine.setEntry('x', 1);
    expect(await mine.invalidateAll()).toBeGreaterThan(v); // versions survive (counter kept)
    const keysCalls = await calls('keys');
    const left: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await admin.scan(cursor, 'MATCH', 'inv:*', 'COUNT', 1000);
      cursor = next;
      left.push(...batch);
    } while (cursor !== '0');
    expect(left.every((k) => k.startsWith('inv:\u0000'))).toBe(true);
    expect(await other.get('keep')).toBe(1);
    expect(await admin.get('inv-not-a-prefix-match')).toBe('x');
    expect(keysCalls).toBe(0);
    expect(await calls('unlink')).toBeGreaterThan(0);
    expect(await mine.setEntry('after', 1)).toBeGreaterThan(v);
  });

  it('reads an undecodable value as a miss, counts it and deletes it', async () => {
    const t = tier<number>();
    const name = `t${n - 1}:`;
    for (const garbage of [
      'not ours',
      'pc1:12:0:0:j{broken',
      'pc1:x:0:0:j1',
      'pc1:1:0:0:zzz',
      'pc1:',
      'pc1:1:0:j1',
    ]) {
      await admin.set(`${name}bad`, garbage);
      expect(await t.get('bad')).toBeUndefined();
      expect(await admin.exists(`${name}bad`)).toBe(0);
    }
    expect(t.stats().corrupt).toBe(6);
  });

  it('records every call in an attached latency recorder (microseconds)', async () => {
    const recorded: number[] = [];
    const t = tier<number>({ latency: { record: (v) => void recorded.push(v) } });
    await t.set('l', 1);
    await t.get('l');
    await t.getMany(['l', 'm']);
    expect(recorded).toHaveLength(3);
    expect(recorded.every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
    // A recorder that throws (a histogram out of range) never fails the call.
    const failing = tier<number>({
      latency: {
        record() {
          throw new RangeError('out of range');
        },
      },
    });
    await failing.set('x', 1);
    expect(await failing.get('x')).toBe(1);
  });

  it('rejects keys it cannot name', async () => {
    const t = tier<number>();
    await expect(t.get({} as never)).rejects.toThrow(TypeError);
    await expect(t.set(Number.NaN as never, 1)).rejects.toThrow(TypeError);
  });

  it('bounds every call: a paused server gives PERF_CACHE_TIMEOUT', async () => {
    const t = tier<number>({ timeout: 50 });
    await t.set('p', 1);
    await admin.call('CLIENT', 'PAUSE', '400', 'ALL');
    const error = await t.get('p').catch((e: unknown) => e);
    expect(CacheError.is(error)).toBe(true);
    expect(error).toMatchObject({ code: 'PERF_CACHE_TIMEOUT', operation: 'get', timeoutMs: 50 });
    expect(t.stats().timeouts).toBe(1);
    await admin.call('CLIENT', 'UNPAUSE');
    await expect.poll(() => t.get('p').catch(() => 'x')).toBe(1);
  });
});
