// `pnpm --filter @perf/balance bench`: every suite, printed as the markdown tables of the
// README's Performance section, through @perf/monitor's harness (CPU-time medians of
// interleaved rounds, "× faster than the baseline row"); distribution, disruption and simulated
// latencies are exact and reproducible. `npx tsx bench/index.ts <suite>` runs one suite.
import { formatMachine, machine } from '@perf/monitor/bench';
import { lookups, picks } from './lookup.bench.js';
import { maglevUpdates } from './maglev.bench.js';
import { agreement, bounded, quality } from './quality.bench.js';
import { coldJoin, panic, tailLatency } from './tail-latency.bench.js';

const only = process.argv[2];
const suites: [string, string, () => string | Promise<string>][] = [
  ['lookup', 'Key lookups, 1M distinct keys, vs the npm peers', lookups],
  ['pick', 'Request-level picks', picks],
  ['quality', 'Distribution (1M keys) and disruption (one node removed)', quality],
  ['bounded', 'BoundedLoad holding 1M requests at once', bounded],
  ['agreement', 'Do two instances (two processes) agree?', agreement],
  ['maglev', 'Maglev table builds on a join and a leave, and keys moved', maglevUpdates],
  ['tail', 'Simulated tail latency, one backend 5× slower (then another)', tailLatency],
  ['cold', 'Simulated tail latency, a backend joins cold', coldJoin],
  ['panic', 'Simulated tail latency, 6 of 10 backends slow down', panic],
];

console.log(`@perf/balance benchmarks — ${formatMachine(machine('cpu'))}\n`);
for (const [key, title, run] of suites) {
  if (only && only !== key) continue;
  const t = performance.now();
  const text = await run();
  console.log(`### ${title}\n\n${text}\n\n(${((performance.now() - t) / 1000).toFixed(1)} s)\n`);
}
