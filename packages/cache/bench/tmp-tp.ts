import { contenders, measure, scenarios } from './throughput.bench.js';
const cap = 100_000;
const sel = contenders.filter((c) => /Cache|lru-cache|quick/.test(c.name));
for (const s of scenarios(cap, 1 << 16)) {
  const rows = measure(s, cap, 9, sel);
  const base = rows.find((r) => r.name.startsWith('lru-cache'))!.nsPerOp;
  console.log(
    s.name.padEnd(34),
    rows
      .map((r) => `${r.name.replace('@perf/cache ', '')}=${(base / r.nsPerOp).toFixed(2)}`)
      .join(' '),
  );
}
