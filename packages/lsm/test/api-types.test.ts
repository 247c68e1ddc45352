// Type-level tests of the public API from source (checked by `pnpm typecheck`; at run time
// expectTypeOf is a no-op). The built ESM/CJS entry points are checked in tests/repo/types.
import { describe, expectTypeOf, it } from 'vitest';
import {
  type ClosedError,
  type CorruptionError,
  isPerfError,
  LsmError,
  LsmStore,
  type PerfError,
} from '../src/index.js';

describe('public API types', () => {
  it('reads return fresh Buffers, writes resolve to nothing', () => {
    expectTypeOf<LsmStore['getSync']>().returns.toEqualTypeOf<Buffer | undefined>();
    expectTypeOf<LsmStore['get']>().returns.resolves.toEqualTypeOf<Buffer | undefined>();
    expectTypeOf<LsmStore['put']>().returns.resolves.toBeVoid();
    expectTypeOf(LsmStore.open).returns.resolves.toEqualTypeOf<LsmStore>();
  });

  it('errors share the @perf base', () => {
    expectTypeOf<LsmError>().toExtend<PerfError>();
    expectTypeOf<ClosedError>().toExtend<PerfError>();
    expectTypeOf<CorruptionError['offset']>().toBeNumber();
    expectTypeOf<CorruptionError['file']>().toBeString();
    expectTypeOf(isPerfError).guards.toEqualTypeOf<PerfError>();
    expectTypeOf(LsmError.is).guards.toEqualTypeOf<LsmError>();
  });
});
