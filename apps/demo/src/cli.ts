// perf-kv's command line. The service, load generator and dashboard arrive with issue #10;
// until then this lists the packages the demo will combine, through their public exports only.
import * as balance from '@perf/balance';
import * as cache from '@perf/cache';
import * as concurrency from '@perf/concurrency';
import * as lsm from '@perf/lsm';
import * as monitor from '@perf/monitor';
import * as net from '@perf/net';
import * as pool from '@perf/pool';
import * as simd from '@perf/simd';

const packages = { balance, cache, concurrency, lsm, monitor, net, pool, simd };

export function summary(): string[] {
  return Object.entries(packages).map(
    ([name, mod]) => `@perf/${name}: ${Object.keys(mod).length} exports`,
  );
}

const command = process.argv[2] ?? 'demo';
console.log(`perf-kv ${command}: the service arrives with issue #10. Packages linked:`);
for (const line of summary()) console.log(`  ${line}`);
