// Loader against DataLoader 2.2.3 in the same process: identical workloads, results checked
// equal before timing. Two Loader rows: DataLoader's defaults (the drop-in), and the opt-in
// options `cacheHits: 'immediately'` (a hit returns its cached promise) and `dedupe: true`
// (without a cache, a key repeated within a tick is fetched once).
import assert from 'node:assert/strict';
import DataLoader from 'dataloader';
import { Loader } from '../src/index.js';
import { consume, fmt, median, rounds, table } from './harness.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TICKS = 2_000;
const LOADS_PER_TICK = 100;
const DISTINCT = 50;

const batchFn = (keys: readonly number[]) => Promise.resolve(keys.map((k) => k * 2));

interface LoaderLike {
  load(key: number): Promise<number>;
}

/** One tick: LOADS_PER_TICK loads over DISTINCT keys, awaited together. */
async function ticks(make: () => LoaderLike, fresh: boolean): Promise<number> {
  let loader = make();
  const t0 = performance.now();
  let sum = 0;
  for (let t = 0; t < TICKS; t++) {
    if (fresh) loader = make();
    const ps = new Array<Promise<number>>(LOADS_PER_TICK);
    for (let i = 0; i < LOADS_PER_TICK; i++) ps[i] = loader.load((i * 7 + t) % DISTINCT);
    for (const v of await Promise.all(ps)) sum += v;
  }
  consume(sum);
  return (TICKS * LOADS_PER_TICK) / ((performance.now() - t0) / 1000);
}

export async function loaderBench(): Promise<void> {
  const scenarios = [
    { title: 'no cache (batching only)', cache: false, fresh: false },
    { title: 'fresh cache per tick (per-request loader)', cache: true, fresh: true },
    { title: 'warm cache (every load a hit)', cache: true, fresh: false },
  ];
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
    const results = await rounds(
      [
        { name: 'dataloader 2.2.3', run: () => ticks(theirs, s.fresh) },
        { name: '@perf/net Loader (DataLoader defaults)', run: () => ticks(ours, s.fresh) },
        {
          name: "@perf/net Loader (cacheHits: 'immediately', dedupe)",
          run: () => ticks(oursFast, s.fresh),
        },
      ],
      ROUNDS,
    );
    table(
      `Loader, ${s.title}: ${fmt(TICKS)} ticks × ${LOADS_PER_TICK} loads over ${DISTINCT} keys, ${ROUNDS} rounds`,
      [...results].map(([name, v]) => ({ name, value: median(v), unit: 'loads/s' })),
      'dataloader 2.2.3',
    );
  }
}
