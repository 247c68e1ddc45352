// @perf/balance's public API as a CommonJS consumer sees it (dist/index.d.cts). vitest is
// ESM-only: its types are imported with resolution-mode "import"; this file is never run.
import type { expectTypeOf as ExpectTypeOf } from 'vitest' with { 'resolution-mode': 'import' };
import balance = require('@perf/balance');

declare const expectTypeOf: typeof ExpectTypeOf;

expectTypeOf(new balance.Maglev(['a']).pick('k')).toBeString();
expectTypeOf(new balance.PeakEwma(['a']).pick()).toEqualTypeOf<balance.Handle>();
expectTypeOf(new balance.RoundRobin(['a']).stats().panic).toBeBoolean();
expectTypeOf<balance.BalanceError>().toExtend<balance.PerfError>();
expectTypeOf(balance.isPerfError).guards.toEqualTypeOf<balance.PerfError>();
