// Heap bytes per entry at 100k entries (int keys, one shared value, so only the cache's own
// structures count). Needs --expose-gc: bench/index.ts runs this file in a child process.
import { LRUCache } from 'lru-cache';
import QuickLRU from 'quick-lru';
import { Cache, LruCache } from '../src/index.js';

const N = 100_000;
const gc = (globalThis as { gc?: () => void }).gc;
const keep: unknown[] = [];
/** JS heap plus typed-array backing stores (which live outside the JS heap). */
const used = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

const subjects: [string, () => { set(k: number, v: object): unknown }][] = [
  ['Map (baseline)', () => new Map()],
  ['@perf/cache Cache', () => new Cache({ maximumSize: N })],
  ['@perf/cache Cache + ttl', () => new Cache({ maximumSize: N, ttl: 3_600_000 })],
  ['@perf/cache Cache (lru)', () => new Cache({ maximumSize: N, policy: 'lru' })],
  ['@perf/cache LruCache', () => new LruCache({ maximumSize: N })],
  ['lru-cache 11.5.3', () => new LRUCache<number, object>({ max: N })],
  ['quick-lru 7.3.0 (maxSize N/2)', () => new QuickLRU({ maxSize: N / 2 })],
];

export function heapPerEntry(): [string, number][] {
  if (gc === undefined) throw new Error('run with --expose-gc');
  const value = {};
  const rows: [string, number][] = [];
  for (const [name, create] of subjects) {
    const samples: number[] = [];
    for (let r = 0; r < 3; r++) {
      gc();
      gc();
      const before = used();
      const cache = create();
      keep.push(cache);
      for (let i = 0; i < N; i++) cache.set(i, value);
      gc();
      gc();
      samples.push((used() - before) / N);
      keep.length = 0;
    }
    samples.sort((a, b) => a - b);
    rows.push([name, samples[1]!]);
  }
  return rows;
}

if (process.argv.includes('--child')) process.stdout.write(JSON.stringify(heapPerEntry()));
