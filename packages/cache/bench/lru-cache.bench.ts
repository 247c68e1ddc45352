// `pnpm --filter @perf/cache exec tsx bench/lru-cache.bench.ts`: LruCache against quick-lru
// alone, on the throughput bench's six workloads (capacity 100k, Zipf 0.99 over 1M keys, the
// same key streams, loops compiled per contender), interleaved in one run through
// @perf/monitor's harness. quick-lru gets `maxSize: n` and LruCache `maximumSize: 2n`, the
// documented mapping under which both evict the same entries. PERF_BENCH_QUICK=1 shortens it.
import { loadavg } from 'node:os';
import QuickLRU from 'quick-lru';
import { formatMachine, formatRatio, machine, nsPerOp, timesFaster } from '@perf/monitor/bench';
import { LruCache } from '../src/index.js';
import { contenders, measure, scenarios } from './throughput.bench.js';

const quick = process.env.PERF_BENCH_QUICK === '1';
const CAPACITY = 100_000;
const BASELINE = 'quick-lru 7.3.0';
const OURS = '@perf/cache LruCache';
const HOUR = 3_600_000;
// The same pair with a time to live on every entry (quick-lru's maxAge, our ttl): both then
// read the clock on each access.
const selected = [
  ...contenders.filter((c) => c.name === BASELINE || c.name === OURS),
  {
    name: `${BASELINE} + maxAge`,
    create: (n: number) => new QuickLRU({ maxSize: n, maxAge: HOUR }),
  },
  { name: `${OURS} + ttl`, create: (n: number) => new LruCache({ maximumSize: 2 * n, ttl: HOUR }) },
];
const pairs = [
  ['', BASELINE, OURS],
  [' + ttl', `${BASELINE} + maxAge`, `${OURS} + ttl`],
] as const;

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(
  `# LruCache ÷ quick-lru\n${formatMachine(machine())}\nload average at start: ${load()}\n`,
);
console.log(`| workload | quick-lru ns/op | LruCache ns/op | LruCache × quick-lru |`);
console.log(`|---|---:|---:|---:|`);
for (const scenario of scenarios(CAPACITY, quick ? 1 << 14 : 1 << 16)) {
  const report = await measure(scenario, CAPACITY, selected, quick ? 500 : 3000);
  for (const [suffix, baseName, oursName] of pairs) {
    const base = report.cases.find((c) => c.name === baseName)!;
    const ours = report.cases.find((c) => c.name === oursName)!;
    console.log(
      `| ${scenario.name}${suffix} | ${nsPerOp(base).toFixed(1)} | ${nsPerOp(ours).toFixed(1)} | ${formatRatio(timesFaster(ours, base))} |`,
    );
  }
}
console.log(`\nload average at end: ${load()}`);
