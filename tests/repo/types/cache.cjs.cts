// @perf/cache's public API as a CommonJS consumer sees it (dist/index.d.cts). vitest is
// ESM-only: its types are imported with resolution-mode "import"; this file is never run.
import type { expectTypeOf as ExpectTypeOf } from 'vitest' with { 'resolution-mode': 'import' };
import cache = require('@perf/cache');

declare const expectTypeOf: typeof ExpectTypeOf;

expectTypeOf(new cache.Cache<string, number>({ maximumSize: 10 }).get('k')).toEqualTypeOf<
  number | undefined
>();
expectTypeOf(new cache.LruCache<string, number>({ maximumSize: 4 }).keys()).toEqualTypeOf<
  IterableIterator<string>
>();
expectTypeOf<cache.CacheError>().toExtend<cache.PerfError>();
expectTypeOf(cache.isPerfError).guards.toEqualTypeOf<cache.PerfError>();
