import { measure, scenarios } from './throughput.bench.js';
const cap = 100_000;
for (const s of scenarios(cap, 1 << 16)) {
  const rows = measure(s, cap, 9);
  const base = rows.find((r) => r.name.startsWith('lru-cache'))!.nsPerOp;
  console.log(s.name);
  for (const r of rows)
    console.log(
      '  ',
      r.name.padEnd(36),
      r.nsPerOp.toFixed(0).padStart(6),
      'ns',
      (base / r.nsPerOp).toFixed(2) + '×',
    );
}
