// `pnpm --filter @perf/cache exec tsx bench/lru-cache.bench.ts`: LruCache against quick-lru
// alone, on the throughput bench's six workloads (capacity 100k, Zipf 0.99 over 1M keys, the
// same key streams, loops compiled per contender), interleaved in one run through
// @perf/monitor's harness. quick-lru gets `maxSize: n` and LruCache `maximumSize: 2n`, the
// documented mapping under which both evict the same entries. PERF_BENCH_QUICK=1 shortens it.
import { loadavg } from 'node:os';
import { formatMachine, formatRatio, machine, nsPerOp, timesFaster } from '@perf/monitor/bench';
import { contenders, measure, scenarios } from './throughput.bench.js';

const quick = process.env.PERF_BENCH_QUICK === '1';
const CAPACITY = 100_000;
const BASELINE = 'quick-lru 7.3.0';
const OURS = '@perf/cache LruCache';
const selected = contenders.filter((c) => c.name === BASELINE || c.name === OURS);

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
  const base = report.cases.find((c) => c.name === BASELINE)!;
  const ours = report.cases.find((c) => c.name === OURS)!;
  console.log(
    `| ${scenario.name} | ${nsPerOp(base).toFixed(1)} | ${nsPerOp(ours).toFixed(1)} | ${formatRatio(timesFaster(ours, base))} |`,
  );
}
console.log(`\nload average at end: ${load()}`);
