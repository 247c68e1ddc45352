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

/**
 * An upper estimate of a label's width in px for a sans-serif font (the report has no layout
 * engine to ask): wide letters 0.9 em, capitals and digits 0.68 em, narrow glyphs 0.32 em, the
 * rest 0.58 em. Margins are sized from it, so a long route name or a 10,000 tick is not cut
 * off; the Chromium test checks the real boxes.
 */
function textWidth(s: string, fontPx = 12): number {
  let em = 0;
  for (const c of s) {
    if (/[mwMW@%]/.test(c)) em += 0.9;
    else if (/[A-Z0-9#&]/.test(c)) em += 0.68;
    else if (/[ijlft.,:;'!|/()[\] ]/.test(c)) em += 0.32;
    else em += 0.58;
  }
  return Math.ceil(em * fontPx);
}

/** Round steps from 0 to at least `max` (4 to 6 of them). */
function niceTicks(max: number): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((x) => x >= raw) ?? raw;
  const out = [0];
  while (out.at(-1)! < max) out.push(Number((out.length * step).toPrecision(12)));
  return out;
}

const num = (v: number) => v.toLocaleString('en', { maximumFractionDigits: 2 });

const QUANTILE_COLORS: Record<Quantile, string> = {
  p50: '#4c9be8',
  p95: '#7bc86c',
  p99: '#f2b134',
  p999: '#e5534b',
};
const QUANTILE_NAMES: Record<Quantile, string> = {
  p50: 'P50',
  p95: 'P95',
  p99: 'P99',
  p999: 'P99.9',
};

/** One legend row: `[label, marker svg at (x, y)]` entries laid out left to right. */
function legendRow(
  x0: number,
  y: number,
  entries: readonly [string, (x: number, y: number) => string][],
): string {
  const parts = ['<g class="legend">'];
  let x = x0;
  for (const [label, marker] of entries) {
    parts.push(marker(x, y), `<text x="${x + 18}" y="${y + 4}">${esc(label)}</text>`);
    x += 18 + textWidth(label) + 16;
  }
  parts.push('</g>');
  return parts.join('');
}

/**
 * Grouped bars: per route, the four latency quantiles on a log scale, with SLA ticks, a legend
 * and a labelled axis. The left margin is the widest route label; the scale runs from 0.01 ms
 * to the power of ten above the slowest quantile (at least 1 s).
 */
export function latencySvg(r: LoadReport): string {
  const W = 900;
  const rowH = 26;
  const names = r.routes.map((x) => `${x.phase} ${x.route}`);
  const left = Math.max(80, ...names.map((n) => textWidth(n) + 16));
  const maxQ = Math.max(1000, ...r.routes.flatMap((x) => QUANTILES.map((q) => x.latencyMs[q])));
  const topExp = Math.ceil(Math.log10(maxQ));
  const ticks = Array.from({ length: topExp + 3 }, (_, i) =>
    Number((10 ** (i - 2)).toPrecision(1)),
  );
  const right = Math.max(20, textWidth(num(ticks.at(-1)!)) / 2 + 8);
  const plotW = W - left - right;
  const x = (ms: number) => left + ((Math.log10(Math.max(ms, 0.01)) + 2) / (topExp + 2)) * plotW;
  const top = 72;
  const plotBottom = top + r.routes.length * rowH * 1.2;
  const H = plotBottom + 66;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart latency" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui,sans-serif" font-size="12" role="img" aria-label="Latency by route">`,
    `<title>Latency by route: P50, P95, P99 and P99.9 in ms (log scale), with the SLA targets</title>`,
    `<text x="10" y="18" font-weight="bold">Latency by route (lower is better)</text>`,
    legendRow(10, 38, [
      ...QUANTILES.map(
        (q) =>
          [
            QUANTILE_NAMES[q],
            (lx: number, ly: number) =>
              `<rect x="${lx}" y="${ly - 5}" width="12" height="10" fill="${QUANTILE_COLORS[q]}"/>`,
          ] as [string, (x: number, y: number) => string],
      ),
      [
        'SLA target of that percentile',
        (lx, ly) =>
          `<line x1="${lx + 6}" y1="${ly - 6}" x2="${lx + 6}" y2="${ly + 6}" stroke="#000" stroke-width="2"/>`,
      ],
    ]),
    '<g class="axis x-axis">',
  );
  // Label every decade while they fit side by side, else every second or third (from the top).
  const spacing = plotW / (ticks.length - 1);
  const every = Math.ceil((Math.max(...ticks.map((t) => textWidth(num(t)))) + 8) / spacing);
  ticks.forEach((ms, i) => {
    parts.push(
      `<line x1="${x(ms)}" y1="${top - 4}" x2="${x(ms)}" y2="${plotBottom}" stroke="#ddd"/>`,
    );
    if ((ticks.length - 1 - i) % every === 0) {
      parts.push(
        `<text x="${x(ms)}" y="${plotBottom + 16}" text-anchor="middle">${num(ms)}</text>`,
      );
    }
  });
  parts.push(
    `<text class="axis-label" x="${left + plotW / 2}" y="${plotBottom + 36}" text-anchor="middle">latency (ms, log scale)</text>`,
    '</g>',
    `<text class="axis-label" x="${left - 6}" y="${top - 12}" text-anchor="end" fill="#555">phase, route</text>`,
  );
  r.routes.forEach((route, i) => {
    const y0 = top + i * rowH * 1.2;
    parts.push(`<text x="${left - 6}" y="${y0 + 14}" text-anchor="end">${esc(names[i]!)}</text>`);
    QUANTILES.forEach((q, j) => {
      const y = y0 + j * (rowH / 4);
      const w = Math.max(1, x(route.latencyMs[q]) - left);
      parts.push(
        `<rect x="${left}" y="${y}" width="${w}" height="${rowH / 4 - 1}" fill="${QUANTILE_COLORS[q]}"><title>${QUANTILE_NAMES[q]} ${fmt(route.latencyMs[q])} ms</title></rect>`,
      );
      parts.push(
        `<line x1="${x(SLA[q])}" y1="${y}" x2="${x(SLA[q])}" y2="${y + rowH / 4 - 1}" stroke="#000" stroke-width="2"/>`,
      );
    });
  });
  parts.push(
    `<text class="footer" x="10" y="${H - 10}" font-size="11" fill="#555">${esc(`${r.machine} · ${r.node} · ${r.startedAt}`)}</text>`,
    '</svg>',
  );
  return parts.join('\n');
}

/**
 * Throughput over time (left axis, req/s) with P99 on a second axis (right, ms), each axis
 * ticked and labelled with its unit, and a legend. Each side's margin is its widest tick label
 * plus its rotated axis title, so 10,000 req/s is not cut off.
 */
export function timelineSvg(r: LoadReport): string {
  const W = 900;
  const H = 300;
  const pts = r.timeline;
  const tTicks = niceTicks(Math.max(1, ...pts.map((p) => p.t)));
  const rTicks = niceTicks(Math.max(1, ...pts.map((p) => p.rps)));
  const lTicks = niceTicks(Math.max(1, ...pts.map((p) => p.p99Ms)));
  const maxT = tTicks.at(-1)!;
  const maxR = rTicks.at(-1)!;
  const maxL = lTicks.at(-1)!;
  const left = 28 + Math.max(...rTicks.map((v) => textWidth(num(v)))) + 8;
  const right = 28 + Math.max(...lTicks.map((v) => textWidth(num(v)))) + 8;
  const top = 54;
  const bottom = H - 50;
  const X = (t: number) => left + (t / maxT) * (W - left - right);
  const Y = (v: number, m: number) => bottom - (v / m) * (bottom - top);
  const line = (f: (p: (typeof pts)[number]) => number, m: number) =>
    pts.map((p, i) => `${i ? 'L' : 'M'}${X(p.t).toFixed(1)},${Y(f(p), m).toFixed(1)}`).join('');
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart timeline" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui,sans-serif" font-size="12" role="img" aria-label="Throughput and P99 latency over the run">`,
    `<title>Throughput in requests per second and P99 latency in ms, each second of the run</title>`,
    `<text x="10" y="18" font-weight="bold">Throughput and P99 latency over the run</text>`,
    legendRow(10, 38, [
      [
        'throughput (req/s, left axis)',
        (lx, ly) =>
          `<line x1="${lx}" y1="${ly}" x2="${lx + 12}" y2="${ly}" stroke="#4c9be8" stroke-width="2"/>`,
      ],
      [
        'P99 latency (ms, right axis)',
        (lx, ly) =>
          `<line x1="${lx}" y1="${ly}" x2="${lx + 12}" y2="${ly}" stroke="#e5534b" stroke-width="2"/>`,
      ],
    ]),
    '<g class="axis">',
  ];
  for (const v of rTicks) {
    parts.push(
      `<line x1="${left}" y1="${Y(v, maxR)}" x2="${W - right}" y2="${Y(v, maxR)}" stroke="#eee"/>`,
      `<text x="${left - 6}" y="${Y(v, maxR) + 4}" text-anchor="end" fill="#2a6fb5">${num(v)}</text>`,
    );
  }
  for (const v of lTicks) {
    parts.push(`<text x="${W - right + 6}" y="${Y(v, maxL) + 4}" fill="#c0392b">${num(v)}</text>`);
  }
  for (const t of tTicks) {
    parts.push(`<text x="${X(t)}" y="${bottom + 20}" text-anchor="middle">${num(t)}</text>`);
  }
  parts.push(
    `<line x1="${left}" y1="${bottom}" x2="${W - right}" y2="${bottom}" stroke="#999"/>`,
    `<text class="axis-label" x="${(left + W - right) / 2}" y="${bottom + 40}" text-anchor="middle">time since start (s)</text>`,
    `<text class="axis-label" transform="translate(16 ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle" fill="#2a6fb5">throughput (req/s)</text>`,
    `<text class="axis-label" transform="translate(${W - 12} ${(top + bottom) / 2}) rotate(90)" text-anchor="middle" fill="#c0392b">P99 latency (ms)</text>`,
    '</g>',
    `<path d="${line((p) => p.rps, maxR)}" fill="none" stroke="#4c9be8" stroke-width="2"/>`,
    `<path d="${line((p) => p.p99Ms, maxL)}" fill="none" stroke="#e5534b" stroke-width="1.5"/>`,
    '</svg>',
  );
  return parts.join('\n');
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
