import { characterWorkloads, hitRates } from './hit-rate.bench.js';
import { peers } from './peers.js';
const cap = Number(process.argv[2] ?? 1000);
const sel = peers.filter((p) => /Cache$|reference/.test(p.name));
const t = hitRates(characterWorkloads(cap), sel);
for (const [w, row] of t)
  console.log(
    w.padEnd(28),
    [...row].map(([n, v]) => `${n.split(' ')[0]}=${v.toFixed(1)}`).join(' '),
  );
