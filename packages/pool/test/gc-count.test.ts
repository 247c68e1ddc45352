import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { bundle } from './support/bundle.js';
import type { GcReport } from './support/gc-cases.js';

// Allocation-freedom, proven by counting GC events (PerformanceObserver 'gc') in a fresh
// `node --expose-gc` process per case — never by timing. The cases live in test/support/gc-cases.ts,
// shared with the benchmark that prints the README's GC table.
const run = promisify(execFile);
const { file, cleanup } = bundle(new URL('./support/gc-cases.ts', import.meta.url));
afterAll(cleanup);

const TEN_MILLION = 10_000_000;
/** The goal: at most 5 scavenges per 10M operations in steady state. */
const MAX_SCAVENGES = 5;

async function gcCount(name: string, iterations: number): Promise<GcReport> {
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', '--allow-natives-syntax', file, name, String(iterations)],
    {
      timeout: 120_000,
    },
  );
  return JSON.parse(stdout) as GcReport;
}

describe('GC events in steady state (fresh process per case)', () => {
  it('the control (allocate-and-drop) does trigger scavenges, so the counter can see them', async () => {
    const r = await gcCount('alloc-drop-int', 2_000_000);
    expect(r.scavenges).toBeGreaterThan(MAX_SCAVENGES);
  });

  it('as does a pooled record whose float field is tagged (holds null after reset)', async () => {
    const r = await gcCount('object-pool-float-tagged', 2_000_000);
    expect(r.scavenges).toBeGreaterThan(MAX_SCAVENGES);
  });

  for (const name of [
    'object-pool-int',
    'struct-float',
    'slab-alloc-free',
    'buffer-pool',
    'long-lived-soa',
  ]) {
    it(`${name}: at most ${MAX_SCAVENGES} scavenges and no major GC per 10M operations`, async () => {
      const r = await gcCount(name, TEN_MILLION);
      expect(r.optimized).toBe(true);
      expect(r.scavenges).toBeLessThanOrEqual(MAX_SCAVENGES);
      expect(r.majors).toBe(0);
    });
  }
});
