/**
 * db_bench-style workloads against LevelDB (classic-level), LMDB (lmdb) and SQLite
 * (better-sqlite3), side by side in one process through one adapter (adapters.ts), with a
 * JavaScript Map as the cost floor of the loop.
 *
 *   pnpm --filter @perf/lsm bench                              # 1 000 000 entries
 *   PERF_BENCH_N=10000000 pnpm --filter @perf/lsm bench        # 10M: ~12 GiB of free disk
 *   PERF_BENCH_ENGINES=@perf/lsm,classic-level pnpm --filter @perf/lsm bench
 *
 * A full run (every engine, every workload) also writes docs/bench-results.json (this run's
 * figures and machine record) and docs/workloads.svg, the README's chart, which embeds the
 * hash of that results file (`writeChart` of @perf/monitor/bench); at another N the files are
 * docs/bench-results-<N>.json and docs/workloads-<N>.svg.
 *
 * Keys are 16 bytes; values 100 bytes, half compressible (db_bench's generator: 50 random
 * bytes, then the same 50 again). Each throughput is the median of 5 equal slices of its phase
 * (robust to a noisy neighbour). Ratios are "× faster than" the peer in the same run (> 1:
 * @perf/lsm is faster), the convention of @perf/monitor/bench, whose machine record (Node, CPU,
 * cores, load average, date) heads the report. Every read result feeds a printed checksum, so
 * no engine can skip work. Phases are separated by each engine's sync (`settle`) and a GC.
 */
import { execSync } from 'node:child_process';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  type BarSeries,
  formatMachine,
  formatRatio,
  machine,
  markdownTable,
  writeChart,
} from '@perf/monitor/bench';
import {
  type Adapter,
  classicLevel,
  type Factory,
  lmdb,
  lsm,
  sqlite,
  vanilla,
} from './adapters.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const N = Number(process.env.PERF_BENCH_N ?? 1_000_000);
const READS = Math.min(N, Number(process.env.PERF_BENCH_READS ?? 100_000));
const SLICES = 5;
const ONLY = process.env.PERF_BENCH_ONLY?.split(',');

const ENGINES = process.env.PERF_BENCH_ENGINES?.split(',');
const allFactories: [string, Factory][] = [
  ['@perf/lsm', lsm],
  ['classic-level', classicLevel],
  ['lmdb', lmdb],
  ['better-sqlite3', sqlite],
  ['_vanilla (Map)', vanilla],
];
const factories = allFactories.filter(([n]) => ENGINES === undefined || ENGINES.includes(n));

// Deterministic data: xorshift, so every engine sees the same keys in the same order.
let seed = 0x9e3779b9;
const rand = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
};
const keyOf = (i: number) => Buffer.from(`${String(i).padStart(16, '0')}`);
const seqKeys = Array.from({ length: N }, (_, i) => keyOf(i));
const order = Array.from({ length: N }, (_, i) => i);
for (let i = N - 1; i > 0; i--) {
  const j = rand() % (i + 1);
  [order[i], order[j]] = [order[j]!, order[i]!];
}
const randKeys = order.map((i) => seqKeys[i]!);
// db_bench's RandomGenerator: half the value random, the other half a repeat of it.
const values = Array.from({ length: 1024 }, () => {
  const v = new Uint8Array(100);
  for (let i = 0; i < 50; i++) v[i] = v[i + 50] = rand() & 0xff;
  return v;
});
const valueFor = (i: number) => values[i & 1023]!;
const readIdx = Array.from({ length: READS }, () => rand() % N);
const absentKeys = Array.from({ length: READS }, (_, i) =>
  Buffer.from(`${String(i).padStart(15, '0')}x`),
);

let checksum = 0;

/** Runs `total` operations in SLICES slices; returns the median slice throughput (ops/s). */
async function sliced(
  total: number,
  run: (from: number, to: number) => Promise<void>,
): Promise<number> {
  const rates: number[] = [];
  const per = Math.ceil(total / SLICES);
  for (let s = 0; s < SLICES; s++) {
    const from = s * per;
    const to = Math.min(total, from + per);
    if (to <= from) break;
    const t = performance.now();
    await run(from, to);
    rates.push(((to - from) * 1000) / (performance.now() - t));
  }
  rates.sort((a, b) => a - b);
  return rates[rates.length >> 1]!;
}

