import { describe, expect, it } from 'vitest';
import { Monitor, negotiateFormat } from '../src/index.js';
import { everyFeature } from './helpers/every-feature.js';

describe('OpenMetrics exposition', () => {
  const text = everyFeature().toOpenMetrics();
  const lines = text.trimEnd().split('\n');

  it('ends with # EOF and has one TYPE and HELP per family', () => {
    expect(lines.at(-1)).toBe('# EOF');
    expect(text.match(/^# TYPE /gm)).toHaveLength(4);
    expect(text.match(/^# HELP /gm)).toHaveLength(4);
    expect(text).toContain('# HELP http_requests Requests \\"served\\"\\nby route \\\\ method');
  });

  it('names counter families without _total and every counter sample with it, plus _created', () => {
    expect(text).toContain('# TYPE http_requests counter');
    expect(text).toContain('http_requests_total{route="/kv/\\"quoted\\"",method="GET"} 3');
    expect(text).toContain('http_requests_total{route="back\\\\slash\\nnewline",method="PUT"} 1');
    expect(text).toMatch(
      /^http_requests_created\{route="\/kv\/\\"quoted\\"",method="GET"\} \d+\.\d{3}$/m,
    );
  });

  it('puts the latest exemplar on its histogram bucket, and _created on histograms and summaries', () => {
    expect(text).toMatch(
      /^request_duration_seconds_bucket\{route="\/kv",le="0\.01"\} 1 # \{trace_id="abc123"\} 0\.0067 \d+\.\d{3}$/m,
    );
    expect(text.match(/ # \{/g)).toHaveLength(1);
    expect(text).toMatch(/^request_duration_seconds_created\{route="\/kv"\} \d+\.\d{3}$/m);
    expect(text).toMatch(/^payload_size_bytes\{kind="json \\"body\\"",quantile="0\.5"\} 512$/m);
    expect(text).toMatch(/^payload_size_bytes_created\{kind="json \\"body\\""\} \d+\.\d{3}$/m);
  });

  it('a counter named without _total gets it on its samples only', () => {
    const m = new Monitor();
    m.counter('cache_evictions', { help: 'Evictions' }).inc(2);
    const om = m.toOpenMetrics();
    expect(om).toContain('# TYPE cache_evictions counter');
    expect(om).toMatch(/^cache_evictions_total 2$/m);
    expect(om).toMatch(/^cache_evictions_created \d+\.\d{3}$/m);
    expect(m.toPrometheus()).toMatch(/^cache_evictions 2$/m);
  });

  it('leaves the classic text as it was: no exemplars, no _created, no EOF', () => {
    const classic = everyFeature().toPrometheus();
    expect(classic).not.toContain('# EOF');
    expect(classic).not.toContain('_created');
    expect(classic).not.toContain('trace_id');
    expect(classic).toMatch(/^queue_depth 7$/m);
  });

  it('rejects bad exemplars before recording anything', () => {
    const m = new Monitor();
    const h = m.histogram('x_seconds');
    expect(() => h.observe(10, { 'bad-name': 'x' })).toThrow(TypeError);
    expect(() => h.observe(10, { trace_id: 'x'.repeat(130) })).toThrow(RangeError);
    expect(h.get().histogram.count).toBe(0);
  });

  it('exposition() negotiates by Accept', () => {
    const m = everyFeature();
    const prom =
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
    const om = m.exposition(prom);
    expect(om.format).toBe('openmetrics');
    expect(om.contentType).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(om.body.endsWith('# EOF\n')).toBe(true);
    expect(m.exposition(undefined).contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(negotiateFormat('text/plain;version=0.0.4')).toBe('text');
    expect(negotiateFormat('*/*')).toBe('text');
    expect(negotiateFormat('application/openmetrics-text')).toBe('openmetrics');
    expect(negotiateFormat('application/openmetrics-text;version=0.0.1')).toBe('text');
    expect(negotiateFormat('text/plain;q=0.9,application/openmetrics-text;q=0.5')).toBe('text');
    expect(negotiateFormat('application/openmetrics-text;q=0')).toBe('text');
  });
});
