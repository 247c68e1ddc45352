import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProfilerError, profile, startProfiling } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'perf-monitor-profile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function busyFibonacciForProfile(n: number): number {
  return n < 2 ? n : busyFibonacciForProfile(n - 1) + busyFibonacciForProfile(n - 2);
}

describe('CPU profiling', () => {
  it('profiles a function and writes a .cpuprofile DevTools and speedscope can open', async () => {
    const file = join(dir, 'sub', 'fib.cpuprofile');
    const { result, profile: p } = await profile(
      () => {
        let s = 0;
        const end = Date.now() + 150;
        while (Date.now() < end) s += busyFibonacciForProfile(18);
        return s;
      },
      { file, samplingInterval: 50 },
    );
    expect(result).toBeGreaterThan(0);
    expect(p.endTime).toBeGreaterThan(p.startTime);
    expect(p.nodes.some((n) => n.callFrame.functionName === 'busyFibonacciForProfile')).toBe(true);
    const onDisk = JSON.parse(readFileSync(file, 'utf8'));
    // The shape both tools read: nodes with call frames, samples and time deltas.
    expect(
      Array.isArray(onDisk.nodes) &&
        Array.isArray(onDisk.samples) &&
        Array.isArray(onDisk.timeDeltas),
    ).toBe(true);
    expect(onDisk.samples.length).toBe(onDisk.timeDeltas.length);
  });

  it('profiles a time window, one at a time', async () => {
    const profiler = await startProfiling();
    const second = await startProfiling().catch((e: unknown) => e);
    expect(second).toBeInstanceOf(ProfilerError);
    expect((second as ProfilerError).code).toBe('PERF_MONITOR_PROFILER_BUSY');
    await new Promise((r) => setTimeout(r, 20));
    const p = await profiler.stop();
    expect(await profiler.stop()).toBe(p);
    expect(p.nodes.length).toBeGreaterThan(0);
    // Free again after stop.
    await (await startProfiling()).stop();
  });

  it('stops the profiler and rethrows when the function throws', async () => {
    const file = join(dir, 'throws.cpuprofile');
    const boom = new Error('boom');
    await expect(
      profile(
        async () => {
          throw boom;
        },
        { file },
      ),
    ).rejects.toBe(boom);
    expect(existsSync(file)).toBe(true);
    await (await startProfiling()).stop();
  });

  it('rejects bad arguments', async () => {
    await expect(profile(5 as never)).rejects.toThrow(TypeError);
    await expect(startProfiling({ samplingInterval: 0 })).rejects.toThrow(RangeError);
    await expect(startProfiling({ file: 3 as never })).rejects.toThrow(TypeError);
  });
});
