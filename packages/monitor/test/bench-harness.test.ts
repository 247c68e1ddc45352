import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Bench,
  BenchCaseError,
  type BenchReport,
  compareReports,
  loadBaseline,
  saveBaseline,
  toMarkdown,
  toSvg,
} from '../src/index.js';
import { rng, SHARED_MACHINE, syntheticBench } from './helpers/synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'perf-monitor-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A bench on a virtual clock where case `name` costs `ns[name]` per iteration, exactly. */
function exactBench(costs: Record<string, number>, options = {}): Bench {
  let t = 0;
  const bench = new Bench('exact', {
    now: () => t / 1e6,
    time: 1,
    warmup: 0.1,
    samples: 10,
    resamples: 200,
    calibration: () => void (t += 1000),
    ...options,
  });
  for (const [name, ns] of Object.entries(costs)) bench.add(name, () => void (t += ns));
  return bench;
}

describe('Bench', () => {
  it('measures cases of known cost exactly on a virtual clock', async () => {
    const report = await exactBench({ fast: 100, slow: 1000 }).run();
    expect(report.cases.map((c) => c.name)).toEqual(['fast', 'slow']);
    const [fast, slow] = report.cases;
    expect(fast!.median.point).toBeCloseTo(100, 6);
    expect(slow!.median.point).toBeCloseTo(1000, 6);
    expect(slow!.opsPerSecond).toBeCloseTo(1e6, 0);
    expect(fast!.samples).toHaveLength(10);
    // Each sample is sized to time / samples = 0.1 ms.
    expect(fast!.iterationsPerSample).toBe(1000);
    expect(slow!.iterationsPerSample).toBe(100);
    expect(fast!.outliers).toEqual({ lowSevere: 0, lowMild: 0, highMild: 0, highSevere: 0 });
    expect(report.environment.node).toBe(process.version);
  });

  it('throughput mode: a batch of `ops` operations per call, reported per operation', async () => {
    let t = 0;
    const bench = new Bench('batches', {
      now: () => t / 1e6,
      time: 1,
      warmup: 0.1,
      samples: 10,
      resamples: 200,
      calibration: false,
    });
    // Baseline: 1,000 ops of 50 ns per call; peer: 100 ops of 25 ns per call.
    bench.add('baseline ×1000', () => void (t += 50_000), { ops: 1000 });
    bench.add('peer ×100', () => void (t += 2_500), { ops: 100 });
    const report = await bench.run();
    const [base, peer] = report.cases;
    expect(base!.opsPerIteration).toBe(1000);
    expect(base!.median.point).toBeCloseTo(50_000, 3);
    expect(base!.opsPerSecond).toBeCloseTo(2e7, -2);
    expect(peer!.opsPerSecond).toBeCloseTo(4e7, -2);
    const md = toMarkdown(report);
    expect(md).toMatch(/\| baseline ×1000 \| 50\.0 ns \|/);
    expect(md).toContain('| 2.00× |'); // per operation, the peer is twice as fast
    expect(() => new Bench().add('x', () => 0, { ops: 0 })).toThrow(RangeError);
  });

  it('records the machine: Node, CPU model, cores, load average, ISO date', async () => {
    const report = await exactBench({ a: 100 }).run();
    const env = report.environment;
    expect(env.cpus).toBeGreaterThan(0);
    expect(typeof env.cpuModel).toBe('string');
    expect(env.loadavg).toHaveLength(3);
    expect(new Date(env.date).toISOString()).toBe(env.date);
    expect(toMarkdown(report)).toContain(`Node ${process.version} · ${env.cpuModel}`);
  });

  it('awaits async cases every iteration', async () => {
    let t = 0;
    let inflight = 0;
    let maxInflight = 0;
    const bench = new Bench('async', {
      now: () => t,
      time: 5,
      warmup: 1,
      samples: 5,
      resamples: 100,
    });
    bench.add('io', async () => {
      inflight++;
      maxInflight = Math.max(maxInflight, inflight);
      await Promise.resolve();
      t += 0.01;
      inflight--;
    });
    const [c] = (await bench.run()).cases;
    expect(maxInflight).toBe(1);
    expect(c!.median.point).toBeCloseTo(10_000, 3);
  });

  it('classifies injected outliers with Tukey fences', async () => {
    let t = 0;
    let sample = 0;
    const bench = new Bench('o', {
      now: () => t,
      time: 10,
      warmup: 0,
      samples: 20,
      resamples: 100,
    });
    // Call 1 is the warm-up, which sizes samples to one iteration; calls 2–21 are samples
    // of 0.50–0.54 ms (IQR 0.02 ms: mild fence 0.56, severe 0.59), one mild, one severe.
    bench.add('c', () => {
      sample++;
      t += sample === 9 ? 10 : sample === 15 ? 0.575 : 0.5 + 0.01 * (sample % 5);
    });
    const [c] = (await bench.run()).cases;
    expect(c!.iterationsPerSample).toBe(1);
    expect(c!.outliers).toEqual({ lowSevere: 0, lowMild: 0, highMild: 1, highSevere: 1 });
    expect(c!.median.point).toBeCloseTo(520_000, -3);
  });

  it('runs setup before and teardown after, and reports a throwing case with its cause', async () => {
    const log: string[] = [];
    const boom = new Error('boom');
    let calls = 0;
    const bench = new Bench('b', { time: 1, warmup: 0, samples: 5, calibration: false });
    bench.add(
      'bad',
      () => {
        if (++calls > 3) throw boom;
      },
      { setup: () => log.push('setup'), teardown: () => log.push('teardown') },
    );
    const err = await bench.run().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BenchCaseError);
    expect((err as BenchCaseError).code).toBe('PERF_MONITOR_BENCH_CASE_FAILED');
    expect((err as BenchCaseError).caseName).toBe('bad');
    expect((err as BenchCaseError).cause).toBe(boom);
    expect(log).toEqual(['setup', 'teardown']);
  });

  it('rejects bad options and cases', () => {
    expect(() => new Bench('x', { samples: 2 })).toThrow(RangeError);
    expect(() => new Bench('x', { time: 0 })).toThrow(RangeError);
    expect(() => new Bench('x', { confidence: 1 })).toThrow(RangeError);
    expect(() => new Bench('x', { now: 1 as never })).toThrow(TypeError);
    expect(() => new Bench(5 as never)).toThrow(TypeError);
    const b = new Bench();
    expect(() => b.add('', () => 1)).toThrow(TypeError);
    expect(() => b.add('a', 1 as never)).toThrow(TypeError);
    b.add('a', () => 1);
    expect(() => b.add('a', () => 1)).toThrow(TypeError);
    expect(() => b.add('b', () => 1, { setup: 3 as never })).toThrow(TypeError);
  });
});

