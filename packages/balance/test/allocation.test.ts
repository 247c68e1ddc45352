import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// The hot paths allocate nothing: a loop of lookups runs without a single garbage collection
// and without growing the heap. (Stateful strategies allocate one handle per pick, by design.)
//
// Measured on the built package in a fresh `--expose-gc` process, as users run it: inside the
// test runner the transformed source sometimes stays in unoptimised code, where every hash
// above 2^30 is a boxed number (HashRing: ~8 bytes a lookup in some runs, 0 in the others).
const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const STRATEGIES = [
  'Maglev',
  'HashRing',
  'JumpHash',
  'Rendezvous',
  'RoundRobin',
  'WeightedRoundRobin',
];
// 1M lookups: a loop that allocated even 8 bytes a lookup would grow the heap by 8 MB (or
// collect); what the JIT adds while it finishes compiling stays within a few hundred KiB.
const LOOKUPS = 1_000_000;
const LIMIT = 1024 * 1024;

const SCRIPT = `
import { GCProfiler } from 'node:v8';
import * as b from ${JSON.stringify(DIST)};
const ids = Array.from({ length: 20 }, (_, i) => ({ id: 'node-' + i, weight: 1 + (i % 3) }));
const keys = Array.from({ length: 4096 }, (_, i) => ('user:' + i + ':ключ').slice(0, i % 2 ? 12 : 20));
const make = { Maglev: () => new b.Maglev(ids), HashRing: () => new b.HashRing(ids),
  JumpHash: () => new b.JumpHash(ids.map((n) => n.id)), Rendezvous: () => new b.Rendezvous(ids),
  RoundRobin: () => new b.RoundRobin(ids), WeightedRoundRobin: () => new b.WeightedRoundRobin(ids) };
const out = {};
for (const [name, create] of Object.entries(make)) {
  const balancer = create();
  const run = () => { let acc = 0; for (let i = 0; i < ${LOOKUPS}; i++) acc += balancer.pick(keys[i & 4095]).length; return acc; };
  for (let w = 0; w < 3; w++) run(); // size the UTF-8 scratch buffer, let the JIT settle
  gc();
  const profiler = new GCProfiler();
  profiler.start();
  const before = process.memoryUsage().heapUsed;
  const acc = run();
  const grown = process.memoryUsage().heapUsed - before;
  out[name] = { acc, grown, gcs: profiler.stop()?.statistics.length ?? 0 };
}
console.log(JSON.stringify(out));
`;

type Result = { acc: number; grown: number; gcs: number };

describe('pick allocates nothing (built package, fresh process)', () => {
  const built = existsSync(DIST);
  let results: Record<string, Result> = {};
  let error = '';
  beforeAll(() => {
    if (!built) return;
    const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', SCRIPT], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (r.status === 0) results = JSON.parse(r.stdout) as Record<string, Result>;
    else error = r.stderr;
  }, 130_000);
  // In CI a missing build is a failure, never a skip.
  it.skipIf(!built && !process.env.CI).each(STRATEGIES)(
    '%s: no GC and no heap growth over 1M lookups',
    (name) => {
      expect(built, 'packages/balance is not built: run pnpm build first').toBe(true);
      expect(error).toBe('');
      const res = results[name]!;
      expect(res.acc).toBeGreaterThan(0);
      expect(res.gcs).toBe(0);
      expect(res.grown).toBeLessThan(LIMIT);
    },
  );
});
