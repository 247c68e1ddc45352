// The README's charts, drawn from the same run as its tables: one line chart per shared trace
// (hit rate against cache size: Cache, the textbook W-TinyLFU with hill climbing, LRU, ARC and
// OPT, as in Caffeine's simulator charts) and a bar chart of operations per second against
// lru-cache and quick-lru. Every chart embeds the id of docs/bench-results.json, the run's
// results file (tests/repo/charts.test.ts fails on a stale chart).
import { fileURLToPath } from 'node:url';
import {
  type BenchReport,
  barChartFromReports,
  type ChartSpec,
  type Machine,
  writeChart,
} from '@perf/monitor/bench';
import type { Row } from './hit-rate-real.js';

/** The series of the hit-rate charts, in legend order (the 1% static window is in the table). */
const CURVES = ['Cache', 'W-TinyLFU (climbing)', 'LRU', 'ARC', 'OPT'] as const;
/** The peers of the throughput chart, under their case names. */
const SPEED_PEERS = new Set(['@perf/cache Cache', 'lru-cache 11.5.3', 'quick-lru 7.3.0']);

export const DOCS = fileURLToPath(new URL('../docs', import.meta.url));

/** The trace of a real-trace row's `workload` (`<trace> (<source>)`). */
export const traceOf = (workload: string): string => workload.replace(/ \(.*\)$/, '');

/** The file name of a trace's chart: `hit-rate-<trace>.svg`. */
export const traceChart = (trace: string): string =>
  `hit-rate-${trace.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;

export interface ChartInput {
  machine: Machine;
  /** Real-trace rows; `workload` is `<trace> (<source>)`. */
  traceRows: Row[];
  /** Synthetic-workload rows (in the results file, not charted). */
  syntheticRows: Row[];
  throughput: BenchReport[];
  memory: [string, number][];
}

/** Writes docs/bench-results.json and the charts; returns the run id. */
export async function writeCacheCharts(input: ChartInput): Promise<string> {
  const byTrace = new Map<string, Row[]>();
  for (const row of input.traceRows) {
    const list = byTrace.get(row.workload) ?? [];
    list.push(row);
    byTrace.set(row.workload, list);
  }
  const charts: ChartSpec[] = [];
  for (const [workload, rows] of byTrace) {
    const trace = traceOf(workload);
    rows.sort((a, b) => a.size - b.size);
    charts.push({
      name: traceChart(trace),
      line: {
        title: `Hit rate on ${workload}, ${rows[0]!.requests.toLocaleString('en-US')} requests, cold, demand fill`,
        xLabel: 'cache size',
        xUnit: 'entries',
        yLabel: 'hit rate',
        yUnit: '%',
        logX: true,
        higherIsBetter: true,
        series: CURVES.map((name) => ({
          name: name === 'Cache' ? '@perf/cache Cache' : name,
          points: rows.map((r) => [r.size, Number(r.rates[name]!.toFixed(2))] as const),
        })),
        machine: input.machine,
      },
    });
  }
  const bar = barChartFromReports(input.throughput, {
    title: 'Cache throughput, capacity 100k, Zipf 0.99 over 1M keys',
    metric: 'opsPerSecond',
    baseline: 'lru-cache 11.5.3',
    peerOf: (name) => (SPEED_PEERS.has(name) ? name : undefined),
    xLabel: 'workload',
  });
  // Short group labels: under six groups of bars the chart fits ~16 characters and cuts the
  // rest ("cache-aside (in…"), so the key type goes without parentheses and as "str".
  const groups = input.throughput.map((r) =>
    r.name
      .replace('get, all hits', 'hits')
      .replace('90% get / 10% set', '90/10')
      .replace(', zipf', '')
      .replace(/ \((int|string)( keys)?\)$/, (_, type: string) =>
        type === 'int' ? ' int' : ' str',
      ),
  );
  charts.unshift({ name: 'throughput', bar: { ...bar, groups } });
  const results = {
    machine: input.machine,
    hitRate: { traces: input.traceRows, synthetic: input.syntheticRows },
    throughput: input.throughput.map((r) => ({
      name: r.name,
      cases: r.cases.map((c) => ({ name: c.name, opsPerSecond: Math.round(c.opsPerSecond) })),
    })),
    memory: input.memory,
  };
  return writeChart(DOCS, 'bench-results', results, charts);
}
