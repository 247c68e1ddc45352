// @perf/cache's public API as an ESM consumer sees it (dist/index.d.ts).
import {
  Cache,
  type CacheError,
  type CacheStats,
  isPerfError,
  LruCache,
  type PerfError,
  type RemovalCause,
} from '@perf/cache';
import { expectTypeOf } from 'vitest';

const cache = new Cache<string, number>({ maximumSize: 10 });
expectTypeOf(cache.get('k')).toEqualTypeOf<number | undefined>();
expectTypeOf(cache.getOrLoad('k', async () => 1)).toEqualTypeOf<Promise<number | undefined>>();
expectTypeOf(cache.stats()).toEqualTypeOf<CacheStats>();
const lru = new LruCache<string, number>({ maximumSize: 4, onEvict: (_k, _v, cause) => cause });
expectTypeOf(lru.set('k', 1)).toEqualTypeOf<LruCache<string, number>>();
expectTypeOf(lru.expiresIn('k')).toEqualTypeOf<number | undefined>();
expectTypeOf([...lru.entriesDescending()]).toEqualTypeOf<[string, number][]>();
expectTypeOf<RemovalCause>().toEqualTypeOf<'size' | 'expired' | 'explicit' | 'replaced'>();
expectTypeOf<CacheError>().toExtend<PerfError>();
expectTypeOf(isPerfError).guards.toEqualTypeOf<PerfError>();
// @ts-expect-error exactly one bound is required, and it is a number
new Cache<string, number>({ maximumSize: '10' });
