// @perf/pool's public API as an ESM consumer sees it (dist/index.d.ts).
import {
  BufferPool,
  Bytes,
  isPerfError,
  ObjectPool,
  type PerfError,
  type PoolError,
  type Slab,
} from '@perf/pool';
import { expectTypeOf } from 'vitest';

expectTypeOf(new BufferPool().acquire(10)).toEqualTypeOf<Buffer>();
expectTypeOf(new ObjectPool({ create: () => ({ x: 1 }) }).acquire()).toEqualTypeOf<{
  x: number;
}>();
expectTypeOf<Slab['alloc']>().returns.toBeNumber();
expectTypeOf(Bytes.wrap(new Uint8Array(1)).slice(0, 1)).toEqualTypeOf<Bytes>();
expectTypeOf<PoolError>().toExtend<PerfError>();
expectTypeOf(isPerfError).guards.toEqualTypeOf<PerfError>();
