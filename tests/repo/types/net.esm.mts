// @perf/net's public API as an ESM consumer sees it (dist/index.d.ts, dist/undici.d.ts).
import {
  type Compressor,
  type Http2Pool,
  isPerfError,
  Loader,
  type NetError,
  type PerfError,
  type TimeoutError,
} from '@perf/net';
import type { Http2Pool as DispatcherPool, Http2PoolDispatcher } from '@perf/net/undici';
import { expectTypeOf } from 'vitest';

const loader = new Loader(async (keys: readonly number[]) => keys.map(String));
expectTypeOf(loader.load(1)).toEqualTypeOf<Promise<string>>();
expectTypeOf<Http2Pool['close']>().returns.toEqualTypeOf<Promise<void>>();
expectTypeOf<DispatcherPool>().toExtend<Http2Pool>();
expectTypeOf<DispatcherPool['dispatcher']>().toEqualTypeOf<Http2PoolDispatcher>();
expectTypeOf<Compressor['compress']>().returns.toExtend<Buffer>();
expectTypeOf<TimeoutError>().toExtend<PerfError>();
expectTypeOf<NetError>().toExtend<PerfError>();
expectTypeOf(isPerfError).guards.toEqualTypeOf<PerfError>();
