// pnpm --filter @perf/monitor bench: every suite, side by side, as Markdown tables.
// Suites are also perf-bench files: `node dist/cli.js --save base.json bench/monitor.bench.ts`.
// PERF_BENCH_TIME / PERF_BENCH_SAMPLES shorten or lengthen every suite.
import { PerformanceObserver } from 'node:perf_hooks';
import * as hdr from 'hdr-histogram-js';
import { fileURLToPath } from 'node:url';
import {
  type BenchReport,
  barChartFromReports,
  nsPerOp,
  benchOptionsFromEnv,
  formatMachine,
  machine,
  toMarkdown,
  writeChart,
} from '../src/bench-api.js';
import { Histogram, Monitor } from '../src/index.js';
import { harnessBench, peerMedians } from './harness.bench.js';
import { percentileBench, recordBench } from './histogram.bench.js';
import { exposeBench, measureBench, observeBench } from './monitor.bench.js';
import { recordCostBench, scrapeBench } from './shared.bench.js';

const print = (s: string) => process.stdout.write(`${s}\n`);
print(`# @perf/monitor benchmarks\n\n${formatMachine(machine())}\n`);
const options = benchOptionsFromEnv();
const reports: BenchReport[] = [];

for (const make of [
  recordBench,
  percentileBench,
  measureBench,
  observeBench,
  exposeBench,
  recordCostBench,
  scrapeBench,
  harnessBench,
]) {
  const bench = await make(options);
  const report = await bench.run();
  reports.push(report);
  print(`## ${report.name}\n\n${toMarkdown(report)}\n`);
}

// Scrape time as the number of worker threads grows (the line chart).
const sweep: { workers: number; report: BenchReport }[] = [];
for (const workers of [1, 2, 4]) {
  const report = await (
    await scrapeBench(
      { ...options, time: options.time ?? 300, samples: options.samples ?? 10 },
      workers,
    )
  ).run();
  sweep.push({ workers, report });
  print(`## ${report.name}\n\n${toMarkdown(report)}\n`);
}
const line = (prefix: string) =>
  sweep.map(({ workers, report }) => {
    const c = report.cases.find((x) => x.name.startsWith(prefix))!;
    return [workers, nsPerOp(c) / 1e6] as const;
  });

// The README's charts, from this very run: docs/*.svg embed the hash of docs/bench-results.json.
const byName = (prefix: string) => reports.find((r) => r.name.startsWith(prefix))!;
const histogramPeer = (name: string) =>
  name.startsWith('_vanilla') || (name.includes('4× percentile()') && name.startsWith('@perf'))
    ? undefined
    : name.startsWith('@perf/monitor')
      ? '@perf/monitor'
      : name.startsWith('perf_hooks')
        ? 'perf_hooks'
        : name.startsWith('hdr-histogram-js (JS)')
          ? 'hdr-histogram-js (JS)'
          : name.startsWith('hdr-histogram-js (WASM)')
            ? 'hdr-histogram-js (WASM)'
            : undefined;
const promPeer = (name: string) =>
  name.startsWith('prom-client')
    ? 'prom-client'
    : /^(monitor\.measure \(performance|@perf\/monitor observe|@perf\/monitor toPrometheus|SharedRegistry)/.test(
          name,
        )
      ? '@perf/monitor'
      : undefined;
const docs = fileURLToPath(new URL('../docs', import.meta.url));
const id = await writeChart(docs, 'bench-results', { reports, sweep }, [
  {
    name: 'histogram',
    bar: barChartFromReports([byName('record ×'), byName('4 percentiles')], {
      title: 'Histogram: record one value, read 4 percentiles of 1 M',
      peerOf: histogramPeer,
      baseline: 'perf_hooks',
      log: true,
      xLabel: 'operation',
    }),
  },
  {
    name: 'prometheus',
    bar: barChartFromReports(
      [byName('measure()'), byName('labelled observe'), byName('exposition'), byName('scrape of')],
      {
        title: 'Metrics against prom-client 15.1.3',
        peerOf: promPeer,
        baseline: 'prom-client',
        log: true,
        xLabel: 'operation',
      },
    ),
  },
  {
    name: 'scrape-workers',
    line: {
      title: 'One scrape of worker-thread metrics (40 series per worker)',
      xLabel: 'worker threads',
      xUnit: 'count',
      yLabel: 'median scrape time',
      yUnit: 'ms',
      series: [
        { name: 'prom-client AggregatorRegistry over messages', points: line('prom-client') },
        { name: '@perf/monitor SharedRegistry (no messages)', points: line('SharedRegistry') },
      ],
      machine: sweep[0]!.report.environment,
    },
  },
]);
print(`Charts: docs/histogram.svg, docs/prometheus.svg, docs/scrape-workers.svg (run ${id})\n`);

const peers = await peerMedians();
print(
  `Same case in the peer harnesses: tinybench median ${peers.tinybench.toFixed(1)} ns, mitata median ${peers.mitata.toFixed(1)} ns\n`,
);

// Memory of a default histogram (one hour in µs, 3 digits).
const t = hdr.build({ highestTrackableValue: 3_600_000_000, autoResize: false });
print(
  `Memory, default histogram: @perf/monitor ${(new Histogram().memoryBytes / 1024).toFixed(1)} KiB, ` +
    `hdr-histogram-js (JS, 32-bit) ${(t.estimatedFootprintInBytes / 1024).toFixed(1)} KiB; ` +
    'perf_hooks keeps its counts in C++ (not measurable from JS)\n',
);

// Allocation in measure()'s sync path: count young-generation GCs over 2 M calls.
let scavenges = 0;
const obs = new PerformanceObserver((list) => {
  for (const e of list.getEntries())
    if ((e as { detail?: { kind?: number } }).detail?.kind === 1) scavenges++;
});
obs.observe({ entryTypes: ['gc'] });
const m = new Monitor();
let x = 0;
const work = () => (x = (x + 1) | 0);
for (let i = 0; i < 2_000_000; i++) m.measure('op', work);
await new Promise((r) => setTimeout(r, 50));
obs.disconnect();
print(`Scavenges during 2,000,000 sync measure() calls: ${scavenges} (x = ${x})\n`);
