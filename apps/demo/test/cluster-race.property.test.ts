// Writes racing a handoff, as a seeded property: waves of concurrent puts and deletes (distinct
// keys within a wave, so each key's writes are ordered), sent through random nodes, while a
// node joins and another leaves. Once the handoff settles, the value of every key is its newest
// acknowledged write, whichever node is asked.
import { missingBinary } from '@perf/internal/testing';
import { ETCD_BINARY, type EtcdServer, startEtcd } from '@perf/internal/testing/etcd-server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settled, startNode, type TestNode, until } from './cluster-helpers.js';

const skip = missingBinary(ETCD_BINARY, 'apt-get install -y etcd-server');
const KEYS = 64;

const wave = fc.uniqueArray(
  fc.record({
    key: fc.integer({ min: 0, max: KEYS - 1 }),
    del: fc.integer({ min: 0, max: 4 }).map((x) => x === 0),
    via: fc.nat(),
  }),
  { minLength: 1, maxLength: 16, selector: (op) => op.key },
);
const schedule = fc.record({
  waves: fc.array(wave, { minLength: 6, maxLength: 14 }),
  joinAt: fc.nat({ max: 4 }),
  leaveAt: fc.nat({ max: 8 }),
});

describe.skipIf(skip)('writes racing a handoff (seeded property, real etcd)', () => {
  let etcd: EtcdServer;
  beforeAll(async () => {
    etcd = await startEtcd();
  }, 40_000);
  afterAll(async () => {
    await etcd?.dispose();
  });

  it('the final value of every key is its newest acknowledged write', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(schedule, async ({ waves, joinAt, leaveAt }) => {
        const cluster = `race${run++}`;
        const nodes: TestNode[] = [];
        try {
          for (const id of ['a', 'b', 'c']) nodes.push(await startNode(etcd.url, cluster, id));
          await until(
            () => settled(nodes) && nodes[0]!.node.placement.members.length === 3,
            'start',
          );
          const latest = new Map<string, string>();
          const membership: Promise<unknown>[] = [];
          for (let w = 0; w < waves.length; w++) {
            if (w === joinAt)
              membership.push(startNode(etcd.url, cluster, 'd').then((d) => nodes.push(d)));
            if (w === leaveAt) {
              const b = nodes.find((n) => n.id === 'b')!;
              membership.push(b.leave().then(() => nodes.splice(nodes.indexOf(b), 1)));
            }
            const live = nodes.filter((n) => n.id !== 'b' || w < leaveAt);
            await Promise.all(
              waves[w]!.map(async ({ key, del, via }) => {
                const k = `k${key}`;
                const n = live[via % live.length]!.node;
                if (del) {
                  await n.del(k);
                  latest.delete(k);
                } else {
                  const v = `w${w}:${k}`;
                  await n.put(k, Buffer.from(v));
                  latest.set(k, v);
                }
              }),
            );
          }
          await Promise.all(membership);
          await until(() => settled(nodes), 'settled', 60_000);
          for (const n of nodes) {
            const keys = [...Array(KEYS).keys()].map((i) => `k${i}`);
            const got = await n.node.getMany(keys);
            keys.forEach((k, i) => {
              expect(got[i]?.toString(), `${k} via ${n.id}`).toBe(latest.get(k));
            });
          }
        } finally {
          for (const n of nodes) await n.crash().catch(() => {});
        }
      }),
      { numRuns: 4, seed: 20261204, endOnFailure: true },
    );
  }, 240_000);
});
