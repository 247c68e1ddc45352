// Our classic text exposition, checked by Prometheus's own parser and linter.
import { spawnSync } from 'node:child_process';
import { missingBinary } from '@perf/internal/testing';
import { describe, expect, it } from 'vitest';
import { everyFeature } from './helpers/every-feature.js';

const PROMTOOL = '/usr/bin/promtool';
const missing = missingBinary(PROMTOOL, 'apt-get install -y prometheus');
if (missing) console.warn(`skipping promtool tests: ${missing}`);

function check(text: string) {
  return spawnSync(PROMTOOL, ['check', 'metrics'], {
    input: text,
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe.skipIf(missing !== undefined)('promtool check metrics', () => {
  it('accepts the text of a registry using every feature (escapes, histograms, summaries)', () => {
    const r = check(everyFeature().toPrometheus());
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('is a real check: it rejects broken text', () => {
    const broken = everyFeature().toPrometheus().replace('queue_depth 7', 'queue_depth seven');
    expect(check(broken).status).not.toBe(0);
  });
});
