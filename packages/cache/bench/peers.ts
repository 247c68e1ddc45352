// The caches people use today, behind one tiny interface, so every benchmark drives them the
// same way. Bounds are equal in *resident entries*: quick-lru's `maxSize: m` holds up to
// 2m − 1 entries, so it gets `m = ⌊(N + 1) / 2⌋` (what LruCache does internally).
import { LRUCache } from 'lru-cache';
import { createLRU } from 'lru.min';
import { LRUCache as MnemonistLru } from 'mnemonist';
import QuickLRU from 'quick-lru';
import { lru as tinyLru } from 'tiny-lru';
import { newCache } from 'transitory';
import { Cache, LruCache } from '../src/index.js';
import { ReferenceWTinyLfu } from './reference-wtinylfu.js';

export interface BenchCache<K> {
  get(key: K): unknown;
  set(key: K, value: number): unknown;
}

export interface Peer {
  name: string;
  /** Hit rate only: too slow or not a library (the textbook reference). */
  hitRateOnly?: boolean;
  create<K>(capacity: number): BenchCache<K>;
}

const half = (n: number) => Math.floor((n + 1) / 2);

export const peers: Peer[] = [
  { name: '@perf/cache Cache', create: (n) => new Cache({ maximumSize: n }) },
  { name: '@perf/cache Cache (lru)', create: (n) => new Cache({ maximumSize: n, policy: 'lru' }) },
  { name: '@perf/cache LruCache', create: (n) => new LruCache({ maximumSize: n }) },
  { name: 'lru-cache 11.5.3', create: <K>(n: number) => new LRUCache<K & {}, number>({ max: n }) },
  { name: 'quick-lru 7.3.0', create: (n) => new QuickLRU({ maxSize: half(n) }) },
  { name: 'mnemonist 0.40.8', create: (n) => new MnemonistLru(n) },
  { name: 'tiny-lru 13.1.0', create: (n) => tinyLru(n) },
  { name: 'lru.min 1.1.5', create: (n) => createLRU({ max: n }) },
  {
    name: 'transitory 2.2.0',
    // transitory evicts on a timer unless far over its bound: clean up after each write so
    // its bound holds in a synchronous replay (its throughput is measured without this).
    create: <K>(n: number) => {
      const cache = newCache<K & string, number>().maxSize(n).build();
      return {
        get: (key: K) => cache.getIfPresent(key as K & string) ?? undefined,
        set: (key: K, value: number) => {
          cache.set(key as K & string, value);
          cache.cleanUp();
        },
      };
    },
  },
  {
    name: 'textbook W-TinyLFU (reference)',
    hitRateOnly: true,
    create: <K>(n: number) => new ReferenceWTinyLfu(n) as unknown as BenchCache<K>,
  },
];