describe('baselines and comparison', () => {
  it('saves and loads a baseline unchanged', async () => {
    const report = await exactBench({ a: 100 }).run();
    const path = join(dir, 'nested', 'base.json');
    await saveBaseline(path, report);
    expect(await loadBaseline(path)).toEqual(report);
  });

  it('a missing or foreign file is a BaselineError with its code', async () => {
    await expect(loadBaseline(join(dir, 'nope.json'))).rejects.toMatchObject({
      code: 'PERF_MONITOR_BASELINE_NOT_FOUND',
      name: 'BaselineError',
    });
    for (const [file, text] of [
      ['not-json.json', '{'],
      ['foreign.json', '{"format":"other","version":1}'],
      [
        'bad-samples.json',
        '{"format":"@perf/monitor/baseline","version":1,"report":{"name":"x","cases":[{"name":"a","samples":[-1],"median":{"point":1}}]}}',
      ],
    ] as const) {
      writeFileSync(join(dir, file), text);
      await expect(loadBaseline(join(dir, file))).rejects.toMatchObject({
        code: 'PERF_MONITOR_BASELINE_INVALID',
      });
    }
  });

  it('reports regressed, improved, unchanged, new and missing cases', async () => {
    const before = await exactBench({ same: 1000, slower: 1000, faster: 1000, gone: 10 }).run();
    const after = await exactBench({ same: 1000, slower: 1300, faster: 700, added: 10 }).run();
    const byName = Object.fromEntries(compareReports(before, after).map((c) => [c.name, c]));
    expect(byName.same!.status).toBe('unchanged');
    expect(byName.slower!.status).toBe('regressed');
    expect(byName.slower!.change.point).toBeCloseTo(0.3, 6);
    expect(byName.faster!.status).toBe('improved');
    expect(byName.added!.status).toBe('new');
    expect(byName.gone!.status).toBe('missing');
  });

  it('a change inside the noise threshold is not a regression', async () => {
    const before = await exactBench({ a: 1000 }).run();
    const after = await exactBench({ a: 1030 }).run();
    expect(compareReports(before, after, { threshold: 0.05 })[0]!.status).toBe('unchanged');
    expect(compareReports(before, after, { threshold: 0.01 })[0]!.status).toBe('regressed');
  });

  /** Fraction of trials flagged `regressed` for unchanged code and for a 10 % slowdown. */
  async function quality(trials: number, calibrate: boolean) {
    const random = rng(20261128); // seeded: the verdicts are deterministic
    let falseAlarms = 0;
    let caught = 0;
    for (let t = 0; t < trials; t++) {
      const base = await syntheticBench(1000, SHARED_MACHINE, random, calibrate).run();
      const same = await syntheticBench(1000, SHARED_MACHINE, random, calibrate).run();
      const slow = await syntheticBench(1100, SHARED_MACHINE, random, calibrate).run();
      if (compareReports(base, same, { resamples: 300, seed: t })[0]!.status === 'regressed')
        falseAlarms++;
      if (compareReports(base, slow, { resamples: 300, seed: t })[0]!.status === 'regressed')
        caught++;
    }
    return { falseAlarms: falseAlarms / trials, caught: caught / trials };
  }

  it('harness quality: unchanged code is flagged in ≤ 5 % of trials, a 10 % slowdown in ≥ 95 %', async () => {
    // Shared-machine noise (helpers/synthetic.ts), including ±12 % drift between runs.
    const q = await quality(40, true);
    expect(q.falseAlarms).toBeLessThanOrEqual(0.05);
    expect(q.caught).toBeGreaterThanOrEqual(0.95);
  });

  it('without calibration the same drift defeats the comparison (why calibration is on)', async () => {
    const q = await quality(20, false);
    expect(q.falseAlarms > 0.05 || q.caught < 0.95).toBe(true);
  });
});

