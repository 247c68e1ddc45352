// Type-level tests of the public API from source (checked by `pnpm typecheck`; at run time
// expectTypeOf is a no-op). The built ESM/CJS entry points are checked in tests/repo/types.
import { describe, expectTypeOf, it } from 'vitest';
import {
  BufferPool,
  Bytes,
  isPerfError,
  ObjectPool,
  type PerfError,
  PoolError,
  type PoolExhaustedError,
  type Slab,
} from '../src/index.js';

describe('public API types', () => {
  it('pools hand out what they hold', () => {
    expectTypeOf(new BufferPool().acquire(10)).toEqualTypeOf<Buffer>();
    expectTypeOf(new ObjectPool({ create: () => ({ x: 1 }) }).acquire()).toEqualTypeOf<{
      x: number;
    }>();
    expectTypeOf<Slab['alloc']>().returns.toBeNumber();
    expectTypeOf(Bytes.wrap(new Uint8Array(1)).slice(0, 1)).toEqualTypeOf<Bytes>();
  });

  it('errors share the @perf base', () => {
    expectTypeOf<PoolError>().toExtend<PerfError>();
    expectTypeOf<PoolExhaustedError['limit']>().toBeNumber();
    expectTypeOf(isPerfError).guards.toEqualTypeOf<PerfError>();
    expectTypeOf(PoolError.is).guards.toEqualTypeOf<PoolError>();
  });
});
