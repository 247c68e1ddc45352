// Reports of a benchmark run: a Markdown table and an SVG bar chart with error bars.

import { checkOptions, describe } from './internal/validate.js';
import { formatMachine } from './machine.js';
import type { BenchCaseResult, BenchReport, CaseComparison, ReportOptions } from './types.js';

/** Formats nanoseconds with a unit that keeps 3–4 significant digits: `812 ns`, `1.24 µs`. */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) return String(ns);
  const abs = Math.abs(ns);
  if (abs < 1e3) return `${ns.toPrecision(3)} ns`;
  if (abs < 1e6) return `${(ns / 1e3).toPrecision(3)} µs`;
  if (abs < 1e9) return `${(ns / 1e6).toPrecision(3)} ms`;
  return `${(ns / 1e9).toPrecision(3)} s`;
}

function baselineCase(report: BenchReport, options: ReportOptions): BenchCaseResult | undefined {
  if (options.baseline === undefined) return report.cases[0];
  const found = report.cases.find((c) => c.name === options.baseline);
  if (!found)
    throw new TypeError(
      `Expected \`baseline\` to name a case of the report, got ${describe(options.baseline)}`,
    );
  return found;
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;

/** Operations one iteration of a case performs (1 in per-call mode). */
export function opsOf(c: BenchCaseResult): number {
  return c.opsPerIteration ?? 1;
}

/** A case's median time per operation, in ns. */
export function nsPerOp(c: BenchCaseResult): number {
  return c.median.point / opsOf(c);
}

/**
 * The one ratio convention of every `@perf` report: how many times faster than the baseline
 * row `base` the case `c` is, per operation (> 1 faster, < 1 slower).
 */
export function timesFaster(c: BenchCaseResult, base: BenchCaseResult): number {
  return nsPerOp(base) / nsPerOp(c);
}

/** `2.41×`, `0.87×`, `0.0026×`: a ratio as the tables print it. */
export function formatRatio(x: number): string {
  if (!Number.isFinite(x)) return '—';
  const text =
    x >= 100
      ? String(Math.round(x))
      : x >= 10
        ? x.toFixed(1)
        : x >= 0.1
          ? x.toFixed(2)
          : x.toPrecision(2); // 0.0026×: a far slower case keeps two significant digits
  return `${text}×`;
}

/**
 * A Markdown table: case, median time per operation with its CI, mean, ops/s, how many
 * times faster than the baseline row (`baseline`, the first case unless named; > 1 = faster)
 * the case is, outliers, and — when `comparisons` from {@link compareReports} are given — the
 * change against a saved baseline. Under it, the machine record (Node, CPU, cores, load
 * average, date) unless `machine: false`.
 */
export function toMarkdown(report: BenchReport, options: ReportOptions = {}): string {
  checkReport(report);
  checkOptions('options', options);
  const base = baselineCase(report, options);
  const byName = new Map((options.comparisons ?? []).map((c) => [c.name, c]));
  const withChange = byName.size > 0;
  const head = [
    'case',
    'median',
    '95 % CI',
    'mean',
    'ops/s',
    `× faster than ${base?.name ?? '—'}`,
    'outliers',
  ];
  if (withChange) head.push('change vs baseline');
  const rows = report.cases.map((c) => {
    const o = c.outliers;
    const out = o.lowSevere + o.lowMild + o.highMild + o.highSevere;
    const n = opsOf(c);
    const row = [
      c.name,
      formatDuration(c.median.point / n),
      `${formatDuration(c.median.lower / n)} … ${formatDuration(c.median.upper / n)}`,
      formatDuration(c.mean.point / n),
      Math.round(c.opsPerSecond).toLocaleString('en-US'),
      base === undefined
        ? '—'
        : c === base
          ? '1.00× (baseline)'
          : formatRatio(timesFaster(c, base)),
      `${out}/${c.samples.length}`,
    ];
    if (withChange) row.push(changeCell(byName.get(c.name)));
    return row;
  });
  const line = (cells: readonly string[]) =>
    `| ${cells.map((x) => x.replace(/\|/g, '\\|')).join(' | ')} |`;
  const table = [
    line(head),
    line(head.map((_, i) => (i === 0 ? '---' : '---:'))),
    ...rows.map(line),
  ].join('\n');
  if (options.machine === false || report.environment === undefined) return table;
  return `${table}\n\n${formatMachine(report.environment)}`;
}

/**
 * A Markdown table of any measured values (hit rates, sessions opened…), for the figures a
 * `Bench` does not time. Cells are escaped; numeric columns are right-aligned.
 */
export function markdownTable(
  head: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  const line = (cells: readonly (string | number)[]) =>
    `| ${cells.map((x) => String(x).replace(/\|/g, '\\|')).join(' | ')} |`;
  const numeric = head.map(
    (_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'),
  );
  return [
    line(head),
    line(head.map((_, i) => (numeric[i] ? '---:' : '---'))),
    ...rows.map(line),
  ].join('\n');
}

function changeCell(c: CaseComparison | undefined): string {
  if (!c || c.status === 'new' || c.status === 'missing') return c?.status ?? '—';
  return `${c.status} ${pct(c.change.point)} (${pct(c.change.lower)} … ${pct(c.change.upper)})`;
}

// SVG layout, in px.
const BAR_HEIGHT = 22;
const BAR_GAP = 10;
const LABEL_WIDTH = 220;
const CHART_WIDTH = 520;
const VALUE_WIDTH = 110;
const TOP = 34;
const AXIS = 28;

/**
 * A horizontal bar chart of the median time per case with its confidence interval as an
 * error bar; a self-contained SVG document (no scripts, no external fonts).
 */
export function toSvg(report: BenchReport, options: ReportOptions = {}): string {
  checkReport(report);
  checkOptions('options', options);
  const cases = report.cases;
  const max = Math.max(...cases.map((c) => c.median.upper), Number.MIN_VALUE);
  const x = (ns: number) => LABEL_WIDTH + (ns / max) * CHART_WIDTH;
  const height = TOP + cases.length * (BAR_HEIGHT + BAR_GAP) + AXIS;
  const width = LABEL_WIDTH + CHART_WIDTH + VALUE_WIDTH;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title>${xml(report.name)}: median time per iteration (lower is better)</title>`,
    `<text x="8" y="20" font-size="14" font-weight="bold">${xml(report.name)} — median time per iteration, ${Math.round((options.confidence ?? 0.95) * 100)} % CI (lower is better)</text>`,
  ];
  cases.forEach((c, i) => {
    const y = TOP + i * (BAR_HEIGHT + BAR_GAP);
    const mid = y + BAR_HEIGHT / 2;
    parts.push(
      `<text x="${LABEL_WIDTH - 8}" y="${mid + 4}" text-anchor="end">${xml(c.name)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y}" width="${(x(c.median.point) - LABEL_WIDTH).toFixed(1)}" height="${BAR_HEIGHT}" fill="#4c78a8"/>`,
      `<path d="M${x(c.median.lower).toFixed(1)} ${mid}H${x(c.median.upper).toFixed(1)}M${x(c.median.lower).toFixed(1)} ${y + 4}V${y + BAR_HEIGHT - 4}M${x(c.median.upper).toFixed(1)} ${y + 4}V${y + BAR_HEIGHT - 4}" stroke="#222" stroke-width="1.5" fill="none"/>`,
      `<text x="${(x(c.median.upper) + 6).toFixed(1)}" y="${mid + 4}">${xml(formatDuration(c.median.point))}</text>`,
    );
  });
  const axisY = TOP + cases.length * (BAR_HEIGHT + BAR_GAP);
  parts.push(`<path d="M${LABEL_WIDTH} ${axisY}H${LABEL_WIDTH + CHART_WIDTH}" stroke="#888"/>`);
  for (let t = 0; t <= 4; t++) {
    const v = (max * t) / 4;
    parts.push(
      `<text x="${x(v).toFixed(1)}" y="${axisY + 16}" text-anchor="middle" fill="#555">${xml(t === 0 ? '0' : formatDuration(v))}</text>`,
    );
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function xml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function checkReport(report: unknown): void {
  const r = report as BenchReport;
  if (
    typeof r !== 'object' ||
    r === null ||
    !Array.isArray(r.cases) ||
    typeof r.name !== 'string'
  ) {
    throw new TypeError(`Expected \`report\` to be a BenchReport, got ${describe(report)}`);
  }
}
