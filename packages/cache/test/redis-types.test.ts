// Type-level checks of the @perf/cache/redis surface (run by `tsc` in typecheck; the runtime
// assertions are trivially true): an ioredis client fits the structural client types, and
// RedisTier fits MultiLevelCache's l2.
import type { Redis } from 'ioredis';
import { describe, expectTypeOf, it } from 'vitest';
import type { AsyncStore, InvalidationBus, VersionedStore } from '../src/index.js';
import type { RedisBus, RedisClient, RedisSubscriber, RedisTier } from '../src/redis/index.js';

describe('@perf/cache/redis types', () => {
  it('takes ioredis clients as they are', () => {
    expectTypeOf<Redis>().toExtend<RedisClient>();
    expectTypeOf<Redis>().toExtend<RedisSubscriber>();
  });

  it('RedisTier is a versioned L2 and RedisBus an invalidation bus', () => {
    expectTypeOf<RedisTier<string, number>>().toExtend<VersionedStore<string, number>>();
    expectTypeOf<RedisTier<string, number>>().toExtend<AsyncStore<string, number>>();
    expectTypeOf<RedisBus>().toExtend<InvalidationBus>();
    expectTypeOf<RedisTier<string, number>['getMany']>().returns.resolves.toEqualTypeOf<
      Array<number | undefined>
    >();
  });
});
