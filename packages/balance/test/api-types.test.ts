// Type-level tests of the public API from source (checked by `pnpm typecheck`; at run time
// expectTypeOf is a no-op). The built ESM/CJS entry points are checked in tests/repo/types.
import { describe, expectTypeOf, it } from 'vitest';
import {
  BalanceError,
  type Balancer,
  type BalancerStats,
  type Handle,
  HashRing,
  hash64,
  isPerfError,
  LeastConnections,
  Maglev,
  type NodeInfo,
  type NoAvailableNodeError,
  PeakEwma,
  type PerfError,
  PowerOfTwoChoices,
  type RequestOptions,
  RoundRobin,
  type SlowStartOptions,
  type WeightedRoundRobin,
} from '../src/index.js';

describe('public API types', () => {
  it('key-based strategies pick ids, stateful ones handles', () => {
    expectTypeOf(new Maglev(['a']).pick('k')).toBeString();
    expectTypeOf(new HashRing(['a']).pick(new Uint8Array(1))).toBeString();
    expectTypeOf(new RoundRobin(['a']).pick()).toBeString();
    expectTypeOf(new LeastConnections(['a']).pick()).toEqualTypeOf<Handle>();
    expectTypeOf(new PeakEwma(['a']).pick().release).returns.toBeBoolean();
    expectTypeOf(hash64).returns.toEqualTypeOf<Uint32Array>();
    expectTypeOf<Maglev>().toExtend<Balancer<string>>();
  });

  it('slow start is an option of the request-level strategies only', () => {
    expectTypeOf<ConstructorParameters<typeof RoundRobin>[1]>().toEqualTypeOf<
      RequestOptions | undefined
    >();
    expectTypeOf<ConstructorParameters<typeof WeightedRoundRobin>[1]>().toEqualTypeOf<
      RequestOptions | undefined
    >();
    expectTypeOf<RequestOptions['slowStart']>().toEqualTypeOf<SlowStartOptions | undefined>();
    expectTypeOf<SlowStartOptions['window']>().toBeNumber();
    new PowerOfTwoChoices(['a'], { slowStart: { window: 1000, aggression: 2 } });
    // @ts-expect-error key-based strategies have no slow start
    new Maglev(['a'], { slowStart: { window: 1000 } });
  });

  it('stats and node snapshots', () => {
    expectTypeOf(new RoundRobin().stats()).toEqualTypeOf<BalancerStats>();
    expectTypeOf<BalancerStats['panic']>().toBeBoolean();
    expectTypeOf<NodeInfo['effectiveWeight']>().toBeNumber();
  });

  it('errors share the @perf base', () => {
    expectTypeOf<BalanceError>().toExtend<PerfError>();
    expectTypeOf<NoAvailableNodeError['ejected']>().toBeNumber();
    expectTypeOf(isPerfError).guards.toEqualTypeOf<PerfError>();
    expectTypeOf(BalanceError.is).guards.toEqualTypeOf<BalanceError>();
  });
});
