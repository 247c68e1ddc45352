// `pnpm --filter @perf/balance bench`: every suite, printed as the markdown tables of the
// README's Performance section. Timings are CPU-time medians (see harness.ts); distribution,
// disruption and simulated latencies are exact and reproducible.
import { machine } from './harness.js';
import { lookups, picks } from './lookup.bench.js';
import { agreement, bounded, quality } from './quality.bench.js';
import { tailLatency } from './tail-latency.bench.js';

const only = process.argv[2];
const suites: [string, string, () => string][] = [
  ['lookup', 'Key lookups, 1M distinct keys, vs the npm peers', lookups],
  ['pick', 'Request-level picks', picks],
  ['quality', 'Distribution (1M keys) and disruption (one node removed)', quality],
  ['bounded', 'BoundedLoad holding 1M requests at once', bounded],
  ['agreement', 'Do two instances (two processes) agree?', agreement],
  ['tail', 'Simulated tail latency, one backend 5× slower (then another)', tailLatency],
];

console.log(`@perf/balance benchmarks — ${machine()}\n`);
for (const [key, title, run] of suites) {
  if (only && only !== key) continue;
  const t = performance.now();
  const text = run();
  console.log(`### ${title}\n\n${text}\n\n(${((performance.now() - t) / 1000).toFixed(1)} s)\n`);
}
