// Benchmark charts as plain SVG: a grouped bar chart (cases × peers, optional log scale,
// error bars from the confidence intervals, the baseline row marked) and a line chart (x = a
// size or a time, one series per case). No scripts, no external fonts, no dependencies, so a
// chart renders the same in a browser and in GitHub's README view. Every chart carries the
// machine record in its footer and the id of the run that produced it (a hash of that run's
// results file), so a test can tell a stale picture from a current one.

import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatMachine, type Machine } from './machine.js';
import { nsPerOp, opsOf } from './report.js';
import type { BenchReport } from './types.js';

/** One peer's values across the groups of a bar chart (`null` where it was not measured). */
export interface BarSeries {
  readonly name: string;
  readonly values: readonly (number | null)[];
  /** Lower and upper ends of each value's confidence interval (error bars). */
  readonly lower?: readonly (number | null)[];
  readonly upper?: readonly (number | null)[];
}

/** What a grouped bar chart shows. */
export interface BarChartData {
  readonly title: string;
  /** The y axis label, e.g. `'time per operation'`. */
  readonly yLabel: string;
  /** The y unit, e.g. `'ns'` or `'ops/s'`. */
  readonly unit: string;
  /** The x axis label, e.g. `'workload'`. @defaultValue 'case' */
  readonly xLabel?: string;
  /** Group (case) names along the x axis. */
  readonly groups: readonly string[];
  /** One series per peer, bars side by side within each group. */
  readonly series: readonly BarSeries[];
  /** The series every ratio is relative to; drawn hatched and marked in the legend. */
  readonly baseline?: string;
  /** Whether larger values are better (said in the axis label). @defaultValue false */
  readonly higherIsBetter?: boolean;
  /** Logarithmic y axis, for values spanning orders of magnitude. @defaultValue false */
  readonly log?: boolean;
  readonly machine?: Machine;
}

/** One line of a line chart: `[x, y]` points in increasing x. */
export interface LineSeries {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
}

/** What a line chart shows. */
export interface LineChartData {
  readonly title: string;
  readonly xLabel: string;
  readonly xUnit: string;
  readonly yLabel: string;
  readonly yUnit: string;
  readonly series: readonly LineSeries[];
  readonly logX?: boolean;
  readonly logY?: boolean;
  readonly higherIsBetter?: boolean;
  readonly machine?: Machine;
}

/** Options of the SVG renderers. */
export interface ChartOptions {
  /** The run id to embed (see {@link writeChart}). @defaultValue none */
  runId?: string;
  /** The results file the run id hashes, relative to the chart. @defaultValue none */
  results?: string;
  /** Width in px. @defaultValue 760 */
  width?: number;
}

// Okabe–Ito, distinguishable with the common colour-vision deficiencies.
const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#F0E442',
  '#000000',
];
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
const TOP = 56;
const LEFT = 78;
const RIGHT = 20;
const PLOT_HEIGHT = 300;
const LEGEND_ROW = 18;

function xml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A tick label; nanoseconds read as durations (`10 ns`, `1 µs`, `2.5 ms`). */
function tick(v: number, unit: string): string {
  if (unit !== 'ns' || v === 0) return fmt(v);
  const a = Math.abs(v);
  const [d, u] =
    a >= 1e9 ? [1e9, 's'] : a >= 1e6 ? [1e6, 'ms'] : a >= 1e3 ? [1e3, 'µs'] : [1, 'ns'];
  return `${+(v / d).toPrecision(3)} ${u}`;
}

const fmt = (v: number): string => {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e9) return `${+(v / 1e9).toPrecision(3)}G`;
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toPrecision(3)}k`;
  if (a >= 1) return `${+v.toPrecision(3)}`;
  return `${+v.toPrecision(2)}`;
};

/** Ticks for a linear [0, max] axis: 4–6 round steps. */
function linearTicks(max: number): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = 0; t <= max * 1.0001 + step; t += step) {
    out.push(Number(t.toPrecision(12)));
    if (t >= max) break;
  }
  return out;
}

/** Powers of ten covering [min, max]. */
function logTicks(min: number, max: number): number[] {
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const out: number[] = [];
  for (let e = lo; e <= Math.max(hi, lo + 1); e++) out.push(10 ** e);
  return out;
}

function header(
  width: number,
  height: number,
  title: string,
  desc: string,
  o: ChartOptions,
  subtitle = '',
): string {
  const run = o.runId ? ` data-run-id="${xml(o.runId)}"` : '';
  const res = o.results ? ` data-results="${xml(o.results)}"` : '';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="12" role="img" aria-labelledby="chart-title chart-desc"${run}${res}>`,
    `<title id="chart-title">${xml(title)}</title>`,
    `<desc id="chart-desc">${xml(desc)}</desc>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${xml(title)}</text>`,
    subtitle
      ? `<text x="${width / 2}" y="38" text-anchor="middle" font-size="11" fill="#444">${xml(subtitle)}</text>`
      : '',
  ].join('\n');
}

