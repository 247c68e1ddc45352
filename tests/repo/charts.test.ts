// Every committed chart (packages/*/docs/*.svg, apps/*/docs/*.svg) is checked, not just drawn:
// well-formed XML, a legend and axis labels, no scripts or external resources, and the run id
// it embeds equals the hash of the results file it names, so a chart whose numbers were
// re-measured without redrawing it (or the reverse) fails. File times say nothing in a clone.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkXml } from '@perf/internal/testing/xml';
import { describe, expect, it } from 'vitest';
import { root } from '../../scripts/lib.mjs';

function charts(): string[] {
  const out: string[] = [];
  for (const top of ['packages', 'apps']) {
    const base = join(root, top);
    if (!existsSync(base)) continue;
    for (const d of readdirSync(base)) {
      const docs = join(base, d, 'docs');
      if (!existsSync(docs)) continue;
      for (const f of readdirSync(docs)) if (f.endsWith('.svg')) out.push(join(docs, f));
    }
  }
  return out.sort();
}

/** The run id format of @perf/monitor's writeChart: SHA-256 of the results file, 16 hex digits. */
const runId = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

describe('committed charts', () => {
  const files = charts();
  it('there is at least one (the monitor README opens with one)', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  for (const file of files) {
    const name = relative(root, file);
    it(`${name}: well-formed, legend, axis labels, title/desc, self-contained`, () => {
      const svg = readFileSync(file, 'utf8');
      const { problems, elements } = checkXml(svg);
      expect(problems).toEqual([]);
      expect(elements[0]?.name).toBe('svg');
      expect(elements.some((e) => e.name === 'title' && e.text.trim() !== '')).toBe(true);
      expect(elements.some((e) => e.name === 'desc' && e.text.trim() !== '')).toBe(true);
      expect(elements.some((e) => e.attributes.class === 'legend')).toBe(true);
      expect(
        elements.filter((e) => e.attributes.class === 'axis-label').length,
      ).toBeGreaterThanOrEqual(2);
      expect(elements.some((e) => e.name === 'script' || e.name === 'foreignObject')).toBe(false);
      expect(svg).not.toMatch(/(?:href|src)\s*=\s*["'](?:https?:)?\/\/|@import|@font-face/);
    });
    it(`${name}: its run id matches the committed results`, () => {
      const root_ = checkXml(readFileSync(file, 'utf8')).elements[0]!;
      const id = root_.attributes['data-run-id'];
      const results = root_.attributes['data-results'];
      expect(
        id,
        'no data-run-id: generate charts with writeChart from @perf/monitor/bench',
      ).toBeTruthy();
      expect(results).toBeTruthy();
      const path = join(file, '..', results!);
      expect(existsSync(path), `${results} is not committed next to the chart`).toBe(true);
      expect(
        id,
        `stale: ${name} was drawn from another run than ${results}; re-run the bench`,
      ).toBe(runId(readFileSync(path, 'utf8')));
    });
  }
});
