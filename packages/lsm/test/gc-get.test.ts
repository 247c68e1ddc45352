/**
 * A get served from a cached block allocates nothing but the Buffer it returns: proven by
 * counting GC events (PerformanceObserver 'gc') in a fresh `node --expose-gc` process per case,
 * never by timing. The control allocates exactly one 100-byte Buffer per iteration; a get may
 * not collect more often than that. A second control allocating two Buffers shows the count
 * tells one allocation from two.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./support/gc-get.ts', import.meta.url));
const ITERATIONS = 500_000;

interface Report {
  scavenges: number;
  majors: number;
  misses: number;
}

async function gcCount(which: string): Promise<Report> {
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', script, which, String(ITERATIONS)],
    { timeout: 120_000, cwd: fileURLToPath(new URL('..', import.meta.url)) },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!) as Report;
}

describe('allocation of a cached get (fresh process per case)', () => {
  it('collects no more often than allocating the returned Buffer alone', async () => {
    const [get, control, double] = await Promise.all([
      gcCount('get'),
      gcCount('control'),
      gcCount('control-2x'),
    ]);
    const bound = control.scavenges + Math.max(3, Math.ceil(control.scavenges / 4));
    expect(control.scavenges).toBeGreaterThan(3); // the counter sees the control's garbage
    expect(double.scavenges).toBeGreaterThan(bound); // and would see one allocation more
    expect(get.scavenges).toBeLessThanOrEqual(bound);
    expect(get.majors).toBe(0);
  }, 120_000);
});
