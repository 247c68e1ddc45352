/**
 * Crash tests with a real SIGKILL: a child process writes with acknowledgements (puts and
 * atomic batches, 8 in flight, flushes and worker compactions running) and is killed at a
 * random moment. On reopen every acknowledged write must be present with its value, and every
 * unacknowledged batch must be all there or not at all. The same directory is reused across
 * iterations, so later kills land on a store with many tables, mid-flush and mid-compaction.
 *
 * The child is bundled with esbuild (with the compaction worker beside it) so it starts in
 * ~50 ms. `PERF_CRASH_ITERATIONS` sets iterations per mode (default 8; 100+ on demand).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LsmStore } from '../src/index.js';
import { sizeOf, valueFor } from './fixtures/crash-writer.js';
import { mulberry32 } from '@perf/internal';

const ITERATIONS = Number(process.env.PERF_CRASH_ITERATIONS ?? 8);
/** Generous: a kill-and-verify round takes ~1 s on a quiet machine, ~10 s on a loaded one. */
const TIMEOUT = Math.max(300_000, ITERATIONS * 30_000);
let bundleDir = '';

beforeAll(async () => {
  bundleDir = mkdtempSync(join(tmpdir(), 'perf-lsm-crash-bundle-'));
  writeFileSync(join(bundleDir, 'package.json'), '{"type":"module"}');
  await build({
    entryPoints: {
      'crash-writer': join(import.meta.dirname, 'fixtures/crash-writer.ts'),
      'compaction-worker': join(import.meta.dirname, '../src/internal/compaction-worker.ts'),
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: bundleDir,
    logLevel: 'silent',
  });
});

afterAll(() => rmSync(bundleDir, { recursive: true, force: true }));

/** Seeded (mulberry32) so a failing run can be replayed with PERF_CRASH_SEED. */
const rng = mulberry32;

function runAndKill(
  dir: string,
  mode: string,
  first: number,
  killAfterMs: number,
): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      [join(bundleDir, 'crash-writer.js'), dir, mode, String(first)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      // The kill clock starts at the first acknowledgement, so every round kills a child that
      // is really writing (on a loaded machine, opening alone can take longer than the delay).
      if (timer === undefined && /^ready\n\d+\n/.test(out)) {
        timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') {
        reject(new Error(`child exited with ${code}/${signal} before the kill: ${err}`));
        return;
      }
      // Only whole lines are acknowledgements: the kill may cut the last one short.
      const lines = out.split('\n');
      lines.pop();
      resolve(lines.filter((l) => l !== 'ready').map(Number));
    });
  });
}

async function crashLoop(mode: 'sync' | 'nosync', seed: number) {
  const dir = mkdtempSync(join(tmpdir(), `perf-lsm-crash-${mode}-`));
  const random = rng(seed);
  const acked = new Set<number>();
  let checkedWrites = 0;
  let violations = 0;
  try {
    for (let iter = 0; iter < ITERATIONS; iter++) {
      const first = (iter + 1) * 1_000_000;
      const ids = await runAndKill(dir, mode, first, 10 + Math.floor(random() * 300));
      for (const i of ids) acked.add(i);
      const db = await LsmStore.open(dir);
      try {
        const seen = new Map<number, number>();
        for await (const [k, v] of db.iterator()) {
          const m = /^k(\d{9})\.(\d)$/.exec(k.toString());
          expect(m, `unexpected key ${k}`).not.toBeNull();
          const i = Number(m![1]);
          const j = Number(m![2]);
          if (v.toString() !== valueFor(i, j)) violations++;
          seen.set(i, (seen.get(i) ?? 0) + 1);
        }
        for (const i of acked) {
          checkedWrites++;
          if (seen.get(i) !== sizeOf(i)) violations++;
        }
        // unacknowledged batches: all or nothing
        for (const [i, n] of seen) if (n !== sizeOf(i)) violations++;
      } finally {
        await db.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { acked: acked.size, checkedWrites, violations };
}

describe('crash recovery (real SIGKILL of a writing child process)', () => {
  const seed = Number(process.env.PERF_CRASH_SEED ?? Date.now() % 1_000_000);

  it(
    `keeps every acknowledged write, batches atomic — without sync (seed ${seed})`,
    async () => {
      const r = await crashLoop('nosync', seed);
      console.log(
        `crash nosync: ${ITERATIONS} kills, ${r.acked} acknowledged writes, ${r.checkedWrites} checks, ${r.violations} violations`,
      );
      expect(r.acked).toBeGreaterThan(0);
      expect(r.violations).toBe(0);
    },
    TIMEOUT,
  );

  it(
    `keeps every acknowledged write, batches atomic — with sync and group commit (seed ${seed})`,
    async () => {
      const r = await crashLoop('sync', seed + 1);
      console.log(
        `crash sync: ${ITERATIONS} kills, ${r.acked} acknowledged writes, ${r.checkedWrites} checks, ${r.violations} violations`,
      );
      expect(r.acked).toBeGreaterThan(0);
      expect(r.violations).toBe(0);
    },
    TIMEOUT,
  );
});
