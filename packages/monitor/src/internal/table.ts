// Plain-text tables with aligned columns, for formatSummary() and the bench reports.

import type { Labels, MonitorSummary, SummaryFormatOptions } from '../types.js';
import { checkInteger, checkNumber } from './validate.js';

/** Left-aligns the first column and right-aligns the rest, two spaces apart. */
export function alignColumns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) widths[i] = Math.max(widths[i] ?? 0, row[i]!.length);
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function seriesName(name: string, labels: Labels): string {
  const keys = Object.keys(labels);
  return keys.length === 0 ? name : `${name}{${keys.map((k) => `${k}="${labels[k]}"`).join(',')}}`;
}

export function formatTable(summary: MonitorSummary, options: SummaryFormatOptions = {}): string {
  const divisor = checkNumber(
    'divisor',
    options.divisor ?? 1000,
    Number.MIN_VALUE,
    Number.MAX_VALUE,
  );
  const decimals = checkInteger('decimals', options.decimals ?? 3, 0, 20);
  const unit = String(options.unit ?? 'ms');
  const f = (v: number) => (v / divisor).toFixed(decimals);
  const blocks: string[] = [];
  if (summary.histograms.length > 0) {
    const rows: string[][] = [
      [`histogram (${unit})`, 'count', 'mean', 'min', 'p50', 'p95', 'p99', 'p99.9', 'max'],
    ];
    for (const h of summary.histograms) {
      rows.push([
        seriesName(h.name, h.labels),
        String(h.count),
        f(h.mean),
        f(h.min),
        f(h.p50),
        f(h.p95),
        f(h.p99),
        f(h.p999),
        f(h.max),
      ]);
    }
    blocks.push(alignColumns(rows));
  }
  const values = [
    ...summary.counters.map((c) => ['counter', c] as const),
    ...summary.gauges.map((g) => ['gauge', g] as const),
  ];
  if (values.length > 0) {
    blocks.push(
      alignColumns([
        ['metric', 'type', 'value'],
        ...values.map(([t, v]) => [seriesName(v.name, v.labels), t, String(v.value)]),
      ]),
    );
  }
  return blocks.join('\n\n');
}
