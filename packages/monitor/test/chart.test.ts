import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkXml } from '@perf/internal/testing/xml';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type BenchReport,
  barChartFromReports,
  barChartSvg,
  lineChartSvg,
  runId,
  writeChart,
} from '../src/bench-api.js';

const dir = mkdtempSync(join(tmpdir(), 'perf-chart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = {
  node: 'v20.20.2',
  platform: 'linux-x64',
  cpus: 2,
  cpuModel: 'Test CPU <x&y>',
  loadavg: [1.5, 1.25, 1],
  date: '2026-12-04T00:00:00.000Z',
};
const kase = (name: string, ns: number, ops = 1) => ({
  name,
  samples: [ns],
  iterationsPerSample: 1,
  ...(ops === 1 ? {} : { opsPerIteration: ops }),
  median: { point: ns, lower: ns * 0.9, upper: ns * 1.1 },
  mean: { point: ns, lower: ns, upper: ns },
  stddev: 0,
  opsPerSecond: (1e9 * ops) / ns,
  outliers: { lowSevere: 0, lowMild: 0, highMild: 0, highSevere: 0 },
});
const reports: BenchReport[] = [
  {
    name: 'record',
    environment: env,
    cases: [kase('_vanilla', 1000, 1000), kase('ours', 8000, 1000), kase('peer "A"', 30000, 1000)],
  },
  {
    name: 'percentiles',
    environment: env,
    cases: [kase('ours', 35_000), kase('peer "A"', 1_200_000)],
  },
];

const texts = (svg: string) => checkXml(svg).elements.map((e) => e.text);

describe('charts', () => {
  it('a grouped bar chart: well-formed, title/desc, axis labels with units, legend, error bars, baseline, footer', () => {
    const data = barChartFromReports(reports, {
      title: 'Histogram cost',
      peerOf: (n) => (n === '_vanilla' ? undefined : n),
      baseline: 'peer "A"',
      log: true,
    });
    const svg = barChartSvg(data, { runId: 'abc', results: 'r.json' });
    const { problems, elements } = checkXml(svg);
    expect(problems).toEqual([]);
    expect(elements[0]!.name).toBe('svg');
    expect(elements[0]!.attributes['data-run-id']).toBe('abc');
    expect(elements.some((e) => e.name === 'title' && e.text === 'Histogram cost')).toBe(true);
    expect(elements.some((e) => e.name === 'desc' && e.text.includes('Grouped bar chart'))).toBe(
      true,
    );
    expect(elements.some((e) => e.name === 'script')).toBe(false);
    expect(svg).not.toMatch(/@import|url\(http|<link|href="http/);
    const t = texts(svg);
    expect(t).toContain('median time per operation (log scale)');
    expect(t).toContain('10 µs');
    expect(t).toContain('lower is better; error bars: confidence intervals');
    expect(t).toContain('case');
    expect(t).toContain('peer "A" (baseline)');
    expect(
      t.some((x) => x.includes('Node v20.20.2 · Test CPU <x&y> · 2 cores · load 1.50 1.25 1.00')),
    ).toBe(true);
    // Two groups × two peers = 4 bars, each with an error bar; the baseline is hatched.
    expect(
      elements.filter(
        (e) => e.name === 'rect' && e.attributes.stroke && e.attributes.height !== '12',
      ),
    ).toHaveLength(4);
    expect(elements.filter((e) => e.attributes.class === 'error-bar')).toHaveLength(4);
    expect(
      elements.filter((e) => e.attributes.fill === 'url(#hatch)').length,
    ).toBeGreaterThanOrEqual(3);
    // Per operation: 8000 ns per batch of 1000 is 8 ns.
    expect(data.series[0]!.values[0]).toBe(8);
  });

  it('mentions confidence intervals only when it draws error bars', () => {
    const plain = {
      title: 'Tail latency',
      yLabel: 'p99',
      unit: 'ms',
      groups: ['steady', 'slow backend'],
      series: [
        { name: 'p2c', values: [1, 2] },
        { name: 'round robin', values: [1.5, 9] },
      ],
    };
    const without = barChartSvg(plain);
    expect(checkXml(without).problems).toEqual([]);
    expect(without).not.toContain('confidence');
    expect(without).not.toContain('error-bar');
    expect(texts(without)).toContain('lower is better');
    // Bounds that cannot be drawn (missing, or <= 0 on a log axis) do not count either.
    const unusable = barChartSvg({
      ...plain,
      log: true,
      series: [{ name: 'p2c', values: [1, 2], lower: [0, null], upper: [2, 3] }],
    });
    expect(unusable).not.toContain('confidence');
    expect(unusable).not.toContain('error-bar');
    // One drawn error bar is enough.
    const one = barChartSvg({
      ...plain,
      series: [{ name: 'p2c', values: [1, 2], lower: [null, 1.5], upper: [null, 2.5] }],
    });
    expect(texts(one)).toContain('lower is better; error bars: confidence intervals');
    expect(one.match(/class="error-bar"/g)).toHaveLength(1);
    expect(checkXml(one).elements.find((e) => e.name === 'desc')!.text).toContain(
      'error bars are confidence intervals',
    );
  });

  it('a line chart: one line per series, axis labels with units, legend', () => {
    const svg = lineChartSvg({
      title: 'Speed-up by size',
      xLabel: 'elements',
      xUnit: 'count',
      yLabel: 'speed-up',
      yUnit: '×',
      logX: true,
      higherIsBetter: true,
      series: [
        {
          name: 'parSort',
          points: [
            [1e5, 1.1],
            [1e6, 1.5],
            [1e7, 1.8],
          ],
        },
        {
          name: 'parMap',
          points: [
            [1e5, 1.2],
            [1e6, 1.6],
          ],
        },
      ],
      machine: env,
    });
    const { problems, elements } = checkXml(svg);
    expect(problems).toEqual([]);
    expect(
      elements.filter((e) => e.name === 'path' && e.attributes['stroke-width'] === '2'),
    ).toHaveLength(2);
    const t = texts(svg);
    expect(t).toContain('elements (count, log scale)');
    expect(t).toContain('speed-up (×)');
    expect(t).toContain('higher is better');
    expect(t).toContain('parSort');
  });

  it('writeChart embeds the hash of the results file it writes', async () => {
    const id = await writeChart(join(dir, 'docs'), 'bench-results', { reports }, [
      { name: 'cost', bar: barChartFromReports(reports, { title: 'Cost' }) },
    ]);
    const results = readFileSync(join(dir, 'docs', 'bench-results.json'), 'utf8');
    expect(id).toBe(runId(results));
    const svg = readFileSync(join(dir, 'docs', 'cost.svg'), 'utf8');
    const root = checkXml(svg).elements[0]!;
    expect(root.attributes['data-run-id']).toBe(id);
    expect(root.attributes['data-results']).toBe('bench-results.json');
  });

  it('the checker catches malformed XML', () => {
    expect(checkXml('<svg><g></svg>').problems.length).toBeGreaterThan(0);
    expect(checkXml('<svg a="1" a="2"/>').problems.length).toBeGreaterThan(0);
    expect(checkXml('<svg>&nbsp;</svg>').problems.length).toBeGreaterThan(0);
    expect(checkXml('<svg/><svg/>').problems.length).toBeGreaterThan(0);
  });
});
