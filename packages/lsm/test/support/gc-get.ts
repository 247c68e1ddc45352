// Runs ONE workload in a fresh process and prints what the GC did, as JSON:
//   node --expose-gc --import tsx test/support/gc-get.ts <case> <iterations>
// Cases: `get` — getSync of keys whose blocks are cached; `control` — allocating only what a
// get must return (one 100-byte Buffer); `control-2x` — two of them, to show the count can
// tell the difference. A fresh process per case keeps the count honest.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { LsmStore } from '../../src/index.js';

const [, , which = 'get', iterationsArg = '1000000'] = process.argv;
const iterations = Number(iterationsArg);
const KEYS = 2000;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

const dir = mkdtempSync(join(tmpdir(), 'perf-lsm-gc-'));
const db = await LsmStore.open(dir, { compaction: 'inline' });
const keys = Array.from({ length: KEYS }, (_, i) =>
  Buffer.from(`key-${String(i).padStart(10, '0')}`),
);
const value = Buffer.alloc(100);
for (let i = 0; i < KEYS; i++) {
  value.writeUInt32LE(i, 0);
  await db.put(keys[i]!, value);
}
await db.flush(); // every key in a table: lookups go through filter, index and block cache

let sink = 0;
const cases: Record<string, (n: number) => void> = {
  get(n) {
    for (let i = 0; i < n; i++) sink += db.getSync(keys[i % KEYS]!)![0]!;
  },
  control(n) {
    for (let i = 0; i < n; i++) {
      const b = Buffer.allocUnsafe(100);
      b[0] = i;
      sink += b[0]!;
    }
  },
  'control-2x'(n) {
    for (let i = 0; i < n; i++) {
      const a = Buffer.allocUnsafe(100);
      const b = Buffer.allocUnsafe(100);
      a[0] = i;
      b[0] = i;
      sink += a[0]! + b[0]!;
    }
  },
};
const run = cases[which]!;
for (let r = 0; r < 5; r++) run(100_000); // warm up: JIT, every block cached
gc();
let scavenges = 0;
let majors = 0;
const obs = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if ((e as unknown as { detail: { kind: number } }).detail.kind === 1) scavenges++;
    else majors++;
  }
});
obs.observe({ entryTypes: ['gc'] });
run(iterations);
await new Promise((r) => setTimeout(r, 50)); // let the observer deliver
obs.disconnect();
const stats = db.stats().blockCache;
await db.close();
rmSync(dir, { recursive: true, force: true });
console.log(
  JSON.stringify({ case: which, iterations, scavenges, majors, misses: stats.misses, sink }),
);
