/**
 * The SLA report of a load run: printed as a table, written as JSON, and drawn as a
 * self-contained HTML page with inline SVG charts (no scripts, opens from disk).
 */

import { SEED_SLA_TARGETS } from '@perf/monitor';

export type Quantile = 'p50' | 'p95' | 'p99' | 'p999';
export const QUANTILES: readonly Quantile[] = ['p50', 'p95', 'p99', 'p999'];
/** The percentile each quantile field stands for. */
export const PERCENTILE_OF: Readonly<Record<Quantile, number>> = {
  p50: 50,
  p95: 95,
  p99: 99,
  p999: 99.9,
};

function limitOf(q: Quantile): number {
  const t = SEED_SLA_TARGETS.find((x) => x.percentile === PERCENTILE_OF[q]);
  if (t === undefined) throw new Error(`@perf/monitor has no SLA target at P${PERCENTILE_OF[q]}`);
  return t.limitMs;
}

/** The latency targets, in milliseconds, read from @perf/monitor's SEED_SLA_TARGETS. */
export const SLA: Readonly<Record<Quantile, number>> = Object.freeze({
  p50: limitOf('p50'),
  p95: limitOf('p95'),
  p99: limitOf('p99'),
  p999: limitOf('p999'),
});

export interface RouteReport {
  route: string;
  /** Bulk loading (preload, vector inserts): shown, but not judged against the SLA. */
  bulk: boolean;
  phase: string;
  requests: number;
  errors: number;
  /** Requests per second over the phase. */
  rps: number;
  /** Keys per second, for batch routes. */
  keysPerSec?: number;
  /** Latency quantiles in milliseconds. */
  latencyMs: Record<Quantile, number>;
  /** Whether each quantile met its SLA target. */
  sla: Record<Quantile, boolean>;
}

export interface LoadReport {
  startedAt: string;
  durationSec: number;
  node: string;
  machine: string;
  config: Record<string, unknown>;
  routes: RouteReport[];
  /** Throughput per second of the run, for the timeline chart. */
  timeline: { t: number; rps: number; p99Ms: number }[];
  cache: { hits: number; misses: number; hitRate: number };
  compression: { responses: number; bytesIn: number; bytesOut: number; bytesSaved: number };
  shards: { keys: number[]; requests: number[]; maxOverMean: number };
  gc: { count: number; totalMs: number; maxMs: number };
  slaPassed: boolean;
}

export function slaOf(latencyMs: Record<Quantile, number>): Record<Quantile, boolean> {
  return {
    p50: latencyMs.p50 < SLA.p50,
    p95: latencyMs.p95 < SLA.p95,
    p99: latencyMs.p99 < SLA.p99,
    p999: latencyMs.p999 < SLA.p999,
  };
}

const fmt = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '-');
const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

/** The report as the terminal shows it. */
export function renderText(r: LoadReport): string {
  const lines: string[] = [];
  lines.push(`perf-kv load report — ${r.startedAt} — ${r.durationSec.toFixed(1)} s — ${r.node}`);
  lines.push(`machine: ${r.machine}`);
  lines.push('');
  const head = `${pad('phase', 8)} ${pad('route', 22)} ${lpad('req', 8)} ${lpad('err', 5)} ${lpad('req/s', 9)} ${QUANTILES.map((q) => lpad(`${q} ms`, 10)).join(' ')}`;
  lines.push(head);
  lines.push('-'.repeat(head.length));
  for (const x of r.routes) {
    const mark = (q: Quantile) => (x.bulk ? '  ' : x.sla[q] ? ' ✓' : ' ✗');
    const qs = QUANTILES.map((q) => lpad(`${fmt(x.latencyMs[q])}${mark(q)}`, 10));
    const keys = x.keysPerSec ? `  (${Math.round(x.keysPerSec).toLocaleString('en')} keys/s)` : '';
    const extra = `${keys}${x.bulk ? '  bulk: not in SLA' : ''}`;
    lines.push(
      `${pad(x.phase, 8)} ${pad(x.route, 22)} ${lpad(String(x.requests), 8)} ${lpad(String(x.errors), 5)} ${lpad(Math.round(x.rps).toLocaleString('en'), 9)} ${qs.join(' ')}${extra}`,
    );
  }
  lines.push('');
  lines.push(
    `SLA targets: P50 < ${SLA.p50} ms, P95 < ${SLA.p95} ms, P99 < ${SLA.p99} ms, P99.9 < ${SLA.p999} ms — ${r.slaPassed ? 'PASS' : 'FAIL'}`,
  );
  lines.push(
    `cache: ${(r.cache.hitRate * 100).toFixed(1)}% hits (${r.cache.hits.toLocaleString('en')} hits, ${r.cache.misses.toLocaleString('en')} misses)`,
  );
  const c = r.compression;
  lines.push(
    `compression: ${c.responses.toLocaleString('en')} responses compressed, ${kb(c.bytesIn)} → ${kb(c.bytesOut)} (${kb(c.bytesSaved)} saved)`,
  );
  lines.push(
    `shards: keys ${r.shards.keys.join(' / ')}, requests ${r.shards.requests.join(' / ')} (max/mean ${fmt(r.shards.maxOverMean, 3)})`,
  );
  lines.push(
    `GC (server): ${r.gc.count} pauses, ${fmt(r.gc.totalMs, 1)} ms total, longest ${fmt(r.gc.maxMs, 1)} ms`,
  );
  return lines.join('\n');
}

