import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { Cache } from '../src/index.js';
import { RedisTier } from '../src/redis/index.js';
import { asyncStoreContract } from './async-store-contract.js';
import {
  type RedisServer,
  redisServerAvailable,
  startRedisServer,
} from '@perf/internal/testing/redis-server';

asyncStoreContract('Cache', () => {
  const cache = new Cache<string, never>({ maximumSize: 1000 });
  return { store: cache, clear: async () => cache.invalidateAll() };
});

if (redisServerAvailable()) {
  let server: RedisServer;
  const clients: Redis[] = [];
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await server?.close();
  });
  let n = 0;
  for (const serializer of ['json', 'v8'] as const) {
    asyncStoreContract(`RedisTier (${serializer})`, () => {
      const client = new Redis({ port: server.port, host: '127.0.0.1', lazyConnect: false });
      clients.push(client);
      const tier = new RedisTier<string, never>({ client, prefix: `contract${n++}:`, serializer });
      return { store: tier, clear: async () => void (await tier.invalidateAll()) };
    });
  }
}
