// @perf/pool's public API as a CommonJS consumer sees it (dist/index.d.cts). vitest is
// ESM-only: its types are imported with resolution-mode "import"; this file is never run.
import type { expectTypeOf as ExpectTypeOf } from 'vitest' with { 'resolution-mode': 'import' };
import pool = require('@perf/pool');

declare const expectTypeOf: typeof ExpectTypeOf;

expectTypeOf(new pool.BufferPool().acquire(10)).toEqualTypeOf<Buffer>();
expectTypeOf<pool.Slab['alloc']>().returns.toBeNumber();
expectTypeOf<pool.PoolError>().toExtend<pool.PerfError>();
expectTypeOf(pool.isPerfError).guards.toEqualTypeOf<pool.PerfError>();
