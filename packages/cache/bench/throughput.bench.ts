// Throughput of every peer on the same key streams, through @perf/monitor's harness: rounds
// interleaved so that machine noise hits all of them alike, CPU time, medians, the result
// of every call kept (no dead-code elimination).
//
// Each (peer, scenario) loop is compiled separately with `new Function`, so one library's
// types never make another's call sites megamorphic; keys are precomputed typed arrays and
// string arrays (no allocation or number→string conversion in the timed loop).
import { LRUCache } from 'lru-cache';
import { createLRU } from 'lru.min';
import { LRUCache as MnemonistLru } from 'mnemonist';
import QuickLRU from 'quick-lru';
import { lru as tinyLru } from 'tiny-lru';
import { newCache } from 'transitory';
import { Bench, type BenchReport, benchOptionsFromEnv } from '@perf/monitor/bench';
import { Cache, LruCache } from '../src/index.js';
import { random, zipf } from './traces.js';

type Ops = { get(key: unknown): unknown; set(key: unknown, value: unknown): unknown };

interface Contender {
  name: string;
  create(capacity: number): Ops;
}

const transitory = (n: number): Ops => {
  const c = newCache<string, unknown>().maxSize(n).build();
  return {
    get: (k) => c.getIfPresent(k as string) ?? undefined,
    set: (k, v) => c.set(k as string, v),
  };
};

export const contenders: Contender[] = [
  { name: 'Map (unbounded, baseline)', create: () => new Map() },
  { name: '@perf/cache Cache', create: (n) => new Cache({ maximumSize: n }) },
  { name: '@perf/cache Cache (lru)', create: (n) => new Cache({ maximumSize: n, policy: 'lru' }) },
  {
    name: '@perf/cache Cache + ttl + listener',
    create: (n) => new Cache({ maximumSize: n, ttl: 3_600_000, onEvict: () => {} }),
  },
  { name: 'lru-cache 11.5.3', create: (n) => new LRUCache<object, object>({ max: n }) as Ops },
  { name: 'mnemonist 0.40.8', create: (n) => new MnemonistLru(n) },
  { name: 'tiny-lru 13.1.0', create: (n) => tinyLru(n) as Ops },
  { name: 'lru.min 1.1.5', create: (n) => createLRU({ max: n }) as Ops },
  { name: 'transitory 2.2.0', create: transitory },
  // quick-lru's `maxSize: n` holds n…2n−1 entries; LruCache({ maximumSize: 2n }) keeps the same
  // two generations of n keys itself, so these two rows compare like for like.
  { name: 'quick-lru 7.3.0', create: (n) => new QuickLRU({ maxSize: n }) as Ops },
  { name: '@perf/cache LruCache', create: (n) => new LruCache({ maximumSize: 2 * n }) },
];

export interface Scenario {
  name: string;
  /** Keys for the timed loop. */
  keys: ArrayLike<unknown>;
  /** Keys set before timing. */
  prefill: ArrayLike<unknown>;
  /** Body of `(c, keys, n) => checksum`; `c` is the cache. */
  body: string;
}

const ALL_HITS = `let h = 0; for (let i = 0; i < n; i++) { if (c.get(keys[i]) !== undefined) h++; } return h;`;
const READ_MOSTLY = `let h = 0; for (let i = 0; i < n; i++) { const k = keys[i]; if ((i % 10) === 9) c.set(k, i); else if (c.get(k) !== undefined) h++; } return h;`;
const CACHE_ASIDE = `let h = 0; for (let i = 0; i < n; i++) { const k = keys[i]; if (c.get(k) !== undefined) h++; else c.set(k, i); } return h;`;

export function scenarios(capacity: number, ops: number): Scenario[] {
  const rand = random(42);
  const uniform = Array.from({ length: ops }, () => Math.floor(rand() * capacity));
  const next = zipf(capacity * 10, 0.99, random(7));
  const skewed = Array.from({ length: ops }, () => next());
  const resident = Array.from({ length: capacity }, (_, i) => i);
  // Skewed prefill: the most popular keys first, so the timed loop starts warm.
  const warm = Array.from({ length: capacity }, () => next());
  const str = (keys: number[]) => keys.map((k) => `user:${k}`);
  return [
    {
      name: 'get, all hits (int keys)',
      keys: Int32Array.from(uniform),
      prefill: resident,
      body: ALL_HITS,
    },
    {
      name: 'get, all hits (string keys)',
      keys: str(uniform),
      prefill: str(resident),
      body: ALL_HITS,
    },
    {
      name: '90% get / 10% set, zipf (int)',
      keys: Int32Array.from(skewed),
      prefill: warm,
      body: READ_MOSTLY,
    },
    {
      name: '90% get / 10% set, zipf (string)',
      keys: str(skewed),
      prefill: str(warm),
      body: READ_MOSTLY,
    },
    {
      name: 'cache-aside, zipf (int)',
      keys: Int32Array.from(skewed),
      prefill: warm,
      body: CACHE_ASIDE,
    },
    {
      name: 'cache-aside, zipf (string)',
      keys: str(skewed),
      prefill: str(warm),
      body: CACHE_ASIDE,
    },
  ];
}

/**
 * One shared-harness run of `scenario` over `selected` (throughput mode: one call replays the
 * whole key stream, `ops` = its length), interleaved round by round, CPU time, medians.
 */
export async function measure(
  scenario: Scenario,
  capacity: number,
  selected = contenders,
  time = 2000,
): Promise<BenchReport> {
  const bench = new Bench(scenario.name, benchOptionsFromEnv({ time }));
  for (const contender of selected) {
    const cache = contender.create(capacity);
    for (let i = 0; i < scenario.prefill.length; i++) cache.set(scenario.prefill[i], i);
    // A fresh function per contender: its own inline caches and optimisation.
    const loop = new Function('c', 'keys', 'n', scenario.body) as (
      c: Ops,
      keys: ArrayLike<unknown>,
      n: number,
    ) => number;
    const n = scenario.keys.length;
    bench.add(contender.name, () => loop(cache, scenario.keys, n), { ops: n });
  }
  return bench.run();
}
