// Http2Pool's undici Dispatcher against undici's own Agent({ allowH2: true }), both driven by
// undici.request() against one HTTP/2-over-TLS server in a child process (a stream limit of
// 100 per session, a 2-byte body):
// - a cold burst: a new dispatcher, then BURST requests at once. undici opens a connection per
//   request that starts before the first one is up (undici#4143); the pool holds them until the
//   server's SETTINGS say how many streams a session takes. Sessions opened (counted by the
//   server), total time and per-request p99, median of ROUNDS interleaved rounds;
// - steady state: warmed dispatchers, 100 requests in flight per iteration, wall time and this
//   process's CPU time per request, through @perf/monitor's harness.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type BenchReport, formatMachine, machine, nsPerOp, writeChart } from '@perf/monitor/bench';
import { Agent, type Dispatcher, request } from 'undici';
import { Http2Pool } from '../src/undici.js';
import { printBench } from '@perf/monitor/bench';

const BURST = 1_000;
const STREAMS = 100;
const IN_FLIGHT = 100;
const ROUNDS = Number(process.env.PERF_BENCH_ROUNDS ?? 5);

interface Contender {
  name: string;
  make(origin: string, ca: string): Dispatcher;
}

const contenders: Contender[] = [
  {
    name: 'undici Agent({ allowH2: true })',
    make: (_origin, ca) => new Agent({ allowH2: true, connect: { ca } }),
  },
  {
    name: '@perf/net Http2Pool dispatcher',
    make: (origin, ca) =>
      new Http2Pool(origin, { maxSessions: 64, connectOptions: { ca } }).dispatcher,
  },
];

async function get(origin: string, dispatcher: Dispatcher): Promise<void> {
  const res = await request(`${origin}/`, { dispatcher });
  await res.body.arrayBuffer();
}

function sessionsSoFar(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (m: { sessions: number }) => resolve(m.sessions));
    child.send('sessions?');
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

export async function run(): Promise<void> {
  const child = fork(new URL('./h2-tls-server.mjs', import.meta.url), [String(STREAMS)]);
  const { port, cert } = await new Promise<{ port: number; cert: string }>((resolve) =>
    child.once('message', resolve as never),
  );
  const origin = `https://127.0.0.1:${port}`;

  // Cold burst.
  const cold = new Map(
    contenders.map((c) => [
      c.name,
      { sessions: [] as number[], total: [] as number[], p99: [] as number[] },
    ]),
  );
  for (let r = 0; r < ROUNDS; r++) {
    for (const c of contenders) {
      const dispatcher = c.make(origin, cert);
      const before = await sessionsSoFar(child);
      const latencies = new Array<number>(BURST);
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: BURST }, async (_, i) => {
          const s = performance.now();
          await get(origin, dispatcher);
          latencies[i] = performance.now() - s;
        }),
      );
      const total = performance.now() - t0;
      latencies.sort((a, b) => a - b);
      const row = cold.get(c.name)!;
      row.sessions.push((await sessionsSoFar(child)) - before);
      row.total.push(total);
      row.p99.push(latencies[Math.floor(0.99 * BURST)]!);
      await dispatcher.close();
    }
  }
  const base = cold.get(contenders[0]!.name)!;
  console.log(
    `\n#### Cold burst: ${BURST.toLocaleString('en-US')} requests at once on a new dispatcher (server: ${STREAMS} streams per session), median of ${ROUNDS} rounds\n`,
  );
  console.log(
    '| dispatcher | sessions opened | total | p99 per request | × faster (total) than undici Agent |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const [name, row] of cold) {
    console.log(
      `| ${name} | ${median(row.sessions)} (${Math.min(...row.sessions)}–${Math.max(...row.sessions)}) | ${median(row.total).toFixed(0)} ms | ${median(row.p99).toFixed(0)} ms | ${(median(base.total) / median(row.total)).toFixed(2)}× |`,
    );
  }
  console.log(`\n${formatMachine(machine())} · wall clock`);

  // Steady state.
  const warm = contenders.map((c) => ({ name: c.name, dispatcher: c.make(origin, cert) }));
  const burst = (d: Dispatcher) => () =>
    Promise.all(Array.from({ length: IN_FLIGHT }, () => get(origin, d)));
  for (const w of warm) await burst(w.dispatcher)();
  const cases = warm.map((w) => ({ name: w.name, fn: burst(w.dispatcher), ops: IN_FLIGHT }));
  const wall = await printBench(
    `Steady state, ${IN_FLIGHT} requests in flight, wall time per request`,
    cases,
    { clock: 'wall' },
  );
  const cpu = await printBench(
    `Steady state, ${IN_FLIGHT} requests in flight, client CPU per request`,
    cases,
    { clock: 'cpu' },
  );
  for (const w of warm) await w.dispatcher.close();
  child.disconnect();
  await drawChart(cold, wall, cpu);
}

/**
 * The README's chart from this run (docs/undici.svg embeds the hash of docs/bench-results.json):
 * the cold burst's total and p99 (median of the rounds, min–max of the rounds as error bars) and the
 * steady state's wall and CPU time per request (median, its CI), all in ms on a log scale.
 */
async function drawChart(
  cold: Map<string, { sessions: number[]; total: number[]; p99: number[] }>,
  wall: BenchReport,
  cpu: BenchReport,
): Promise<void> {
  const steady = (r: BenchReport, name: string) => {
    const c = r.cases.find((x) => x.name === name)!;
    const n = IN_FLIGHT;
    return [nsPerOp(c) / 1e6, c.median.lower / n / 1e6, c.median.upper / n / 1e6] as const;
  };
  const series = contenders.map(({ name }) => {
    const row = cold.get(name)!;
    const cells = [
      [median(row.total), Math.min(...row.total), Math.max(...row.total)] as const,
      [median(row.p99), Math.min(...row.p99), Math.max(...row.p99)] as const,
      steady(wall, name),
      steady(cpu, name),
    ];
    return {
      name: `${name}, ${median(row.sessions)} sessions in the burst`,
      values: cells.map((c) => c[0]),
      lower: cells.map((c) => c[1]),
      upper: cells.map((c) => c[2]),
    };
  });
  const docs = fileURLToPath(new URL('../docs', import.meta.url));
  const results = { cold: Object.fromEntries(cold), steady: [wall, cpu] };
  const id = await writeChart(docs, 'bench-results', results, [
    {
      name: 'undici',
      bar: {
        title: `undici.request() over HTTP/2 + TLS: @perf/net dispatcher vs undici Agent`,
        yLabel: 'time',
        unit: 'ms',
        xLabel: `cold burst of ${BURST.toLocaleString('en-US')} requests · steady state, ${IN_FLIGHT} in flight`,
        groups: [
          'burst: total',
          'burst: p99 per request',
          'steady: wall per request',
          'steady: CPU per request',
        ],
        series,
        baseline: series[0]!.name,
        log: true,
        machine: wall.environment,
      },
    },
  ]);
  console.log(`\nChart: docs/undici.svg (run ${id}, results docs/bench-results.json)`);
}
