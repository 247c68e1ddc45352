// The live dashboard in a real browser: Debian's chromium driven by playwright-core. Asserts
// the charts receive data over server-sent events and that the load button starts a run;
// saves a screenshot as a test artifact (apps/demo/test-results/dashboard.png).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { h2, type Server, startServer } from './helpers.js';

declare global {
  interface Window {
    __perf: { snapshots: number; points(): number };
  }
}

const CHROMIUM = process.env.PERF_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../test-results/', import.meta.url));

let server: Server;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(os.tmpdir(), 'perf-kv-dash-'));
  server = await startServer(['--data-dir', dir, '--shards', '2']);
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it.skipIf(!existsSync(CHROMIUM) && !process.env.CI)(
  'the dashboard charts live data in a real browser',
  async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    // Some traffic so the first snapshots are not all zeros.
    const req = h2(server.url);
    const traffic = (async () => {
      for (let i = 0; i < 300; i++)
        await req('PUT', `/kv/dash:${i % 50}`, `v${i}`).then(() =>
          req('GET', `/kv/dash:${i % 50}`),
        );
    })();
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 700 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`${server.url}/`);
      await page.waitForFunction(() => window.__perf?.snapshots >= 3, null, {
        timeout: 20_000,
      });
      await traffic;
      // uPlot draws into canvases: four charts, each with data points.
      expect(await page.locator('.uplot canvas').count()).toBe(4);
      expect(await page.evaluate(() => window.__perf.points())).toBeGreaterThanOrEqual(3);
      const rps = Number((await page.textContent('#k-rps'))!.replace(/,/g, ''));
      expect(Number.isFinite(rps)).toBe(true);
      await page.click('#start');
      await page.waitForFunction(
        () => document.getElementById('load-state')?.textContent === 'running',
        null,
        { timeout: 10_000 },
      );
      await page.waitForFunction(
        () => Number(document.getElementById('k-rps')!.textContent!.replace(/,/g, '')) > 0,
        null,
        { timeout: 20_000 },
      );
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png') });
      expect(errors).toEqual([]);
    } finally {
      req.close();
      await browser.close();
    }
  },
);
