import { Cache, LruCache } from '../src/index.js';
import { LRUCache } from 'lru-cache';
import QuickLRU from 'quick-lru';
const N = 100_000;
const keys = new Int32Array(1 << 20);
let seed = 1;
for (let i = 0; i < keys.length; i++) {
  seed = (Math.imul(seed, 1103515245) + 12345) | 0;
  keys[i] = (seed >>> 8) % N;
}
function bench(name: string, c: { get(k: number): unknown; set(k: number, v: number): unknown }) {
  for (let i = 0; i < N; i++) c.set(i, i);
  let sink = 0;
  const times: number[] = [];
  for (let r = 0; r < 7; r++) {
    const s = performance.now();
    for (let i = 0; i < keys.length; i++) {
      const v = c.get(keys[i]!) as number;
      sink += v;
    }
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  console.log(
    name.padEnd(12),
    ((times[3]! * 1e6) / keys.length).toFixed(1),
    'ns/get',
    sink > 0 ? '' : '!',
  );
}
for (let round = 0; round < 2; round++) {
  bench('cache', new Cache<number, number>({ maximumSize: N }));
  bench('cache-lru', new Cache<number, number>({ maximumSize: N, policy: 'lru' }));
  bench('lru-cache', new LRUCache<number, number>({ max: N }));
  bench('quick-lru', new QuickLRU<number, number>({ maxSize: N }));
  bench('LruCache', new LruCache<number, number>({ maximumSize: N * 2 }));
}