function footer(width: number, y: number, machine: Machine | undefined, o: ChartOptions): string {
  const parts = [
    machine ? formatMachine(machine) : undefined,
    o.runId ? `run ${o.runId}` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  return `<text class="footer" x="${width / 2}" y="${y}" text-anchor="middle" font-size="10" fill="#555">${xml(parts)}</text>`;
}

function legend(
  names: readonly string[],
  width: number,
  y: number,
  baseline: string | undefined,
  marker: 'rect' | 'line',
): { svg: string; height: number } {
  const parts = ['<g class="legend">'];
  let x = LEFT;
  let row = 0;
  names.forEach((name, i) => {
    const label = name === baseline ? `${name} (baseline)` : name;
    const w = 26 + label.length * 6.6;
    if (x + w > width - RIGHT && x > LEFT) {
      x = LEFT;
      row++;
    }
    const cy = y + row * LEGEND_ROW;
    const color = PALETTE[i % PALETTE.length]!;
    parts.push(
      marker === 'rect'
        ? `<rect x="${x}" y="${cy - 9}" width="12" height="12" fill="${name === baseline ? 'url(#hatch)' : color}" stroke="${color}"/>`
        : `<path d="M${x} ${cy - 3}h14" stroke="${color}" stroke-width="2.5"/><circle cx="${x + 7}" cy="${cy - 3}" r="3" fill="${color}"/>`,
      `<text x="${x + 18}" y="${cy + 1}">${xml(label)}</text>`,
    );
    x += w;
  });
  parts.push('</g>');
  return { svg: parts.join('\n'), height: (row + 1) * LEGEND_ROW };
}

/** Whether the bar of `s` in group `gi` is drawn with an error bar (both ends finite, > 0 on a log axis). */
function hasErrorBar(s: BarSeries, gi: number, log: boolean | undefined): boolean {
  const v = s.values[gi];
  const l = s.lower?.[gi];
  const u = s.upper?.[gi];
  return (
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (!log || v > 0) &&
    typeof l === 'number' &&
    Number.isFinite(l) &&
    typeof u === 'number' &&
    Number.isFinite(u) &&
    (!log || l > 0)
  );
}

/** A grouped bar chart (groups along x, one bar per series in each group) as an SVG document. */
export function barChartSvg(data: BarChartData, options: ChartOptions = {}): string {
  const width = options.width ?? 760;
  const plotW = width - LEFT - RIGHT;
  const values = data.series
    .flatMap((s) => [...s.values, ...(s.upper ?? [])])
    .filter(
      (v): v is number => typeof v === 'number' && Number.isFinite(v) && (!data.log || v > 0),
    );
  const maxV = Math.max(...values, data.log ? 1 : 0);
  const minV = Math.min(...values.filter((v) => v > 0), maxV);
  const ticks = data.log ? logTicks(minV, maxV) : linearTicks(maxV);
  const lo = ticks[0]!;
  const hi = ticks.at(-1)!;
  const y = (v: number) =>
    data.log
      ? TOP +
        PLOT_HEIGHT -
        ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * PLOT_HEIGHT
      : TOP + PLOT_HEIGHT - (v / hi) * PLOT_HEIGHT;
  const groupW = plotW / Math.max(1, data.groups.length);
  const barW = Math.min(36, (groupW * 0.8) / Math.max(1, data.series.length));
  const better = data.higherIsBetter ? 'higher is better' : 'lower is better';
  // Nanosecond ticks carry their own units (10 ns … 1 ms); other units go in the label.
  const units = [data.unit === 'ns' ? '' : data.unit, data.log ? 'log scale' : ''].filter(Boolean);
  const yTitle = units.length ? `${data.yLabel} (${units.join(', ')})` : data.yLabel;
  const xTitle = data.xLabel ?? 'case';
  const legendY = TOP + PLOT_HEIGHT + 62;
  const leg = legend(
    data.series.map((s) => s.name),
    width,
    legendY,
    data.baseline,
    'rect',
  );
  const height = legendY + leg.height + 22;
  // Said in the subtitle and the description only when at least one error bar is drawn.
  const errorBars = data.series.some((s) =>
    data.groups.some((_, gi) => hasErrorBar(s, gi, data.log)),
  );
  const desc = `Grouped bar chart: ${data.yLabel} in ${data.unit} (${better}) for ${data.groups.join(', ')}; one bar per ${data.series.map((s) => s.name).join(', ')}${data.baseline ? `; baseline ${data.baseline}` : ''}${errorBars ? '; error bars are confidence intervals' : ''}.`;
  const subtitle = errorBars ? `${better}; error bars: confidence intervals` : better;
  const out = [
    header(width, height, data.title, desc, options, subtitle),
    '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><path d="M0 0V6" stroke="#444" stroke-width="3"/></pattern></defs>',
    '<g class="axis y-axis">',
  ];
  for (const t of ticks) {
    out.push(
      `<path d="M${LEFT} ${y(t).toFixed(1)}H${width - RIGHT}" stroke="#e3e3e3"/>`,
      `<text x="${LEFT - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" fill="#333">${xml(tick(t, data.unit))}</text>`,
    );
  }
  out.push(
    `<text class="axis-label" transform="translate(16 ${TOP + PLOT_HEIGHT / 2}) rotate(-90)" text-anchor="middle">${xml(yTitle)}</text>`,
    `<path d="M${LEFT} ${TOP}V${TOP + PLOT_HEIGHT}H${width - RIGHT}" stroke="#333" fill="none"/>`,
    '</g>',
    '<g class="bars">',
  );
  data.groups.forEach((g, gi) => {
    const gx = LEFT + gi * groupW + (groupW - barW * data.series.length) / 2;
    data.series.forEach((s, si) => {
      const v = s.values[gi];
      if (typeof v !== 'number' || !Number.isFinite(v) || (data.log && v <= 0)) return;
      const color = PALETTE[si % PALETTE.length]!;
      const x = gx + si * barW;
      const top = y(v);
      const base = y(lo);
      out.push(
        `<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${Math.max(0, base - top).toFixed(1)}" fill="${s.name === data.baseline ? 'url(#hatch)' : color}" stroke="${color}"><title>${xml(`${s.name}, ${g}: ${fmt(v)} ${data.unit}`)}</title></rect>`,
      );
      const l = s.lower?.[gi];
      const u = s.upper?.[gi];
      if (typeof l === 'number' && typeof u === 'number' && hasErrorBar(s, gi, data.log)) {
        const cx = x + (barW - 2) / 2;
        out.push(
          `<path class="error-bar" d="M${cx.toFixed(1)} ${y(l).toFixed(1)}V${y(u).toFixed(1)}M${(cx - 3).toFixed(1)} ${y(l).toFixed(1)}h6M${(cx - 3).toFixed(1)} ${y(u).toFixed(1)}h6" stroke="#222" stroke-width="1.2" fill="none"/>`,
        );
      }
    });
    const fit = Math.max(6, Math.floor(groupW / 6.6));
    const label = g.length > fit ? `${g.slice(0, fit - 1)}…` : g;
    out.push(
      `<text x="${(LEFT + gi * groupW + groupW / 2).toFixed(1)}" y="${TOP + PLOT_HEIGHT + 18}" text-anchor="middle">${xml(label)}</text>`,
    );
  });
  out.push(
    '</g>',
    `<text class="axis-label" x="${LEFT + plotW / 2}" y="${TOP + PLOT_HEIGHT + 40}" text-anchor="middle">${xml(xTitle)}</text>`,
    leg.svg,
    footer(width, height - 8, data.machine, options),
    '</svg>',
  );
  return `${out.join('\n')}\n`;
}

/** A line chart (x = a size or a time, one line per series) as an SVG document. */
export function lineChartSvg(data: LineChartData, options: ChartOptions = {}): string {
  const width = options.width ?? 760;
  const plotW = width - LEFT - RIGHT;
  const pts = data.series.flatMap((s) => s.points);
  const xs = pts.map((p) => p[0]).filter((v) => Number.isFinite(v) && (!data.logX || v > 0));
  const ys = pts.map((p) => p[1]).filter((v) => Number.isFinite(v) && (!data.logY || v > 0));
  const xTicks = data.logX
    ? logTicks(Math.min(...xs), Math.max(...xs))
    : linearTicks(Math.max(...xs, 0));
  const yTicks = data.logY
    ? logTicks(Math.min(...ys), Math.max(...ys))
    : linearTicks(Math.max(...ys, 0));
  const scale = (v: number, ticks: number[], log: boolean | undefined, span: number) => {
    const lo = ticks[0]!;
    const hi = ticks.at(-1)!;
    return log
      ? ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * span
      : ((v - lo) / (hi - lo)) * span;
  };
  const X = (v: number) => LEFT + scale(v, xTicks, data.logX, plotW);
  const Y = (v: number) => TOP + PLOT_HEIGHT - scale(v, yTicks, data.logY, PLOT_HEIGHT);
  const better = data.higherIsBetter ? 'higher is better' : 'lower is better';
  const legendY = TOP + PLOT_HEIGHT + 62;
  const leg = legend(
    data.series.map((s) => s.name),
    width,
    legendY,
    undefined,
    'line',
  );
  const height = legendY + leg.height + 22;
  const desc = `Line chart: ${data.yLabel} in ${data.yUnit} (${better}) against ${data.xLabel} in ${data.xUnit}; one line per ${data.series.map((s) => s.name).join(', ')}.`;
  const out = [header(width, height, data.title, desc, options, better), '<g class="axis">'];
  for (const t of yTicks) {
    out.push(
      `<path d="M${LEFT} ${Y(t).toFixed(1)}H${width - RIGHT}" stroke="#e3e3e3"/>`,
      `<text x="${LEFT - 6}" y="${(Y(t) + 4).toFixed(1)}" text-anchor="end" fill="#333">${xml(tick(t, data.yUnit))}</text>`,
    );
  }
  for (const t of xTicks) {
    out.push(
      `<text x="${X(t).toFixed(1)}" y="${TOP + PLOT_HEIGHT + 18}" text-anchor="middle" fill="#333">${xml(tick(t, data.xUnit))}</text>`,
    );
  }
  out.push(
    `<text class="axis-label" transform="translate(16 ${TOP + PLOT_HEIGHT / 2}) rotate(-90)" text-anchor="middle">${xml(`${data.yLabel} (${data.yUnit}${data.logY ? ', log scale' : ''})`)}</text>`,
    `<text class="axis-label" x="${LEFT + plotW / 2}" y="${TOP + PLOT_HEIGHT + 40}" text-anchor="middle">${xml(`${data.xLabel} (${data.xUnit}${data.logX ? ', log scale' : ''})`)}</text>`,
    `<path d="M${LEFT} ${TOP}V${TOP + PLOT_HEIGHT}H${width - RIGHT}" stroke="#333" fill="none"/>`,
    '</g>',
    '<g class="lines">',
  );
  data.series.forEach((s, si) => {
    const color = PALETTE[si % PALETTE.length]!;
    const ok = s.points.filter(
      ([x, yv]) =>
        Number.isFinite(x) &&
        Number.isFinite(yv) &&
        (!data.logX || x > 0) &&
        (!data.logY || yv > 0),
    );
    if (ok.length === 0) return;
    out.push(
      `<path d="${ok.map(([x, yv], i) => `${i ? 'L' : 'M'}${X(x).toFixed(1)} ${Y(yv).toFixed(1)}`).join('')}" stroke="${color}" stroke-width="2" fill="none"/>`,
      ...ok.map(
        ([x, yv]) =>
          `<circle cx="${X(x).toFixed(1)}" cy="${Y(yv).toFixed(1)}" r="3" fill="${color}"><title>${xml(`${s.name}: ${fmt(yv)} ${data.yUnit} at ${fmt(x)} ${data.xUnit}`)}</title></circle>`,
      ),
    );
  });
  out.push('</g>', leg.svg, footer(width, height - 8, data.machine, options), '</svg>');
  return `${out.join('\n')}\n`;
}

/** Options of {@link barChartFromReports}. */
export interface ReportChartOptions {
  readonly title: string;
  /** Which peer a case is (the series it joins); return `undefined` to leave a case out. @defaultValue its name */
  readonly peerOf?: (caseName: string, report: BenchReport) => string | undefined;
  /** What the bars show. @defaultValue 'nsPerOp' */
  readonly metric?: 'nsPerOp' | 'opsPerSecond';
  /** The baseline peer (marked). @defaultValue the peer of each report's first case */
  readonly baseline?: string;
  readonly log?: boolean;
  readonly xLabel?: string;
}

/**
 * Bar chart data from benchmark reports: one group per report (a workload), one series per
 * peer, the median per operation with its CI as error bars, and the first report's machine
 * record.
 */
export function barChartFromReports(
  reports: readonly BenchReport[],
  options: ReportChartOptions,
): BarChartData {
  const metric = options.metric ?? 'nsPerOp';
  const peerOf = options.peerOf ?? ((n: string) => n);
  const peers: string[] = [];
  const cell = new Map<string, { v: number; l: number; u: number }>();
  reports.forEach((r, gi) => {
    for (const c of r.cases) {
      const peer = peerOf(c.name, r);
      if (peer === undefined) continue;
      if (!peers.includes(peer)) peers.push(peer);
      const n = opsOf(c);
      const v = metric === 'nsPerOp' ? nsPerOp(c) : c.opsPerSecond;
      // A time's upper bound is the slower end; as ops/s it is the lower.
      const l = metric === 'nsPerOp' ? c.median.lower / n : (1e9 * n) / c.median.upper;
      const u = metric === 'nsPerOp' ? c.median.upper / n : (1e9 * n) / c.median.lower;
      cell.set(`${gi}\u0000${peer}`, { v, l, u });
    }
  });
  const first = reports[0]?.cases[0];
  const baseline =
    options.baseline ?? (first && reports[0] ? peerOf(first.name, reports[0]) : undefined);
  const pick = (k: 'v' | 'l' | 'u', peer: string) =>
    reports.map((_, gi) => cell.get(`${gi}\u0000${peer}`)?.[k] ?? null);
  return {
    title: options.title,
    yLabel: metric === 'nsPerOp' ? 'median time per operation' : 'operations per second',
    unit: metric === 'nsPerOp' ? 'ns' : 'ops/s',
    higherIsBetter: metric === 'opsPerSecond',
    groups: reports.map((r) => r.name),
    series: peers.map((name) => ({
      name,
      values: pick('v', name),
      lower: pick('l', name),
      upper: pick('u', name),
    })),
    ...(baseline === undefined ? {} : { baseline }),
    ...(options.log === undefined ? {} : { log: options.log }),
    ...(options.xLabel === undefined ? {} : { xLabel: options.xLabel }),
    ...(reports[0] ? { machine: reports[0].environment } : {}),
  };
}

/** The id of a run: the first 16 hex digits of the SHA-256 of its results file's bytes. */
export function runId(resultsText: string): string {
  return createHash('sha256').update(resultsText).digest('hex').slice(0, 16);
}

/** What {@link writeChart} renders. */
export type ChartSpec =
  | { readonly name: string; readonly bar: BarChartData }
  | { readonly name: string; readonly line: LineChartData };

/**
 * Writes a run's results to `<dir>/<resultsName>.json` and each chart to `<dir>/<name>.svg`,
 * every chart embedding the run id (the hash of that results file) and the file's name, so a
 * test can prove a committed chart and the committed results come from the same run. `dir`
 * is usually `packages/<name>/docs`. Returns the run id.
 */
export async function writeChart(
  dir: string,
  resultsName: string,
  results: unknown,
  charts: readonly ChartSpec[],
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const text = `${JSON.stringify(results, null, 1)}\n`;
  const id = runId(text);
  const file = `${resultsName}.json`;
  await atomicWrite(join(dir, file), text);
  for (const c of charts) {
    const o = { runId: id, results: file };
    const svg = 'bar' in c ? barChartSvg(c.bar, o) : lineChartSvg(c.line, o);
    await atomicWrite(join(dir, `${c.name}.svg`), svg);
  }
  return id;
}

async function atomicWrite(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}
