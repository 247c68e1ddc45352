// `pnpm --filter @perf/balance bench`: every suite, printed as the markdown tables of the
// README's Performance section, through @perf/monitor's harness (CPU-time medians of
// interleaved rounds, "× faster than the baseline row"); distribution, disruption and simulated
// latencies are exact and reproducible. `npx tsx bench/index.ts <suite>` runs one suite.
import { fileURLToPath } from 'node:url';
import { type BarSeries, formatMachine, machine, writeChart } from '@perf/monitor/bench';
import { lookups, picks } from './lookup.bench.js';
import { maglevUpdates } from './maglev.bench.js';
import { agreement, bounded, quality } from './quality.bench.js';
import { coldJoin, panic, tailLatency, tailResults } from './tail-latency.bench.js';

const only = process.argv[2];

/**
 * The tail-latency table, and the README's chart from the same simulated runs:
 * docs/tail-latency.svg embeds the hash of docs/bench-results.json.
 */
async function tail(): Promise<string> {
  const runs = tailResults();
  const groups: string[] = [];
  const values = new Map<string, number[]>();
  for (const { concurrency, results } of runs) {
    const where = concurrency === 1 ? 'serial backends' : `${concurrency} per backend`;
    groups.push(`p99, ${where}`, `p99.9, ${where}`);
    for (const r of results) {
      const v = values.get(r.policy) ?? [];
      v.push(r.p99, r.p999);
      values.set(r.policy, v);
    }
  }
  const series: BarSeries[] = [...values].map(([name, v]) => ({ name, values: v }));
  const baseline = series.find((s) => s.name.startsWith('LeastConnections'))?.name;
  const docs = fileURLToPath(new URL('../docs', import.meta.url));
  const results = runs.map(({ concurrency, results }) => ({
    concurrency,
    results: results.map(({ policy, p50, p99, p999 }) => ({ policy, p50, p99, p999 })),
  }));
  const id = await writeChart(docs, 'bench-results', { tail: results }, [
    {
      name: 'tail-latency',
      bar: {
        title: 'Simulated tail latency, 10 backends at 80 % load, one 5× slower (then another)',
        yLabel: 'latency (simulated clock)',
        unit: 'ms',
        xLabel: 'percentile and per-backend concurrency',
        groups,
        series,
        ...(baseline ? { baseline } : {}),
        log: true,
        machine: machine('custom'),
      },
    },
  ]);
  return `${tailLatency(runs)}\n\nChart: docs/tail-latency.svg (run ${id}, results docs/bench-results.json)`;
}
const suites: [string, string, () => string | Promise<string>][] = [
  ['lookup', 'Key lookups, 1M distinct keys, vs the npm peers', lookups],
  ['pick', 'Request-level picks', picks],
  ['quality', 'Distribution (1M keys) and disruption (one node removed)', quality],
  ['bounded', 'BoundedLoad holding 1M requests at once', bounded],
  ['agreement', 'Do two instances (two processes) agree?', agreement],
  ['maglev', 'Maglev table builds on a join and a leave, and keys moved', maglevUpdates],
  ['tail', 'Simulated tail latency, one backend 5× slower (then another)', tail],
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
