// `pnpm --filter @perf/cache bench`: hit rates, throughput, memory and stampede checks of
// @perf/cache against the caches people use today, side by side in one process run.
// PERF_BENCH_QUICK=1 shortens every part (for a smoke run); PERF_BENCH_LONG=1 replays the
// 100k-entry headline traces at 10M requests instead of 3M.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Cache } from '../src/index.js';
import { characterWorkloads, headlineWorkloads, hitRates } from './hit-rate.bench.js';
import {
  format as formatRow,
  header as realHeader,
  realRows,
  syntheticRows,
} from './hit-rate-real.js';
import { TRACE_DIR, tracesAvailable } from './hit-rate-traces.js';
import { peers } from './peers.js';
import {
  type BenchReport,
  formatMachine,
  formatRatio,
  machine,
  nsPerOp,
  timesFaster,
} from '@perf/monitor/bench';
import { traceChart, traceOf, writeCacheCharts } from './charts.js';
import type { Row } from './hit-rate-real.js';
import { contenders, measure, scenarios } from './throughput.bench.js';

const quick = process.env.PERF_BENCH_QUICK === '1';
const long = process.env.PERF_BENCH_LONG === '1';
const CAPACITY = 100_000;

const pct = (v: number) => v.toFixed(1);
function table(header: string[], rows: (string | number)[][]): string {
  const lines = [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i ? '---:' : '---')).join('|')}|`,
  ];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

const started = machine();
console.log(`# @perf/cache benchmarks`);
console.log(`${formatMachine(started)}\n`);

// 1. Hit rates by workload character, every peer (capacity 10k; 1k in quick mode).
const small = quick ? 1_000 : 10_000;
const hitPeers = peers;
console.error('hit rates…');
const byCharacter = hitRates(characterWorkloads(small), hitPeers);
console.log(`## Hit rate (%), cache-aside replay, capacity ${small}\n`);
console.log(
  table(
    ['workload', ...hitPeers.map((p) => p.name)],
    [...byCharacter].map(([w, row]) => [w, ...hitPeers.map((p) => pct(row.get(p.name)!))]),
  ),
);

// 2. The headline workloads: capacity 100k, Zipf 0.99 over 1M keys.
const headlinePeers = peers.filter((p) =>
  /^(@perf\/cache Cache$|lru-cache|quick-lru|textbook)/.test(p.name),
);
const length = quick ? 1_500_000 : long ? 10_000_000 : 3_000_000;
const headline = hitRates(headlineWorkloads(length), headlinePeers);
console.log(
  `\n## Hit rate (%), capacity 100k, Zipf 0.99 over 1M keys, ${length / 1e6}M requests\n`,
);
console.log(
  table(
    ['workload', ...headlinePeers.map((p) => p.name)],
    [...headline].map(([w, row]) => [w, ...headlinePeers.map((p) => pct(row.get(p.name)!))]),
  ),
);

// 2b. Real traces, read in place (see hit-rate-traces.ts for sources and citations), and the
// synthetic workloads, against the yardstick policies (bench/hit-rate-real.ts).
const traceRows: Row[] = [];
const synthetic: Row[] = [];
if (!tracesAvailable()) {
  console.error(`no traces at ${TRACE_DIR} (set PERF_CACHE_TRACES): no real-trace rows or charts`);
}
if (tracesAvailable() && !quick) {
  console.error('real traces…');
  console.log(`\n## Hit rate (%) on real traces, cold, demand fill\n`);
  console.log(realHeader());
  for await (const row of realRows('', true)) {
    traceRows.push(row);
    if (row.listed) console.log(formatRow(row));
  }
  for (const capacity of [1000, 10_000]) {
    for (const row of syntheticRows(capacity)) {
      synthetic.push(row);
      console.log(formatRow(row));
    }
  }
}

// 3. Throughput, capacity 100k, through @perf/monitor's harness: per scenario, every
// contender's ns/op and "× faster than lru-cache" (the baseline row), same run.
const BASELINE = 'lru-cache 11.5.3';
console.log(
  `\n## Throughput, capacity 100k, Zipf 0.99 over 1M keys: median ns/op (× faster than ${BASELINE}, same run)\n`,
);
const scenarioList = scenarios(CAPACITY, quick ? 1 << 14 : 1 << 16);
const names = contenders.map((c) => c.name);
const columns: string[][] = [];
const reports: BenchReport[] = [];
for (const scenario of scenarioList) {
  const started = performance.now();
  const report = await measure(scenario, CAPACITY, contenders, quick ? 500 : 2000);
  reports.push(report);
  const base = report.cases.find((c) => c.name === BASELINE)!;
  columns.push(
    names.map((name) => {
      const row = report.cases.find((c) => c.name === name)!;
      return `${nsPerOp(row).toFixed(0)} ns (${formatRatio(timesFaster(row, base))})`;
    }),
  );
  console.error(`  ${scenario.name}: ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
console.log(
  table(
    ['contender', ...scenarioList.map((s) => s.name)],
    names.map((name, i) => [name, ...columns.map((column) => column[i]!)]),
  ),
);

// 4. Memory, in a child process with --expose-gc.
const memory = JSON.parse(
  execFileSync(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      fileURLToPath(new URL('./memory.bench.ts', import.meta.url)),
      '--child',
    ],
    { encoding: 'utf8' },
  ),
) as [string, number][];
console.log(
  `\n## Memory: heap + typed-array bytes per entry at 100k entries (int keys, shared value)\n`,
);
console.log(
  table(
    ['cache', 'bytes/entry'],
    memory.map(([n, b]) => [n, b.toFixed(1)]),
  ),
);

// 5. Stampede: 1,000 concurrent getOrLoad calls on one missing key.
const cache = new Cache<string, number>({ maximumSize: 10 });
let calls = 0;
await Promise.all(
  Array.from({ length: 1000 }, () =>
    cache.getOrLoad('key', async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 5));
      return 1;
    }),
  ),
);
console.log(
  `\n## Stampede\n\n1,000 concurrent getOrLoad calls on one missing key: ${calls} loader call(s).`,
);

// 6. The README's charts and the results file they are drawn from (full runs only: a quick
// run must not overwrite the committed figures).
if (!quick && traceRows.length > 0) {
  const id = await writeCacheCharts({
    machine: started,
    traceRows,
    syntheticRows: synthetic,
    throughput: reports,
    memory,
  });
  const traceNames = [...new Set(traceRows.map((r) => traceOf(r.workload)))];
  console.log(
    `\nCharts (run ${id}, results docs/bench-results.json): docs/throughput.svg, ${traceNames
      .map((t) => `docs/${traceChart(t)}.svg`)
      .join(', ')}`,
  );
}
