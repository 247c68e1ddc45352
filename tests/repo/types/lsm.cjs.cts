// @perf/lsm's public API as a CommonJS consumer sees it (dist/index.d.cts). vitest is
// ESM-only: its types are imported with resolution-mode "import"; this file is never run.
import type { expectTypeOf as ExpectTypeOf } from 'vitest' with { 'resolution-mode': 'import' };
import lsm = require('@perf/lsm');

declare const expectTypeOf: typeof ExpectTypeOf;

expectTypeOf<lsm.LsmStore['getSync']>().returns.toEqualTypeOf<Buffer | undefined>();
expectTypeOf<lsm.LsmError>().toExtend<lsm.PerfError>();
expectTypeOf<lsm.CorruptionError['offset']>().toBeNumber();
expectTypeOf(lsm.isPerfError).guards.toEqualTypeOf<lsm.PerfError>();