describe('reports', () => {
  const report: BenchReport = {
    name: 'r <&>',
    environment: { node: 'v20', platform: 'linux-x64', cpus: 2, date: '2026-11-28T00:00:00.000Z' },
    cases: [
      {
        name: 'base|line',
        samples: [100],
        iterationsPerSample: 1,
        median: { point: 100, lower: 90, upper: 110 },
        mean: { point: 100, lower: 90, upper: 110 },
        stddev: 1,
        opsPerSecond: 1e7,
        outliers: { lowSevere: 0, lowMild: 0, highMild: 1, highSevere: 0 },
      },
      {
        name: 'two',
        samples: [2500],
        iterationsPerSample: 1,
        median: { point: 2500, lower: 2400, upper: 2600 },
        mean: { point: 2500, lower: 2400, upper: 2600 },
        stddev: 1,
        opsPerSecond: 4e5,
        outliers: { lowSevere: 0, lowMild: 0, highMild: 0, highSevere: 0 },
      },
    ],
  };

  it('renders a Markdown table with ratios and changes', () => {
    const md = toMarkdown(report, {
      comparisons: [
        {
          name: 'two',
          status: 'regressed',
          change: { point: 0.1, lower: 0.05, upper: 0.15 },
          baselineMedian: 2270,
          currentMedian: 2500,
          normalized: false,
        },
      ],
    });
    const lines = md.split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toContain('× faster than base|line'.replace('|', '\\|'));
    expect(lines[2]).toMatch(/^\| base\\\|line \| 100 ns \| 90\.0 ns … 110 ns \|/);
    expect(lines[2]).toContain('| 1.00× (baseline) |');
    // 25× the baseline's time is 0.040× as fast: one convention, "× faster than the baseline row".
    expect(lines[3]).toContain('| 0.040× |');
    expect(lines[5]).toBe('Node v20 · 2 cores · 2026-11-28T00:00:00.000Z');
    expect(toMarkdown(report, { machine: false }).split('\n')).toHaveLength(4);
    expect(toMarkdown(report, { baseline: 'two' })).toContain('| 25.0× |');
    expect(lines[3]).toContain('regressed +10.0 % (+5.0 % … +15.0 %)');
    expect(() => toMarkdown(report, { baseline: 'nope' })).toThrow(TypeError);
  });

  it('renders a well-formed SVG with one bar and one error bar per case', () => {
    const svg = toSvg(report);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<rect /g)).toHaveLength(2);
    expect(svg).toContain('r &#60;&#38;&#62;');
    expect(svg).not.toMatch(/NaN|undefined/);
    // Every opened element is closed.
    const open = (svg.match(/<(svg|text|title)\b/g) ?? []).length;
    const closed = (svg.match(/<\/(svg|text|title)>/g) ?? []).length;
    expect(open).toBe(closed);
  });
});

describe('clocks', () => {
  it("clock: 'cpu' measures process CPU time and keeps calibration", async () => {
    const report = await new Bench('cpu', {
      clock: 'cpu',
      time: 40,
      warmup: 10,
      samples: 5,
      resamples: 100,
    })
      .add('spin', () => {
        let x = 0;
        for (let i = 0; i < 20_000; i++) x = (x + Math.imul(i, 7)) | 0;
        return x;
      })
      .run();
    expect(report.cases[0]!.median.point).toBeGreaterThan(0);
    expect(report.calibration?.samples).toHaveLength(5);
    expect(report.environment.clock).toBe('cpu');
    expect(() => new Bench('x', { clock: 'gpu' as never })).toThrow(TypeError);
  });
});

describe('automatic clock', () => {
  it('uses CPU time for sync suites and wall time once a case is async', async () => {
    const opts = { time: 20, warmup: 5, samples: 5, resamples: 100 } as const;
    const sync = await new Bench('s', opts).add('a', () => 1).run();
    expect(sync.environment.clock).toBe('cpu');
    const mixed = await new Bench('m', opts)
      .add('a', () => 1)
      .add('b', async () => {
        await new Promise((r) => setTimeout(r, 1));
      })
      .run();
    expect(mixed.environment.clock).toBe('wall');
    // A 1 ms timer measured in wall time is at least ~1 ms, not the few µs of CPU it uses.
    expect(mixed.cases[1]!.median.point).toBeGreaterThan(500_000);
    let t = 0;
    const custom = await new Bench('c', { ...opts, now: () => (t += 1) }).add('a', () => 1).run();
    expect(custom.environment.clock).toBe('custom');
  });
});
