/**
 * db_bench-style workloads against LevelDB (classic-level), LMDB (lmdb) and SQLite
 * (better-sqlite3), side by side in one process, with a JavaScript Map as the baseline row.
 *
 *   pnpm --filter @perf/lsm bench            # PERF_BENCH_N entries (default 200 000)
 *   PERF_BENCH_N=1000000 pnpm --filter @perf/lsm bench
 *
 * Keys are 16 bytes, values 100 random (incompressible) bytes. Each throughput is the median
 * of 5 equal slices of its phase (robust to a noisy neighbour); ratios are against @perf/lsm's
 * figure in the same run. Every read result feeds a checksum that is printed, so no engine can
 * skip work. A forced GC (when exposed) separates phases.
 */
import { execSync } from 'node:child_process';
import { closeSync, fsyncSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
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

const N = Number(process.env.PERF_BENCH_N ?? 200_000);
const READS = Math.min(N, Number(process.env.PERF_BENCH_READS ?? 100_000));
const SLICES = 5;
const ONLY = process.env.PERF_BENCH_ONLY?.split(',');

const factories: Factory[] = [lsm, classicLevel, lmdb, sqlite, vanilla];

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
const values = Array.from({ length: 1024 }, () =>
  Uint8Array.from({ length: 100 }, () => rand() & 0xff),
);
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
    // fillrandom first, into an empty store: throughput, event-loop delay, disk use.
    const h = monitorEventLoopDelay({ resolution: 1 });
    h.enable();
    rate('fillrandom (batches of 1000)', name, await fill(db, randKeys, 1000, false));
    h.disable();
    record(
      'event-loop delay p99 during fillrandom',
      name,
      `${(h.percentile(99) / 1e6).toFixed(1)} ms`,
    );
    await db.settle();
    gc();
    if (name !== '_vanilla (Map)')
      record('disk after fillrandom', name, `${(du(dir) / 2 ** 20).toFixed(0)} MiB`);
    if (db.info) record('notes', name, db.info());

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
        '64 concurrent sync puts',
        name,
        (total * 1000) / (performance.now() - t),
        ` (p99 ${p99.toFixed(1)} ms)`,
      );
      rate('batch of 1000, synced', name, await fill(db, seqKeys.slice(0, 50_000), 1000, true));
      await db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Reopen after a crash: close() leaves the memtable in the log (it does not flush), so the next
 * open does exactly the crash-recovery work — replay the log, write it as a table, start a new
 * manifest and log.
 */
async function reopenAfterCrash(): Promise<void> {
  const { LsmStore } = await import('../src/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'perf-lsm-reopen-'));
  try {
    const db = await LsmStore.open(dir);
    for (let i = 0; i < 30_000; i++) await db.put(keyOf(N + i), valueFor(i)); // ~3.6 MiB of log
    await db.close();
    const t = performance.now();
    const again = await LsmStore.open(dir);
    record(
      'reopen replaying a 3.6 MiB log',
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

async function main() {
  console.log(
    `@perf/lsm bench: ${N} entries, 16-byte keys, 100-byte values; Node ${process.version}, ${new Date().toISOString()}`,
  );
  for (const f of factories) {
    const t = performance.now();
    await benchEngine(f);
    console.error(`  ${f.name} done in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  await reopenAfterCrash();
  fsyncFloor();
  const names = ['@perf/lsm', 'classic-level', 'lmdb', 'better-sqlite3', '_vanilla (Map)'];
  const lines = [
    `| workload | ${names.join(' | ')} |`,
    `|---|${names.map(() => '---:').join('|')}|`,
  ];
  for (const [workload, row] of results) {
    const ours = rates.get(workload)?.get('@perf/lsm');
    const cells = names.map((n) => {
      const text = row[n] ?? '—';
      const r = rates.get(workload)?.get(n);
      if (n === '@perf/lsm' || ours === undefined || r === undefined) return text;
      return `${text} (${(ours / r).toFixed(2)}×)`;
    });
    lines.push(`| ${workload} | ${cells.join(' | ')} |`);
  }
  console.log(lines.join('\n'));
  console.log(`(ratios: @perf/lsm ÷ peer, > 1 means @perf/lsm is faster; checksum ${checksum})`);
}

await main();
