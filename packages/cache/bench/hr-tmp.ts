import { Cache } from '../src/index.js';
import { LRUCache } from 'lru-cache';
import * as t from './traces.js';
const cap = Number(process.argv[2] ?? 100_000);
const keys = cap * 10;
const traces: Record<string, Int32Array> = {
  zipf: t.zipfTrace(30 * cap, keys, 0.99, 1),
  scan: t.scanTrace(30 * cap, keys, 0.99, cap, cap / 2, 2),
  loop: t.loopTrace(20 * cap, Math.round(cap * 1.25)),
  recency: t.recencyTrace(30 * cap, cap / 4, 3),
  mixed: t.mixedTrace(
    t.zipfTrace(15 * cap, keys, 0.99, 4),
    t.recencyTrace(15 * cap, cap / 4, 5),
    cap * 3,
    keys,
  ),
};
const out: string[] = [];
for (const [name, trace] of Object.entries(traces)) {
  const w = t.hitRate(new Cache({ maximumSize: cap }), trace);
  const l = t.hitRate(new LRUCache<number, number>({ max: cap }), trace);
  out.push(`${name} ${(w * 100).toFixed(1)}/${(l * 100).toFixed(1)}`);
}
console.log(`SP=${process.env.SP} cap=${cap}`, out.join('  '));
