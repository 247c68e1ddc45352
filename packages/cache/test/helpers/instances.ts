// Builds MultiLevelCache instances wired as an application would: one data connection (also the
// publisher), one subscriber connection, a RedisTier and a RedisBus, an LruCache as L1.
import { Redis, type RedisOptions } from 'ioredis';
import { LruCache, type MultiLevelCacheOptions, MultiLevelCache } from '../../src/index.js';
import { RedisBus, RedisTier } from '../../src/redis/index.js';

export interface Instance<V> {
  cache: MultiLevelCache<string, V>;
  l1: LruCache<string, V>;
  tier: RedisTier<string, V>;
  bus: RedisBus;
  client: Redis;
  subscriber: Redis;
  close(): void;
}

export function connect(port: number, extra: RedisOptions = {}): Redis {
  const client = new Redis({
    port,
    host: '127.0.0.1',
    maxRetriesPerRequest: 1,
    retryStrategy: () => 25,
    ...extra,
  });
  client.on('error', () => {}); // refused connections while a test keeps the server down
  return client;
}

export function instance<V>(
  port: number,
  options: Partial<MultiLevelCacheOptions<string, V>> & {
    prefix?: string;
    channel?: string;
    subscriberOptions?: RedisOptions;
    timeout?: number;
    /** Publish through a third connection (the tier then cannot announce its own writes). */
    ownPublisher?: boolean;
    /** The bus's heartbeat (ms) and the bound of its calls. */
    heartbeat?: number;
    busTimeout?: number;
  } = {},
): Instance<V> {
  const {
    prefix = 'app:',
    channel = 'app-bus',
    subscriberOptions,
    timeout,
    ownPublisher,
    heartbeat,
    busTimeout,
    ...rest
  } = options;
  const client = connect(port);
  const subscriber = connect(port, subscriberOptions);
  const tier = new RedisTier<string, V>({ client, prefix, timeout });
  const publisher = ownPublisher ? connect(port) : client;
  const bus = new RedisBus({ publisher, subscriber, channel, heartbeat, timeout: busTimeout });
  const l1 = new LruCache<string, V>({ maximumSize: 1000 });
  const cache = new MultiLevelCache<string, V>({
    l1,
    l2: tier,
    bus,
    load: async () => undefined,
    ...rest,
  });
  return {
    cache,
    l1,
    tier,
    bus,
    client,
    subscriber,
    close() {
      cache.close();
      client.disconnect();
      subscriber.disconnect();
      if (publisher !== client) publisher.disconnect();
    },
  };
}

/** Resolves once the bus subscription of `i` is active. */
export async function subscribed(i: Instance<unknown>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!i.bus.connected) {
    if (Date.now() > deadline) throw new Error('bus never subscribed');
    await new Promise((r) => setTimeout(r, 5));
  }
}