function kb(n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
}

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** Grouped bars: per route, the four latency quantiles on a log scale, with SLA ticks. */
export function latencySvg(r: LoadReport): string {
  const W = 900;
  const rowH = 26;
  const left = 220;
  const H = 40 + r.routes.length * rowH * 1.2 + 30;
  const maxMs = Math.max(1000, ...r.routes.flatMap((x) => QUANTILES.map((q) => x.latencyMs[q])));
  const x = (ms: number) =>
    left + ((Math.log10(Math.max(ms, 0.01)) + 2) / (Math.log10(maxMs) + 2)) * (W - left - 20);
  const colors: Record<Quantile, string> = {
    p50: '#4c9be8',
    p95: '#7bc86c',
    p99: '#f2b134',
    p999: '#e5534b',
  };
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="system-ui,sans-serif" font-size="12">`,
  );
  parts.push(
    `<text x="10" y="18" font-weight="bold">Latency by route (ms, log scale) — bars: P50/P95/P99/P99.9; ticks: SLA targets</text>`,
  );
  for (const ms of [0.1, 1, 10, 100, 1000]) {
    parts.push(
      `<line x1="${x(ms)}" y1="28" x2="${x(ms)}" y2="${H - 24}" stroke="#ddd"/><text x="${x(ms)}" y="${H - 8}" text-anchor="middle">${ms}</text>`,
    );
  }
  r.routes.forEach((route, i) => {
    const y0 = 34 + i * rowH * 1.2;
    parts.push(
      `<text x="${left - 6}" y="${y0 + 14}" text-anchor="end">${esc(`${route.phase} ${route.route}`)}</text>`,
    );
    QUANTILES.forEach((q, j) => {
      const y = y0 + j * (rowH / 4);
      const w = Math.max(1, x(route.latencyMs[q]) - left);
      parts.push(
        `<rect x="${left}" y="${y}" width="${w}" height="${rowH / 4 - 1}" fill="${colors[q]}"><title>${q} ${fmt(route.latencyMs[q])} ms</title></rect>`,
      );
      parts.push(
        `<line x1="${x(SLA[q])}" y1="${y}" x2="${x(SLA[q])}" y2="${y + rowH / 4 - 1}" stroke="#000" stroke-width="2"/>`,
      );
    });
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** Throughput over time, with P99 on a second axis. */
export function timelineSvg(r: LoadReport): string {
  const W = 900;
  const H = 260;
  const pts = r.timeline;
  const maxT = Math.max(1, ...pts.map((p) => p.t));
  const maxR = Math.max(1, ...pts.map((p) => p.rps));
  const maxL = Math.max(1, ...pts.map((p) => p.p99Ms));
  const X = (t: number) => 50 + (t / maxT) * (W - 100);
  const Y = (v: number, m: number) => H - 30 - (v / m) * (H - 60);
  const line = (f: (p: (typeof pts)[number]) => number, m: number) =>
    pts.map((p, i) => `${i ? 'L' : 'M'}${X(p.t).toFixed(1)},${Y(f(p), m).toFixed(1)}`).join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="system-ui,sans-serif" font-size="12">`,
    `<text x="10" y="18" font-weight="bold">Throughput (req/s, blue) and P99 latency (ms, red) over the run</text>`,
    `<line x1="50" y1="${H - 30}" x2="${W - 50}" y2="${H - 30}" stroke="#999"/>`,
    `<text x="50" y="${H - 12}">0 s</text><text x="${W - 50}" y="${H - 12}" text-anchor="end">${maxT.toFixed(0)} s</text>`,
    `<text x="48" y="${Y(maxR, maxR) + 4}" text-anchor="end" fill="#4c9be8">${Math.round(maxR).toLocaleString('en')}</text>`,
    `<text x="${W - 48}" y="${Y(maxL, maxL) + 4}" fill="#e5534b">${fmt(maxL)} ms</text>`,
    `<path d="${line((p) => p.rps, maxR)}" fill="none" stroke="#4c9be8" stroke-width="2"/>`,
    `<path d="${line((p) => p.p99Ms, maxL)}" fill="none" stroke="#e5534b" stroke-width="1.5"/>`,
    '</svg>',
  ].join('\n');
}

/** A standalone HTML page: the text report and both charts. */
export function renderHtml(r: LoadReport): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>perf-kv load report</title>
<style>body{font-family:system-ui,sans-serif;margin:24px;color:#222}pre{background:#f6f8fa;padding:12px;overflow:auto}</style>
</head><body>
<h1>perf-kv load report</h1>
<p>SLA: <strong>${r.slaPassed ? 'PASS' : 'FAIL'}</strong></p>
${latencySvg(r)}
${timelineSvg(r)}
<pre>${esc(renderText(r))}</pre>
</body></html>
`;
}
