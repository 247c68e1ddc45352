// Tail latency of the request-level policies in the simulator (test/support/simulator.ts).
// Simulated time and seeded traffic: every figure is an exact function of the code, the same on
// every machine.
import { formatRatio, markdownTable } from '@perf/monitor/bench';
import { policies, requestPolicies, simulate } from '../test/support/simulator.js';

const fixed = (x: number, digits = 1) => x.toFixed(digits);
const REQUESTS = 200_000;

/** 10 backends, one 5× slower, then halfway through it recovers and another slows down. */
/** One simulated run per policy and per-backend concurrency (8, then 1): exact, seeded. */
export function tailResults(): { concurrency: number; results: ReturnType<typeof simulate>[] }[] {
  return [8, 1].map((concurrency) => ({
    concurrency,
    results: policies.map((p) => simulate(p, { concurrency, requests: REQUESTS })),
  }));
}

export function tailLatency(
  runs: { concurrency: number; results: ReturnType<typeof simulate>[] }[] = tailResults(),
): string {
  const rows: (string | number)[][] = [];
  for (const { concurrency, results } of runs) {
    const lc = results.find((r) => r.policy.startsWith('LeastConnections'))!.p99;
    for (const r of results) {
      rows.push([
        concurrency,
        r.policy,
        fixed(r.p50),
        fixed(r.p99),
        fixed(r.p999),
        formatRatio(lc / r.p99),
      ]);
    }
  }
  return markdownTable(
    [
      'per-backend concurrency',
      'policy',
      'p50 ms',
      'p99 ms',
      'p99.9 ms',
      'p99 × better than least connections',
    ],
    rows,
  );
}

/**
 * 10 warm backends; after 30 % of the requests an 11th joins 10× slower than the others and
 * warms up linearly over 5 s. With and without a 10 s slow start (Envoy's defaults otherwise:
 * aggression 1, minimum weight 10 %).
 */
export function coldJoin(): string {
  const rows: (string | number)[][] = [];
  const scenario = {
    slowdown: 1,
    shift: false,
    requests: REQUESTS,
    coldJoin: { at: 0.3, factor: 10, warmupMs: 5000 },
  };
  for (const p of requestPolicies) {
    const plain = simulate(p, { ...scenario, options: { health: { panicThreshold: 0 } } });
    const ramped = simulate(p, {
      ...scenario,
      options: { slowStart: { window: 10_000 }, health: { panicThreshold: 0 } },
    });
    rows.push([
      p.name,
      `${fixed(plain.p99)} / ${fixed(ramped.p99)}`,
      `${fixed(plain.p999)} / ${fixed(ramped.p999)}`,
      `${fixed(plain.max, 0)} / ${fixed(ramped.max, 0)}`,
      formatRatio(plain.p99 / ramped.p99),
    ]);
  }
  return markdownTable(
    [
      'policy',
      'p99 ms without / with slow start',
      'p99.9 ms',
      'max ms',
      'p99 × better with slow start',
    ],
    rows,
  );
}

/**
 * 10 backends at 50 % load; after 30 % of the requests 6 of them become 5× slower. Requests
 * slower than 100 ms count as failures, and 5 in a row eject a node (1 s base, no cap on the
 * share ejected). Without the panic threshold, ejection cascades and picks are refused; with it
 * (50 %), the balancer keeps spreading over every node.
 */
export function panic(): string {
  const rows: (string | number)[][] = [];
  const health = { consecutiveFailures: 5, baseEjectionTime: 1000, maxEjectionPercent: 100 };
  const scenario = {
    slowdown: 1,
    shift: false,
    requests: REQUESTS,
    utilisation: 0.5,
    timeoutMs: 100,
    slowDown: { at: 0.3, nodes: 6, factor: 5 },
  };
  for (const p of requestPolicies) {
    for (const [label, panicThreshold] of [
      ['off', 0],
      ['50 %', 50],
    ] as const) {
      const r = simulate(p, { ...scenario, options: { health: { ...health, panicThreshold } } });
      rows.push([
        p.name,
        label,
        fixed(r.p50),
        fixed(r.p99),
        fixed(r.p999),
        `${fixed((r.rejected / REQUESTS) * 100)} %`,
        `${fixed((r.timeouts / REQUESTS) * 100)} %`,
        r.panics,
      ]);
    }
  }
  return markdownTable(
    [
      'policy',
      'panic threshold',
      'p50 ms (served)',
      'p99 ms',
      'p99.9 ms',
      'refused',
      'over 100 ms',
      'panics',
    ],
    rows,
  );
}
