import { spawnSync } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { missingBinary } from '@perf/internal/testing';
import { describe, expect, it } from 'vitest';
import { collectRuntimeMetrics, Monitor } from '../src/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const value = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('collectRuntimeMetrics', () => {
  it('exposes event-loop lag, utilisation, GC by kind and heap under prom-client names', async () => {
    const m = new Monitor();
    const rt = collectRuntimeMetrics(m, { resolutionMs: 5 });
    try {
      await sleep(30);
      const until = performance.now() + 60;
      while (performance.now() < until) {} // block the loop for 60 ms
      gc();
      await sleep(40); // the delayed timer fires and records; the GC entry is delivered
      const text = m.toPrometheus();
      for (const name of [
        'nodejs_eventloop_lag_seconds',
        'nodejs_eventloop_lag_p99_seconds',
        'nodejs_eventloop_utilization_ratio',
        'nodejs_heap_size_used_bytes',
        'nodejs_heap_size_total_bytes',
        'nodejs_external_memory_bytes',
        'process_resident_memory_bytes',
        'process_cpu_user_seconds_total',
      ]) {
        expect(value(text, name), name).toBeGreaterThanOrEqual(0);
      }
      expect(value(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(1e6);
      expect(value(text, 'nodejs_eventloop_lag_max_seconds')).toBeGreaterThan(0.04);
      const elu = value(text, 'nodejs_eventloop_utilization_ratio')!;
      expect(elu).toBeGreaterThan(0);
      expect(elu).toBeLessThanOrEqual(1);
      // The blocked 60 ms shows as one timer at least 40 ms late.
      const late = value(text, 'nodejs_eventloop_delay_seconds_bucket{le="0.025"}')!;
      const all = value(text, 'nodejs_eventloop_delay_seconds_count')!;
      expect(all - late).toBeGreaterThanOrEqual(1);
      expect(value(text, 'nodejs_gc_duration_seconds_count{kind="major"}')).toBeGreaterThanOrEqual(
        1,
      );
      expect(text).toMatch(/^nodejs_heap_space_size_used_bytes\{space="old"\} \d+$/m);
    } finally {
      rt.stop();
    }
  });

  it('its text passes promtool check metrics', () => {
    const missing = missingBinary('/usr/bin/promtool', 'apt-get install -y prometheus');
    if (missing) return void console.warn(`skipped: ${missing}`);
    const m = new Monitor();
    const rt = collectRuntimeMetrics(m, { prefix: 'app_' });
    try {
      const r = spawnSync('/usr/bin/promtool', ['check', 'metrics'], {
        input: m.toPrometheus(),
        encoding: 'utf8',
      });
      expect(r.stdout + r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(m.toPrometheus()).toContain('app_nodejs_gc_duration_seconds_bucket{kind="minor"');
    } finally {
      rt.stop();
    }
  });

  it('rejects bad options', () => {
    expect(() => collectRuntimeMetrics(new Monitor(), { resolutionMs: 0 })).toThrow(RangeError);
    expect(() => collectRuntimeMetrics(new Monitor(), { prefix: 1 as never })).toThrow(TypeError);
  });
});
