// Model-based: random concurrent sets, deletes and reads on two instances sharing one real
// redis-server. Once every bus message has been delivered, both instances read exactly what
// Redis holds for every key: no L1 keeps a value that a later write replaced.
import type { Redis } from 'ioredis';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RedisServer,
  redisServerAvailable,
  startRedisServer,
} from '@perf/internal/testing/redis-server';
import { connect, type Instance, instance, subscribed } from './helpers/instances.js';

const RUNS = Number(process.env.PERF_FUZZ_RUNS ?? 12);
const KEYS = ['a', 'b', 'c'];

describe.runIf(redisServerAvailable())('MultiLevelCache convergence over Redis', () => {
  let server: RedisServer;
  let admin: Redis;
  let run = 0;

  beforeAll(async () => {
    server = await startRedisServer();
    admin = connect(server.port);
  });
  afterAll(async () => {
    admin?.disconnect();
    await server?.close();
  });

  it('after quiescence every instance reads what Redis holds', async () => {
    const op = fc.oneof(
      fc.record({
        type: fc.constant('set' as const),
        who: fc.nat(1),
        key: fc.constantFrom(...KEYS),
        value: fc.nat(1000),
      }),
      fc.record({
        type: fc.constant('delete' as const),
        who: fc.nat(1),
        key: fc.constantFrom(...KEYS),
      }),
      fc.record({ type: fc.constant('clear' as const), who: fc.nat(1), key: fc.constant('') }),
      fc.record({
        type: fc.constant('get' as const),
        who: fc.nat(1),
        key: fc.constantFrom(...KEYS),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(op, { minLength: 1, maxLength: 6 }), { maxLength: 8 }),
        async (rounds) => {
          const prefix = `conv${run}:`;
          const channel = `conv${run++}`;
          // The backend: a loaded value is whatever the last write said (or absent).
          const db = new Map<string, number>();
          const load = async (k: string) => db.get(k);
          const list: Instance<number>[] = [0, 1].map(() =>
            instance<number>(server.port, { prefix, channel, load, timeout: 10_000 }),
          );
          try {
            for (const i of list) await subscribed(i as Instance<unknown>);
            for (const ops of rounds) {
              // One round's operations run concurrently; rounds follow one another.
              await Promise.all(
                ops.map(async (o) => {
                  const c = list[o.who]!.cache;
                  if (o.type === 'set') {
                    db.set(o.key, o.value);
                    await c.set(o.key, o.value);
                  } else if (o.type === 'delete') {
                    db.delete(o.key);
                    await c.delete(o.key);
                  } else if (o.type === 'clear') {
                    db.clear();
                    await c.invalidateAll();
                  } else await c.get(o.key);
                }),
              );
            }
            // Quiescence: each instance received every message the other sent.
            await expect
              .poll(
                () =>
                  list[0]!.cache.stats().bus.received === list[1]!.cache.stats().bus.sent &&
                  list[1]!.cache.stats().bus.received === list[0]!.cache.stats().bus.sent,
                { timeout: 10_000, interval: 5 },
              )
              .toBe(true);
            // No Redis call failed or timed out: an L2 error legitimately leaves a write in
            // L1 only (outage behaviour), which is not what this test is about.
            for (const i of list) expect(i.cache.stats().l2.errors).toBe(0);
            for (const key of KEYS) {
              const truth = await list[0]!.tier.get(key);
              for (const i of list) {
                const held = i.l1.get(key);
                if (held !== undefined) expect(held).toBe(truth);
                expect(await i.cache.get(key)).toBe(truth ?? db.get(key));
              }
            }
          } finally {
            for (const i of list) i.close();
          }
        },
      ),
      { numRuns: RUNS },
    );
  }, 120_000);
});
