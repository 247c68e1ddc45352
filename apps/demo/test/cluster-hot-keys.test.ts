// Hot keys on every node, kept fresh over a real Redis bus: a node serves other owners' keys
// from its L1, and an owner's acknowledged write reaches every L1 as an invalidation. Once the
// invalidation has been delivered, no node answers the old value.
import { missingBinary } from '@perf/internal/testing';
import { ETCD_BINARY, type EtcdServer, startEtcd } from '@perf/internal/testing/etcd-server';
import { type RedisServer, startRedisServer } from '@perf/internal/testing/redis-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settled, startNode, type TestNode, until } from './cluster-helpers.js';

const skip =
  missingBinary(ETCD_BINARY, 'apt-get install -y etcd-server') ??
  missingBinary('/usr/bin/redis-server', 'apt-get install -y redis-server');

describe.skipIf(skip)('hot keys cached on every node (real etcd, real Redis)', () => {
  let etcd: EtcdServer;
  let redis: RedisServer;
  const nodes: TestNode[] = [];
  beforeAll(async () => {
    etcd = await startEtcd();
    redis = await startRedisServer();
    for (const id of ['a', 'b', 'c'])
      nodes.push(await startNode(etcd.url, 'hot', id, { redisPort: redis.port }));
    await until(() => settled(nodes) && nodes[0]!.node.placement.members.length === 3, 'settled');
  }, 60_000);
  afterAll(async () => {
    for (const n of nodes) await n.crash().catch(() => {});
    await redis?.close();
    await etcd?.dispose();
  });

  it('serves another owner’s key from L1, and never the old value once the invalidation arrived', async () => {
    const [a, b, c] = nodes as [TestNode, TestNode, TestNode];
    const keys = [...Array(300).keys()].map((i) => `hot:${i}`);
    const ofB = keys.filter((k) => a.node.placement.ownerOf(k)!.id === 'b');
    const before = a.node.stats().invalidations.received;
    await b.node.batch(
      ofB.map((k) => [k, Buffer.from(`v1:${k}`)] as [string, Buffer]),
      [],
    );
    await until(() => a.node.stats().invalidations.received > before, 'first invalidation');
    await a.node.getMany(ofB); // fills a's L1
    const hits = a.node.stats().hotKeyHits;
    const again = await a.node.getMany(ofB);
    expect(a.node.stats().hotKeyHits - hits).toBe(ofB.length);
    again.forEach((v, i) => {
      expect(v?.toString()).toBe(`v1:${ofB[i]}`);
    });

    // Written through c (forwarded to the owner b); a learns of it from the bus.
    for (let round = 2; round < 12; round++) {
      const received = a.node.stats().invalidations.received;
      await c.node.batch(
        ofB.map((k) => [k, Buffer.from(`v${round}:${k}`)] as [string, Buffer]),
        [],
      );
      await until(() => a.node.stats().invalidations.received > received, 'invalidation delivered');
      const got = await a.node.getMany(ofB);
      got.forEach((v, i) => {
        expect(v?.toString(), ofB[i]).toBe(`v${round}:${ofB[i]}`);
      });
    }
    // c wrote through itself: read-your-writes there without waiting for the bus.
    await c.node.put(ofB[0]!, Buffer.from('mine'));
    expect((await c.node.get(ofB[0]!))?.toString()).toBe('mine');
    const s = a.node.stats().invalidations;
    expect(s.received).toBeGreaterThan(0);
    console.log(
      `invalidation delivery: p50 ${s.p50Ms.toFixed(2)} ms, p99 ${s.p99Ms.toFixed(2)} ms`,
    );
  }, 60_000);
});
