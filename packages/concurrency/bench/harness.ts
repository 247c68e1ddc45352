// Small benchmark helpers: medians of repeated runs, markdown tables with ratios, and worker
// threads running bench/roles.ts (bundled with esbuild, so workers run the TypeScript sources).
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { buildSync } from 'esbuild';

export const REPEATS = Number(process.env.PERF_BENCH_REPEATS ?? 5);

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Runs `once` REPEATS times (after one warm-up) and returns the median of what it reports. */
export async function measure(once: () => number | Promise<number>): Promise<number> {
  await once();
  const xs: number[] = [];
  for (let i = 0; i < REPEATS; i++) xs.push(await once());
  return median(xs);
}

export interface Row {
  name: string;
  value: number;
}

const fmt = (v: number): string =>
  v >= 1e6
    ? `${(v / 1e6).toFixed(2)}M`
    : v >= 1e3
      ? `${(v / 1e3).toFixed(1)}k`
      : v.toFixed(v < 10 ? 2 : 1);

/**
 * Prints a table: each row's median and its ratio to `base` (higher is better when
 * `higherIsBetter`, e.g. ops/s; otherwise e.g. ns/op, and the ratio is inverted so > 1 = faster).
 */
export function table(
  title: string,
  unit: string,
  rows: Row[],
  base: string,
  higherIsBetter = true,
): void {
  const ref = rows.find((r) => r.name === base)!.value;
  console.log(`\n### ${title}\n`);
  console.log(`| case | median ${unit} | vs ${base} |`);
  console.log('|---|---:|---:|');
  for (const r of rows) {
    const ratio = higherIsBetter ? r.value / ref : ref / r.value;
    console.log(`| ${r.name} | ${fmt(r.value)} | ${ratio.toFixed(2)}× |`);
  }
}

let bundled: string | undefined;
function roles(): string {
  bundled ??= buildSync({
    entryPoints: [fileURLToPath(new URL('./roles.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
  }).outputFiles[0]!.text;
  return bundled;
}

/** Starts a bench worker; `done` resolves with its final message. */
export function spawnRole(workerData: Record<string, unknown>): {
  worker: Worker;
  done: Promise<unknown>;
} {
  const worker = new Worker(roles(), { eval: true, workerData });
  const done = new Promise<unknown>((resolve, reject) => {
    worker.on('message', (m: { done?: unknown }) => {
      if (m && typeof m === 'object' && 'done' in m) resolve(m.done);
    });
    worker.once('error', reject);
  });
  return { worker, done };
}

/** A shared start line: workers spin on it so every run starts hot, at one instant. */
export function startLine() {
  const words = new Int32Array(new SharedArrayBuffer(16));
  return {
    buffer: words.buffer as SharedArrayBuffer,
    /** Waits until `n` workers are ready (they bump word 1). */
    ready: async (n: number) => {
      while (Atomics.load(words, 1) < n) await new Promise((r) => setTimeout(r, 1));
    },
    go: () => {
      Atomics.store(words, 0, 1);
      Atomics.notify(words, 0);
    },
  };
}
