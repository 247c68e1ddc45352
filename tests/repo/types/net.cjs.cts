// @perf/net's public API as a CommonJS consumer sees it (dist/index.d.cts, dist/undici.d.cts).
// vitest is ESM-only: its types are imported with resolution-mode "import"; never run.
import type { expectTypeOf as ExpectTypeOf } from 'vitest' with { 'resolution-mode': 'import' };
import net = require('@perf/net');
import undici = require('@perf/net/undici');

declare const expectTypeOf: typeof ExpectTypeOf;

expectTypeOf<net.Loader<number, string>['load']>().returns.toEqualTypeOf<Promise<string>>();
expectTypeOf<undici.Http2Pool>().toExtend<net.Http2Pool>();
expectTypeOf<undici.Http2Pool['dispatcher']>().toEqualTypeOf<undici.Http2PoolDispatcher>();
expectTypeOf<net.TimeoutError>().toExtend<net.PerfError>();
expectTypeOf(net.isPerfError).guards.toEqualTypeOf<net.PerfError>();
