import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configFrom, parseFlags } from '../src/config.js';
import { progressBar, valueFor } from '../src/load/generator.js';
import { type LoadReport, latencySvg, renderHtml, renderText, slaOf } from '../src/load/report.js';
import { Rng, Zipf } from '../src/load/zipf.js';

describe('Rng and Zipf', () => {
  it('is reproducible from its seed and stays in range', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 10_000 }), (seed, n) => {
        const a = new Zipf(n, 0.99, new Rng(seed));
        const b = new Zipf(n, 0.99, new Rng(seed));
        for (let i = 0; i < 50; i++) {
          const x = a.next();
          expect(x).toBe(b.next());
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(n);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('follows the Zipf law: rank 1 is drawn about 2^s times as often as rank 2', () => {
    const n = 1000;
    const s = 1;
    const z = new Zipf(n, s, new Rng(7));
    const counts = new Uint32Array(n);
    const draws = 200_000;
    for (let i = 0; i < draws; i++) counts[z.next()]!++;
    let h = 0;
    for (let k = 1; k <= n; k++) h += 1 / k ** s;
    // Expected share of rank 1 is 1/H(n,s) ≈ 13.4 %; allow 5 % relative sampling error.
    expect(counts[0]! / draws).toBeCloseTo(1 / h, 1);
    expect(counts[0]! / counts[1]!).toBeGreaterThan(1.8);
    expect(counts[0]! / counts[1]!).toBeLessThan(2.2);
  });

  it('has a long period and reaches the whole key space', () => {
    const r = new Rng(42);
    const seen = new Set<number>();
    for (let i = 0; i < 1_000_000; i++) seen.add(r.next());
    // 10^6 draws from 2^32 values collide about 116 times by the birthday bound.
    expect(seen.size).toBeGreaterThan(999_000);
    const z = new Zipf(10_000, 0.99, new Rng(1));
    const keys = new Set<number>();
    for (let i = 0; i < 500_000; i++) keys.add(z.next());
    expect(keys.size).toBeGreaterThan(9_000);
  });

  it('rejects nonsense parameters', () => {
    expect(() => new Zipf(0, 1, new Rng())).toThrow(RangeError);
    expect(() => new Zipf(10, 0, new Rng())).toThrow(RangeError);
  });
});

describe('config', () => {
  it('parses flags in both spellings and validates ranges', () => {
    const { positional, flags } = parseFlags([
      'serve',
      '--port',
      '0',
      '--shards=3',
      '--write-back',
    ]);
    expect(positional).toEqual(['serve']);
    const c = configFrom(flags, {});
    expect(c.port).toBe(0);
    expect(c.shards).toBe(3);
    expect(c.writeBack).toBe(true);
    expect(() => configFrom(parseFlags(['--shards', '0']).flags, {})).toThrow(RangeError);
    expect(() => configFrom(parseFlags(['--port', 'x']).flags, {})).toThrow(RangeError);
    expect(() => configFrom(parseFlags(['--peers', 'ftp://x']).flags, {})).toThrow(TypeError);
  });

  it('reads PERF_KV_* environment variables after flags', () => {
    expect(configFrom({}, { PERF_KV_SHARDS: '4' }).shards).toBe(4);
    expect(configFrom({ shards: '2' }, { PERF_KV_SHARDS: '4' }).shards).toBe(2);
  });
});

describe('report', () => {
  const report: LoadReport = {
    startedAt: '2026-01-01T00:00:00.000Z',
    durationSec: 10,
    node: 'v20',
    machine: 'test',
    config: {},
    routes: [
      {
        route: 'GET /kv/:key',
        bulk: false,
        phase: 'read',
        requests: 100,
        errors: 0,
        rps: 10,
        latencyMs: { p50: 1, p95: 2, p99: 3, p999: 600 },
        sla: slaOf({ p50: 1, p95: 2, p99: 3, p999: 600 }),
      },
    ],
    timeline: [
      { t: 1, rps: 10, p99Ms: 3 },
      { t: 2, rps: 12, p99Ms: 2 },
    ],
    cache: { hits: 90, misses: 10, hitRate: 0.9 },
    compression: { responses: 5, bytesIn: 5000, bytesOut: 1000, bytesSaved: 4000 },
    shards: { keys: [5, 5], requests: [50, 50], maxOverMean: 1 },
    gc: { count: 1, totalMs: 2, maxMs: 2 },
    slaPassed: false,
  };

  it('marks each quantile against the SLA targets', () => {
    expect(report.routes[0]!.sla).toEqual({ p50: true, p95: true, p99: true, p999: false });
    const text = renderText(report);
    expect(text).toContain('FAIL');
    expect(text).toContain('90.0% hits');
  });

  it('draws well-formed SVG and escapes text in HTML', () => {
    const svg = latencySvg({ ...report, routes: [{ ...report.routes[0]!, route: '<x>&' }] });
    expect(svg).toContain('&lt;x&gt;&amp;');
    expect(svg).not.toContain('NaN');
    expect(renderHtml(report)).toMatch(/^<!doctype html>/);
  });

  it('draws a progress bar and makes values of the asked size', () => {
    expect(progressBar(0.5, 'x', 10)).toBe('[#####.....]  50%  x');
    expect(valueFor(3, 256)).toHaveLength(256);
    expect(() => JSON.parse(valueFor(3, 256))).not.toThrow();
  });
});
