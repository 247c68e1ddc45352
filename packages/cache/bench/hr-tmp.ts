import { characterWorkloads, hitRates } from './hit-rate.bench.js';
import { peers } from './peers.js';
const cap = Number(process.argv[2] ?? 1000);
const sel = peers.filter((p) => /Cache$/.test(p.name));
const t = hitRates(characterWorkloads(cap), sel);
console.log(
  `HD=${process.env.HD} SP=${process.env.SP}`,
  [...t].map(([w, row]) => `${w.split(' ')[0]}=${[...row.values()][0]!.toFixed(1)}`).join(' '),
);
