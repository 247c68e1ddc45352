// The HTML load report in a real browser (Debian's chromium through playwright-core): both
// charts carry a legend and labelled axes, and no text leaves its chart's box (bounding boxes
// from getBoundingClientRect against the SVG's), with small values and with 10,000 req/s,
// 12 s latencies and long route names. Screenshots: apps/demo/test-results/report-*.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoadReport, renderHtml, slaOf } from '../src/load/report.js';
import { type Browser, clipped, launchChromium, SKIP_BROWSER, svgTextBoxes } from './browser.js';

const ARTIFACTS = fileURLToPath(new URL('../test-results/', import.meta.url));

function reportOf(scale: number, routes: [string, string][]): LoadReport {
  return {
    startedAt: '2026-12-04T20:00:00.000Z',
    durationSec: 30,
    node: 'v20.20.0',
    machine: 'linux x64, 2 cores',
    config: {},
    routes: routes.map(([phase, route], i) => {
      const latencyMs = {
        p50: 0.2 * scale * (i + 1),
        p95: 0.9 * scale * (i + 1),
        p99: 2.5 * scale * (i + 1),
        p999: 9 * scale * (i + 1),
      };
      return {
        route,
        phase,
        bulk: phase === 'preload',
        requests: 1000 * scale,
        errors: 0,
        rps: 1234 * scale,
        latencyMs,
        sla: slaOf(latencyMs),
      };
    }),
    timeline: Array.from({ length: 30 }, (_, t) => ({
      t: t + 1,
      rps: 1234 * scale * (1 + Math.sin(t / 4) / 4),
      p99Ms: 2.5 * scale * (1 + Math.cos(t / 5) / 3),
    })),
    cache: { hits: 9, misses: 1, hitRate: 0.9 },
    compression: { responses: 1, bytesIn: 2000, bytesOut: 1000, bytesSaved: 1000 },
    shards: { keys: [5, 5], requests: [5, 5], maxOverMean: 1 },
    gc: { count: 1, totalMs: 1, maxMs: 1 },
    slaPassed: false,
  };
}

const large = reportOf(10, [
  ['preload', 'POST /kv:batch (put)'],
  ['mixed', 'POST /kv:batch (get)'],
  ['vectors', 'POST /vectors:batch'],
  ['vectors', 'POST /vectors/search'],
  ['hostile-and-very-long-phase', 'GET /kv/:key-with-a-rather-long-route-name-WWWWMMMM'],
]);
// A 12 s P99.9 on the last route: the latency axis runs past 10,000 ms.
large.routes.at(-1)!.latencyMs.p999 = 12_000;

const CASES: [string, LoadReport][] = [
  [
    'small',
    reportOf(1, [
      ['read', 'GET /kv/:key'],
      ['mixed', 'PUT /kv/:key'],
    ]),
  ],
  ['large', large],
];

let browser: Browser | undefined;
beforeAll(async () => {
  if (!SKIP_BROWSER) browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('the HTML report in chromium', () => {
  for (const [name, report] of CASES) {
    it(`draws legends and labelled axes with no text cut off (${name} values)`, async (ctx) => {
      if (SKIP_BROWSER) ctx.skip(SKIP_BROWSER);
      const page = await browser!.newPage({ width: 1000, height: 900 });
      try {
        await page.setContent(renderHtml(report));
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, `report-${name}.png`), fullPage: true });
        const legend = (chart: string) =>
          page.locator(`svg.${chart} .legend text`).allTextContents();
        expect(await legend('latency')).toEqual([
          'P50',
          'P95',
          'P99',
          'P99.9',
          'SLA target of that percentile',
        ]);
        expect(await legend('timeline')).toEqual([
          'throughput (req/s, left axis)',
          'P99 latency (ms, right axis)',
        ]);
        const labels = await page.locator('svg .axis-label').allTextContents();
        expect(labels).toEqual(
          expect.arrayContaining([
            'latency (ms, log scale)',
            'time since start (s)',
            'throughput (req/s)',
            'P99 latency (ms)',
          ]),
        );
        const boxes = await svgTextBoxes(page);
        // Every route label and tick is drawn, and none leaves its chart.
        for (const r of report.routes) {
          expect(boxes.map((b) => b.text)).toContain(`${r.phase} ${r.route}`);
        }
        if (name === 'large') {
          const big = boxes.filter((b) => Number(b.text.replace(/,/g, '')) >= 10_000);
          expect(big.map((b) => b.chart)).toEqual(
            expect.arrayContaining(['chart timeline', 'chart latency']),
          );
        }
        expect(clipped(boxes)).toEqual([]);
        // Nor do two texts of a chart overlap (ticks, route names, legend, axis titles).
        const overlaps: string[] = [];
        boxes.forEach((a, i) => {
          for (const b of boxes.slice(i + 1)) {
            if (a.chart !== b.chart || a.text === '' || b.text === '') continue;
            const e = 0.5;
            if (
              a.box.left < b.box.right - e &&
              b.box.left < a.box.right - e &&
              a.box.top < b.box.bottom - e &&
              b.box.top < a.box.bottom - e
            )
              overlaps.push(`${a.chart}: "${a.text}" / "${b.text}"`);
          }
        });
        expect(overlaps).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }
});