type Row = Record<string, string>;
const results = new Map<string, Row>();
const record = (workload: string, name: string, text: string) => {
  const row = results.get(workload) ?? {};
  row[name] = text;
  results.set(workload, row);
};
const fmt = (ops: number) =>
  ops >= 1e6
    ? `${(ops / 1e6).toFixed(2)}M/s`
    : ops >= 1e3
      ? `${(ops / 1e3).toFixed(1)}k/s`
      : `${ops.toFixed(0)}/s`;
const rates = new Map<string, Map<string, number>>();
const rate = (workload: string, name: string, ops: number, extra = '') => {
  let m = rates.get(workload);
  if (m === undefined) rates.set(workload, (m = new Map()));
  m.set(name, ops);
  record(workload, name, fmt(ops) + extra);
};

/**
 * Writes `keys` in batches. Between batches the loop yields to the event loop, as a server
 * taking writes from sockets would: the event-loop delay measured meanwhile is then the
 * engine's own background work (flushes, compactions, callbacks), not the benchmark loop.
 */
async function fill(db: Adapter, keys: Buffer[], batch: number, sync: boolean): Promise<number> {
  return sliced(keys.length, async (from, to) => {
    for (let i = from; i < to; i += batch) {
      const entries: [Uint8Array, Uint8Array][] = [];
      for (let j = i; j < Math.min(to, i + batch); j++) entries.push([keys[j]!, valueFor(j)]);
      await db.batch(entries, sync);
      await new Promise((r) => setImmediate(r));
    }
  });
}

function du(dir: string): number {
  return Number(execSync(`du -sb ${dir}`).toString().split('\t')[0]);
}

