import { execFileSync } from 'node:child_process';
import { bundle } from '../test/support/bundle.js';
import type { GcReport } from '../test/support/gc-cases.js';
import { fmt, printTable } from './print.js';

const ITERATIONS = 10_000_000;

/** GC events per 10M operations, one fresh `node --expose-gc` process per case. */
export function gcSuite(): void {
  const { file, cleanup } = bundle(new URL('../test/support/gc-cases.ts', import.meta.url));
  const rows: string[][] = [];
  const cases = [
    ['alloc-drop-int', 'allocate-and-drop `{ id, flags, next }` (baseline)'],
    ['object-pool-int', '`ObjectPool`, integer/reference fields'],
    ['object-pool-float', '`ObjectPool`, a double field that only holds numbers'],
    ['object-pool-float-tagged', '`ObjectPool`, a double field reset to `null` (tagged)'],
    ['struct-float', 'struct-of-arrays record + `Slab` index allocator (float)'],
    ['slab-alloc-free', '`Slab` alloc + `f64()` write + free, 1,024 live'],
    ['buffer-pool', '`BufferPool` acquire + release, 64 in flight'],
    ['long-lived-alloc-drop', 'long-lived: 262,144 records, replace objects (baseline)'],
    ['long-lived-soa', 'long-lived: 262,144 records, struct-of-arrays in place'],
  ];
  try {
    for (const [name, label] of cases) {
      // The long-lived allocate-and-drop baseline takes ~20 s at 10M here; 2M shows the same.
      const n = name === 'long-lived-alloc-drop' ? ITERATIONS / 5 : ITERATIONS;
      const out = execFileSync(
        process.execPath,
        ['--expose-gc', '--allow-natives-syntax', file, name!, String(n)],
        {
          encoding: 'utf8',
        },
      );
      const r = JSON.parse(out) as GcReport;
      const per10M = ITERATIONS / r.iterations;
      rows.push([
        label!,
        fmt(r.scavenges * per10M),
        fmt(r.majors * per10M),
        fmt(r.maxPauseMs),
        fmt((r.ms * 1e6) / r.iterations),
      ]);
    }
  } finally {
    cleanup();
  }
  printTable(
    'GC events per 10M operations (fresh process per case, loop optimized before counting)',
    ['case', 'scavenges', 'major GCs', 'max pause ms', 'wall ns/op'],
    rows,
  );
}
