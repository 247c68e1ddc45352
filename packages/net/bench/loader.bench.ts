// Loader against DataLoader 2.2.3 in the same process: identical workloads, results checked
// equal before timing. Two Loader rows: DataLoader's defaults (the drop-in), and the opt-in
// options `cacheHits: 'immediately'` (a hit returns its cached promise) and `dedupe: true`
// (without a cache, a key repeated within a tick is fetched once).
import assert from 'node:assert/strict';
import DataLoader from 'dataloader';
import { Loader } from '../src/index.js';
import { fileURLToPath } from 'node:url';
import { type BenchReport, barChartFromReports, writeChart } from '@perf/monitor/bench';
import { printBench } from '@perf/monitor/bench';

const TICKS = 20;
const LOADS_PER_TICK = 100;
const DISTINCT = 50;

const batchFn = (keys: readonly number[]) => Promise.resolve(keys.map((k) => k * 2));

interface LoaderLike {
  load(key: number): Promise<number>;
}

/** TICKS ticks of LOADS_PER_TICK loads over DISTINCT keys, each tick awaited together. */
async function ticks(make: () => LoaderLike, fresh: boolean): Promise<number> {
  let loader = make();
  let sum = 0;
  for (let t = 0; t < TICKS; t++) {
    if (fresh) loader = make();
    const ps = new Array<Promise<number>>(LOADS_PER_TICK);
    for (let i = 0; i < LOADS_PER_TICK; i++) ps[i] = loader.load((i * 7 + t) % DISTINCT);
    for (const v of await Promise.all(ps)) sum += v;
  }
  return sum;
}

export async function run(): Promise<void> {
  const scenarios = [
    { title: 'no cache (batching only)', cache: false, fresh: false },
    { title: 'fresh cache per tick (per-request loader)', cache: true, fresh: true },
    { title: 'warm cache (every load a hit)', cache: true, fresh: false },
  ];
  const reports: BenchReport[] = [];
  for (const s of scenarios) {
    const ours = () => new Loader<number, number>(batchFn, { cache: s.cache });
    const oursFast = () =>
      new Loader<number, number>(batchFn, {
        cache: s.cache,
        cacheHits: 'immediately',
        dedupe: true,
      });
    const theirs = () => new DataLoader<number, number>(batchFn, { cache: s.cache });
    // Same answers first.
    const keys = Array.from({ length: 30 }, (_, i) => i % 12);
    const a = await Promise.all(keys.map((k) => ours().load(k)));
    const b = await Promise.all(keys.map((k) => theirs().load(k)));
    const c = await Promise.all(keys.map((k) => oursFast().load(k)));
    assert.deepEqual(a, b);
    assert.deepEqual(c, b);
    const ops = TICKS * LOADS_PER_TICK;
    const report = await printBench(
      `Loader, ${s.title}: ticks of ${LOADS_PER_TICK} loads over ${DISTINCT} keys, per load`,
      [
        { name: 'dataloader 2.2.3', fn: () => ticks(theirs, s.fresh), ops },
        {
          name: '@perf/net Loader (DataLoader defaults)',
          fn: () => ticks(ours, s.fresh),
          ops,
        },
        {
          name: "@perf/net Loader (cacheHits: 'immediately', dedupe)",
          fn: () => ticks(oursFast, s.fresh),
          ops,
        },
      ],
      // CPU time, not wall: a tick waits on nothing but promise jobs and process.nextTick on
      // this thread, so CPU time is the whole cost, and it does not count the time a shared
      // machine gives to other processes (wall-clock runs here swung 0.7-2.6x at load 8-16).
      { clock: 'cpu' },
    );
    reports.push(report);
  }

  // The README's second chart, from these three tables: docs/loader.svg embeds the hash of
  // docs/loader-results.json.
  const bar = barChartFromReports(reports, {
    title: `Loader against dataloader 2.2.3: ticks of ${LOADS_PER_TICK} loads over ${DISTINCT} keys`,
    baseline: 'dataloader 2.2.3',
    xLabel: 'cache',
  });
  const docs = fileURLToPath(new URL('../docs', import.meta.url));
  const id = await writeChart(docs, 'loader-results', { reports }, [
    {
      name: 'loader',
      bar: {
        ...bar,
        yLabel: 'median time per load',
        groups: ['no cache', 'fresh cache per tick', 'warm cache (all hits)'],
      },
    },
  ]);
  console.log(`\nChart: docs/loader.svg (run ${id}, results docs/loader-results.json)`);
}
