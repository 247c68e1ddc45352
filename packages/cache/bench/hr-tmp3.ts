import { Cache } from '../src/index.js';
import { LRUCache } from 'lru-cache';
import * as t from './traces.js';
const cap = 100_000;
const len = Number(process.argv[2]);
const trace = t.zipfTrace(len, 1_000_000, 0.99, 1);
const scan = t.scanTrace(len, 1_000_000, 0.99, Number(process.argv[3]), Number(process.argv[4]), 2);
for (const [n, tr] of [
  ['zipf', trace],
  ['scan', scan],
] as const) {
  const w = t.hitRate(new Cache({ maximumSize: cap }), tr);
  const l = t.hitRate(new LRUCache<number, number>({ max: cap }), tr);
  console.log(len, n, (w * 100).toFixed(2), (l * 100).toFixed(2));
}
