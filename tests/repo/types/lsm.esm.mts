// @perf/lsm's public API as an ESM consumer sees it (dist/index.d.ts, dist/level.d.ts).
import {
  type CorruptionError,
  isPerfError,
  type LsmError,
  LsmStore,
  type PerfError,
} from '@perf/lsm';
import type { LsmLevel } from '@perf/lsm/level';
import { expectTypeOf } from 'vitest';

expectTypeOf<LsmStore['getSync']>().returns.toEqualTypeOf<Buffer | undefined>();
expectTypeOf(LsmStore.open).returns.resolves.toEqualTypeOf<LsmStore>();
expectTypeOf<LsmError>().toExtend<PerfError>();
expectTypeOf<CorruptionError['offset']>().toBeNumber();
expectTypeOf(isPerfError).guards.toEqualTypeOf<PerfError>();
expectTypeOf<LsmLevel>().toBeObject();
