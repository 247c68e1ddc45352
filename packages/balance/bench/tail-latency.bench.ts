// Tail latency of the request-level policies in the simulator (see simulate.ts): 10 backends,
// one 5× slower, then halfway through it recovers and another slows down.
import { fixed, table } from './harness.js';
import { policies, simulate } from '../test/support/simulator.js';

export function tailLatency(): string {
  const rows: (string | number)[][] = [];
  for (const concurrency of [8, 1]) {
    const results = policies.map((p) => simulate(p, { concurrency, requests: 200_000 }));
    const lc = results.find((r) => r.policy.startsWith('LeastConnections'))!.p99;
    for (const r of results) {
      rows.push([
        concurrency,
        r.policy,
        fixed(r.p50, 1),
        fixed(r.p99, 1),
        fixed(r.p999, 1),
        `${fixed(r.p99 / lc, 2)}×`,
      ]);
    }
  }
  return table(
    [
      'per-backend concurrency',
      'policy',
      'p50 ms',
      'p99 ms',
      'p99.9 ms',
      'p99 vs least connections',
    ],
    rows,
  );
}
