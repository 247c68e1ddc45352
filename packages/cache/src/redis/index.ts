/**
 * @packageDocumentation
 * Redis for @perf/cache: `RedisTier`, an L2 with versioned entries, batch calls and load
 * locks, and `RedisBus`, invalidations between instances over Pub/Sub. Pass your own ioredis
 * (5.x or 6.x) clients; ioredis is an optional peer dependency.
 *
 * @module @perf/cache/redis
 */

export { parseMessage, RedisBus } from './redis-bus.js';
export { RedisTier } from './redis-tier.js';

export type { RedisArgument, RedisClient, RedisSubscriber } from './client.js';
export type { Serializer, SerializerOption } from './codec.js';
export type { RedisBusOptions } from './redis-bus.js';
export type { RedisKey, RedisTierOptions, RedisTierStats } from './redis-tier.js';