async function benchEngine(factory: Factory): Promise<void> {
  const wants = (w: string) => ONLY === undefined || ONLY.includes(w);
  {
    const seqDir = mkdtempSync(join(tmpdir(), 'perf-lsm-bench-'));
    const db = await factory(seqDir, false);
    rate('fillseq (batches of 1000)', db.name, await fill(db, seqKeys, 1000, false));
    await db.close();
    rmSync(seqDir, { recursive: true, force: true });
    gc();
  }
  const dir = mkdtempSync(join(tmpdir(), 'perf-lsm-bench-'));
  let db = await factory(dir, false);
  const name = db.name;
  try {
    // fillrandom first, into an empty store: throughput, event-loop delay, close, disk use.
    const h = monitorEventLoopDelay({ resolution: 1 });
    h.enable();
    rate('fillrandom (batches of 1000)', name, await fill(db, randKeys, 1000, false));
    h.disable();
    record(
      'event-loop delay p99 during fillrandom',
      name,
      `${(h.percentile(99) / 1e6).toFixed(1)} ms`,
    );
    if (db.info) record('notes', name, db.info());
    const tc = performance.now();
    await db.close();
    record('close() right after fillrandom', name, `${(performance.now() - tc).toFixed(0)} ms`);
    db = await factory(dir, false);
    await db.settle();
    gc();
    if (name !== '_vanilla (Map)')
      record('disk after fillrandom', name, `${(du(dir) / 2 ** 20).toFixed(0)} MiB`);

    const sink = (v: Uint8Array | undefined) => {
      checksum += v === undefined ? 1 : v[7]!;
    };
    if (wants('get')) {
      rate(
        'random get, async API',
        name,
        await sliced(READS, async (a, b) => {
          for (let i = a; i < b; i++) sink(await db.get(seqKeys[readIdx[i]!]!));
        }),
      );
      rate(
        'random get, sync path',
        name,
        await sliced(READS, async (a, b) => {
          for (let i = a; i < b; i++) sink(db.getSync(seqKeys[readIdx[i]!]!));
        }),
      );
      rate(
        'absent keys (sync)',
        name,
        await sliced(READS, async (a, b) => {
          for (let i = a; i < b; i++) sink(db.getSync(absentKeys[i]!));
        }),
      );
    }
    if (wants('scan')) {
      for (const reverse of [false, true]) {
        const t = performance.now();
        checksum += await db.scan(reverse, Number.POSITIVE_INFINITY);
        rate(reverse ? 'readreverse' : 'readseq', name, (N * 1000) / (performance.now() - t));
      }
      rate(
        'seekrandom (limit 10)',
        name,
        await sliced(Math.min(READS, 20_000), async (a, b) => {
          for (let i = a; i < b; i++) checksum += await db.scan(false, 10, seqKeys[readIdx[i]!]!);
        }),
      );
    }
    if (wants('overwrite')) {
      rate(
        'overwrite (single awaited put)',
        name,
        await sliced(Math.min(READS, 50_000), async (a, b) => {
          for (let i = a; i < b; i++) await db.put(seqKeys[readIdx[i]!]!, valueFor(i), false);
        }),
      );
    }
    await db.close();
    gc();

    // Synced workloads on a fresh store opened for durability.
    if (wants('sync') && name !== '_vanilla (Map)') {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir);
      db = await factory(dir, true);
      rate(
        'fsync per put',
        name,
        await sliced(500, async (a, b) => {
          for (let i = a; i < b; i++) await db.put(seqKeys[i]!, valueFor(i), true);
        }),
      );
      const lat: number[] = [];
      const total = 5000;
      let next = 0;
      const t = performance.now();
      await Promise.all(
        Array.from({ length: 64 }, async () => {
          while (next < total) {
            const i = next++;
            const s = performance.now();
            await db.put(randKeys[i]!, valueFor(i), true);
            lat.push(performance.now() - s);
          }
        }),
      );
      lat.sort((x, y) => x - y);
      const p99 = lat[Math.floor(lat.length * 0.99)]!;
      rate(
        '64 concurrent synced puts',
        name,
        (total * 1000) / (performance.now() - t),
        ` (p99 ${p99.toFixed(1)} ms)`,
      );
      rate('batches of 1000, synced', name, await fill(db, seqKeys.slice(0, 50_000), 1000, true));
      await db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Reopen after a crash: close() leaves the memtable in the log (it does not flush), so the next
 * open does exactly the crash-recovery work — replay a 4 MiB log, write it as a table, start a
 * new manifest and log.
 */
async function reopenAfterCrash(): Promise<void> {
  const { LsmStore } = await import('../src/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'perf-lsm-reopen-'));
  try {
    // A write buffer above the log size, so the whole log is still live at close.
    const db = await LsmStore.open(dir, { writeBufferSize: 16 * 2 ** 20 });
    let logBytes = 0;
    for (let i = 0; logBytes < 4 * 2 ** 20; i++) {
      await db.put(keyOf(N + i), valueFor(i));
      logBytes = db.stats().writeAmplification * db.stats().userBytes;
    }
    await db.close();
    const t = performance.now();
    const again = await LsmStore.open(dir);
    record(
      `reopen replaying a ${(logBytes / 2 ** 20).toFixed(1)} MiB log`,
      '@perf/lsm',
      `${(performance.now() - t).toFixed(0)} ms`,
    );
    await again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The disk's floor for a synced write: one append and one fsync, no engine at all. */
function fsyncFloor(): void {
  const dir = mkdtempSync(join(tmpdir(), 'perf-lsm-floor-'));
  try {
    const fd = openSync(join(dir, 'f'), 'a');
    const v = valueFor(0);
    const n = 500;
    const t = performance.now();
    for (let i = 0; i < n; i++) {
      writeSync(fd, v);
      fsyncSync(fd);
    }
    closeSync(fd);
    rate(
      'fsync per put',
      '_vanilla (Map)',
      (n * 1000) / (performance.now() - t),
      ' (raw append + fsync)',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Throughput workloads the chart shows (ops/s, higher is better), in table order, with the
 * short labels that fit under a group of bars (API names where one names the workload).
 */
const CHARTED: [workload: string, label: string][] = [
  ['fillseq (batches of 1000)', 'fillseq'],
  ['fillrandom (batches of 1000)', 'fillrand'],
  ['random get, async API', 'get'],
  ['random get, sync path', 'getSync'],
  ['absent keys (sync)', 'absent'],
  ['readseq', 'readseq'],
  ['readreverse', 'readrev'],
  ['seekrandom (limit 10)', 'seek 10'],
  ['overwrite (single awaited put)', 'put'],
  ['fsync per put', 'put sync'],
  ['64 concurrent synced puts', '64 puts'],
  ['batches of 1000, synced', 'sync1000'],
];

/** What a run leaves in docs/bench-results.json, and what its chart is drawn from. */
interface Results {
  n: number;
  machine: ReturnType<typeof machine>;
  loadAtEnd: readonly number[] | undefined;
  /** workload → engine → ops/s. */
  opsPerSecond: Record<string, Record<string, number>>;
  table: { header: string[]; rows: string[][] };
}

/**
 * Writes the results file and the README's chart drawn from it. `PERF_BENCH_REDRAW=<results
 * file>` redraws the chart of a past run without measuring again (same file, same run id).
 */
async function chart(results: Results): Promise<void> {
  const ops = results.opsPerSecond;
  const engines = [...new Set(Object.values(ops).flatMap((r) => Object.keys(r)))].filter(
    (n) => n !== '_vanilla (Map)',
  );
  const charted = CHARTED.filter(([w]) => ops[w] !== undefined);
  const series: BarSeries[] = engines.map((name) => ({
    name,
    values: charted.map(([w]) => ops[w]?.[name] ?? null),
  }));
  const suffix = results.n === 1_000_000 ? '' : `-${results.n}`;
  const docs = fileURLToPath(new URL('../docs', import.meta.url));
  const id = await writeChart(docs, `bench-results${suffix}`, results, [
    {
      name: `workloads${suffix}`,
      bar: {
        title: `db_bench workloads at ${results.n.toLocaleString('en-US')} keys (16-byte keys, 100-byte values)`,
        yLabel: 'throughput',
        unit: 'ops/s',
        xLabel: 'workload (see the table below for each one)',
        groups: charted.map(([, label]) => label),
        series,
        baseline: 'classic-level',
        higherIsBetter: true,
        log: true,
        machine: results.machine,
      },
    },
  ]);
  console.log(
    `chart: docs/workloads${suffix}.svg (run ${id}, results docs/bench-results${suffix}.json)`,
  );
}

async function main() {
  const redraw = process.env.PERF_BENCH_REDRAW;
  if (redraw !== undefined) {
    await chart(JSON.parse(readFileSync(redraw, 'utf8')) as Results);
    return;
  }
  const m = machine('wall');
  console.log(
    `@perf/lsm bench: ${N} entries, 16-byte keys, 100-byte half-compressible values; ${formatMachine(m)}`,
  );
  for (const [n, f] of factories) {
    const t = performance.now();
    await benchEngine(f);
    console.error(`  ${n} done in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  if (factories.some(([n]) => n === '@perf/lsm')) await reopenAfterCrash();
  fsyncFloor();
  const names = factories.map(([n]) => n);
  const ratio = (workload: string, peer: string) => {
    const ours = rates.get(workload)?.get('@perf/lsm');
    const theirs = rates.get(workload)?.get(peer);
    return ours === undefined || theirs === undefined ? '—' : formatRatio(ours / theirs);
  };
  const rows = [...results].map(([workload, row]) => [
    workload,
    ...names.map((n) => row[n] ?? '—'),
    ratio(workload, 'classic-level'),
    ratio(workload, 'lmdb'),
  ]);
  const header = ['workload', ...names, '× faster than LevelDB', '× faster than LMDB'];
  console.log(markdownTable(header, rows));
  console.log(
    `(ratios: @perf/lsm's throughput ÷ the peer's, same run; > 1 means @perf/lsm is faster; load at end ${machine().loadavg?.join(' ')}; checksum ${checksum})`,
  );
  // Only a full run replaces the committed picture of a full run.
  if (ENGINES === undefined && ONLY === undefined) {
    const opsPerSecond = Object.fromEntries(
      [...rates].map(([w, byEngine]) => [w, Object.fromEntries(byEngine)]),
    );
    await chart({
      n: N,
      machine: m,
      loadAtEnd: machine().loadavg,
      opsPerSecond,
      table: { header, rows },
    });
  }
}

await main();
