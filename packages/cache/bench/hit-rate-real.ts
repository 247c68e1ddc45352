// Hit rates on the real traces (see hit-rate-traces.ts for the sources and their citations) and
// on the synthetic workloads, cold, demand fill: every request counts; a miss `set`s the key.
// Rows: @perf/cache Cache, the textbook W-TinyLFU with hill climbing (Caffeine's design), the
// same with a fixed 1% window, exact LRU, ARC, and Bélády's OPT (the upper bound).
//
//   pnpm --filter @perf/cache exec tsx bench/hit-rate-real.ts [name-filter]
import { Cache } from '../src/index.js';
import { characterWorkloads } from './hit-rate.bench.js';
import { Arc, ExactLru, optHits } from './hit-rate-policies.js';
import { loadTrace, realTraces, tracesAvailable } from './hit-rate-traces.js';
import { ReferenceWTinyLfu } from './reference-wtinylfu.js';
import * as traces from './traces.js';

export interface Row {
  workload: string;
  size: number;
  /** Whether the size is one the trace's README lists (a goal row), not a chart-only point. */
  listed: boolean;
  requests: number;
  rates: Record<string, number>;
}

type Replayable = { get(key: number): unknown; set(key: number, value: number): unknown };

export const POLICIES: [string, (n: number) => Replayable][] = [
  ['Cache', (n) => new Cache<number, number>({ maximumSize: n })],
  ['W-TinyLFU (climbing)', (n) => new ReferenceWTinyLfu(n)],
  ['W-TinyLFU (1% window)', (n) => new ReferenceWTinyLfu(n, { climb: false })],
  ['LRU', (n) => new ExactLru(n)],
  ['ARC', (n) => new Arc(n)],
];

export function rowFor(
  workload: string,
  keys: Int32Array,
  unique: number,
  size: number,
  listed = true,
): Row {
  const rates: Record<string, number> = {};
  for (const [name, create] of POLICIES) rates[name] = 100 * traces.hitRate(create(size), keys);
  rates.OPT = (100 * optHits(keys, unique, size)) / keys.length;
  return { workload, size, listed, requests: keys.length, rates };
}

function uniqueOf(keys: Int32Array): { keys: Int32Array; unique: number } {
  const ids = new Map<number, number>();
  const dense = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    let id = ids.get(keys[i]!);
    if (id === undefined) ids.set(keys[i]!, (id = ids.size));
    dense[i] = id;
  }
  return { keys: dense, unique: ids.size };
}

/** Rows at the listed sizes, and with `chart` also at the chart-only sizes (in size order). */
export async function* realRows(filter = '', chart = false): AsyncGenerator<Row> {
  for (const trace of realTraces) {
    if (!trace.name.includes(filter)) continue;
    const { keys, unique } = await loadTrace(trace);
    const sizes = chart ? [...trace.sizes, ...trace.chartSizes] : trace.sizes;
    for (const size of [...sizes].sort((a, b) => a - b)) {
      const listed = trace.sizes.includes(size);
      yield rowFor(`${trace.name} (${trace.source})`, keys, unique, size, listed);
    }
  }
}

export function* syntheticRows(capacity: number, filter = ''): Generator<Row> {
  for (const w of characterWorkloads(capacity)) {
    if (!w.name.includes(filter)) continue;
    const { keys, unique } = uniqueOf(w.trace());
    yield rowFor(w.name.replace(/ \(\d+\)$/, ''), keys, unique, w.capacity);
  }
}

export function header(): string {
  const names = [...POLICIES.map(([n]) => n), 'OPT'];
  return `| trace | size | ${names.join(' | ')} | Cache − max(ref, LRU) |\n|---|---:|${names.map(() => '---:').join('|')}|---:|`;
}

export function format(row: Row): string {
  const r = row.rates;
  const gap = r.Cache! - Math.max(r['W-TinyLFU (climbing)']!, r.LRU!);
  return `| ${row.workload} | ${row.size} | ${Object.values(r)
    .map((v) => v.toFixed(1))
    .join(' | ')} | ${gap >= 0 ? '+' : ''}${gap.toFixed(1)} |`;
}

if (process.argv[1]?.endsWith('hit-rate-real.ts')) {
  const filter = process.argv[2] ?? '';
  console.log(header());
  if (tracesAvailable()) for await (const row of realRows(filter)) console.log(format(row));
  else console.error('no traces directory: set PERF_CACHE_TRACES');
  if (process.env.PERF_BENCH_SYNTHETIC !== '0') {
    for (const capacity of [1000, 10_000]) {
      for (const row of syntheticRows(capacity, filter)) console.log(format(row));
    }
  }
}
