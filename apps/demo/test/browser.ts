// The real browser for the demo's page tests: Debian's chromium driven by playwright-core (never
// a downloaded build), a fresh profile per launch, and the helpers that find clipped text.
import { hasBinary, missingBinary, tempDir } from '@perf/internal/testing';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.PERF_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Why the browser tests skip, or `undefined` when they run. They skip only when chromium is
 * missing outside CI; in CI (scripts/system-deps.mjs installs it) a missing browser fails them
 * (@perf/internal's `missingBinary` throws there).
 */
export const SKIP_BROWSER = missingBinary(
  CHROMIUM,
  'apt-get install -y chromium, or set PERF_CHROMIUM',
);

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/** Launches chromium with its own fresh `--user-data-dir`, removed on close. */
export async function launchChromium(): Promise<Browser> {
  if (!hasBinary(CHROMIUM)) {
    throw new Error(
      `No chromium at ${CHROMIUM}: run node scripts/system-deps.mjs (CI installs it)`,
    );
  }
  const profile = tempDir('perf-chromium-');
  const context = await chromium.launchPersistentContext(profile.path, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1200, height: 800 },
  });
  return {
    context,
    async newPage(viewport) {
      const page = await context.newPage();
      if (viewport) await page.setViewportSize(viewport);
      return page;
    },
    async close() {
      await context.close();
      profile.remove();
    },
  };
}

/** A piece of text and its box, and the box of the chart that must contain it. */
export interface TextBox {
  text: string;
  chart: string;
  box: { left: number; right: number; top: number; bottom: number };
  within: { left: number; right: number; top: number; bottom: number };
}

/** The texts whose box leaves its chart's box by more than half a pixel. */
export function clipped(boxes: readonly TextBox[]): TextBox[] {
  const e = 0.5;
  return boxes.filter(
    ({ box: b, within: w }) =>
      b.left < w.left - e || b.right > w.right + e || b.top < w.top - e || b.bottom > w.bottom + e,
  );
}

/**
 * Every `<text>` of every inline SVG on the page, with its rendered box
 * (getBoundingClientRect) and the SVG's.
 */
export function svgTextBoxes(page: Page): Promise<TextBox[]> {
  return page.evaluate(() => {
    const rect = (r: DOMRect) => ({ left: r.left, right: r.right, top: r.top, bottom: r.bottom });
    return Array.from(document.querySelectorAll('svg')).flatMap((svg, i) =>
      Array.from(svg.querySelectorAll('text')).map((t) => ({
        text: t.textContent ?? '',
        chart: svg.getAttribute('class') ?? `svg ${i}`,
        box: rect(t.getBoundingClientRect()),
        within: rect(svg.getBoundingClientRect()),
      })),
    );
  });
}

/**
 * Records every `fillText` on a canvas (uPlot draws its axes so), with the text's box from
 * `measureText` under the context's transform, in canvas pixels. Install before the page loads;
 * read with {@link canvasTextBoxes}.
 */
export async function recordCanvasText(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __texts: unknown[] };
    w.__texts = [];
    const proto = CanvasRenderingContext2D.prototype;
    const fillText = proto.fillText;
    proto.fillText = function (text: string, x: number, y: number, maxWidth?: number) {
      const m = this.measureText(String(text));
      const t = this.getTransform();
      const xs: number[] = [];
      const ys: number[] = [];
      for (const px of [x - m.actualBoundingBoxLeft, x + m.actualBoundingBoxRight]) {
        for (const py of [y - m.actualBoundingBoxAscent, y + m.actualBoundingBoxDescent]) {
          xs.push(t.a * px + t.c * py + t.e);
          ys.push(t.b * px + t.d * py + t.f);
        }
      }
      const card = this.canvas.closest('.card')?.querySelector('h2')?.textContent ?? '?';
      w.__texts.push({
        text: String(text),
        chart: card,
        box: {
          left: Math.min(...xs),
          right: Math.max(...xs),
          top: Math.min(...ys),
          bottom: Math.max(...ys),
        },
        within: { left: 0, right: this.canvas.width, top: 0, bottom: this.canvas.height },
      });
      return maxWidth === undefined
        ? fillText.call(this, text, x, y)
        : fillText.call(this, text, x, y, maxWidth);
    };
  });
}

/** The canvas texts drawn so far (see {@link recordCanvasText}); `clear` forgets them. */
export function canvasTextBoxes(page: Page, clear = false): Promise<TextBox[]> {
  return page.evaluate((c) => {
    const w = window as unknown as { __texts: TextBox[] };
    const out = w.__texts.slice();
    if (c) w.__texts.length = 0;
    return out;
  }, clear);
}
