// @perf/balance's public API as an ESM consumer sees it (dist/index.d.ts).
import {
  type BalanceError,
  type BalancerStats,
  type Handle,
  hash64,
  isPerfError,
  LeastConnections,
  Maglev,
  type PerfError,
  type RequestOptions,
  RoundRobin,
} from '@perf/balance';
import { expectTypeOf } from 'vitest';

expectTypeOf(new Maglev(['a']).pick('k')).toBeString();
expectTypeOf(new LeastConnections(['a']).pick()).toEqualTypeOf<Handle>();
expectTypeOf(new RoundRobin(['a']).stats()).toEqualTypeOf<BalancerStats>();
expectTypeOf(hash64).returns.toEqualTypeOf<Uint32Array>();
expectTypeOf<RequestOptions['slowStart']>().exclude<undefined>().toHaveProperty('window');
expectTypeOf<BalanceError>().toExtend<PerfError>();
expectTypeOf(isPerfError).guards.toEqualTypeOf<PerfError>();
// @ts-expect-error key-based strategies have no slow start
new Maglev(['a'], { slowStart: { window: 1000 } });
