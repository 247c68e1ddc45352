import fc from 'fast-check';
import client from 'prom-client';
import { describe, expect, it } from 'vitest';
import { Monitor } from '../src/index.js';
import { parseExposition, sampleSet } from './helpers/exposition.js';

const RUNS = Number(process.env.PERF_FUZZ_RUNS ?? 40);

type Op =
  | { kind: 'counter'; metric: number; route: string; by: number }
  | { kind: 'gauge'; metric: number; route: string; value: number }
  | { kind: 'histogram'; metric: number; route: string; value: number };

const route = fc.oneof(
  fc.constantFrom('/kv', '/metrics', ''),
  fc.string({ maxLength: 6 }),
  fc.constantFrom('a"b', 'c\\d', 'e\nf', 'ünï'),
);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('counter' as const),
    metric: fc.nat(2),
    route,
    by: fc.integer({ min: 0, max: 1000 }),
  }),
  fc.record({
    kind: fc.constant('gauge' as const),
    metric: fc.nat(2),
    route,
    value: fc.integer({ min: -1e6, max: 1e6 }),
  }),
  fc.record({
    kind: fc.constant('histogram' as const),
    metric: fc.nat(2),
    route,
    value: fc.integer({ min: 0, max: 20_000_000 }),
  }),
);

const BUCKETS = [1000, 5000, 25_000, 100_000, 1_000_000];

describe('toPrometheus', () => {
  it('produces valid exposition with the same samples as prom-client for the same operations', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 60 }), async (ops) => {
        const monitor = new Monitor();
        const registry = new client.Registry();
        const theirs = new Map<string, client.Counter | client.Gauge | client.Histogram>();
        for (const o of ops) {
          const name = `${o.kind}_${o.metric}`;
          const labels = { route: o.route };
          if (o.kind === 'counter') {
            monitor
              .counter(name, { labelNames: ['route'], help: 'help of "x" \\ \n' })
              .inc(labels, o.by);
            const c = (theirs.get(name) ??
              new client.Counter({
                name,
                help: 'help of "x" \\ \n',
                labelNames: ['route'],
                registers: [registry],
              })) as client.Counter;
            theirs.set(name, c);
            c.inc(labels, o.by);
          } else if (o.kind === 'gauge') {
            monitor.gauge(name, { labelNames: ['route'] }).set(labels, o.value);
            const g = (theirs.get(name) ??
              new client.Gauge({
                name,
                help: name,
                labelNames: ['route'],
                registers: [registry],
              })) as client.Gauge;
            theirs.set(name, g);
            g.set(labels, o.value);
          } else {
            // Recorded in µs, exposed in seconds; prom-client is fed seconds directly.
            monitor
              .histogram(name, { labelNames: ['route'], buckets: BUCKETS })
              .observe(labels, o.value);
            const h = (theirs.get(name) ??
              new client.Histogram({
                name,
                help: name,
                labelNames: ['route'],
                buckets: BUCKETS.map((b) => b / 1e6),
                registers: [registry],
              })) as client.Histogram;
            theirs.set(name, h);
            h.observe(labels, o.value / 1e6);
          }
        }
        const ours = parseExposition(monitor.toPrometheus());
        const ref = parseExposition(await registry.metrics());
        expect(ours.type).toEqual(ref.type);
        expect(ours.help).toEqual(ref.help);
        // Sums differ only by float rounding order (µs·1e-6 vs summed seconds).
        const round = (s: string[]) =>
          s.map((x) => x.replace(/ (\S+)$/, (_, v) => ` ${Number(Number(v).toPrecision(9))}`));
        expect(round(sampleSet(ours))).toEqual(round(sampleSet(ref)));
      }),
      { numRuns: RUNS },
    );
  });

  it('escapes label values and help text', () => {
    const m = new Monitor();
    m.counter('c', { help: 'line1\nback\\slash', labelNames: ['v'] }).inc({ v: 'q"b\\n\nl' });
    const text = m.toPrometheus();
    expect(text).toContain('# HELP c line1\\nback\\\\slash\n');
    expect(text).toContain('c{v="q\\"b\\\\n\\nl"} 1\n');
    expect(parseExposition(text).samples[0]!.labels.v).toBe('q"b\\n\nl');
  });

  it('renders cumulative buckets, +Inf, _sum and _count in seconds', () => {
    const m = new Monitor();
    const h = m.histogram('lat', { buckets: [5000, 10_000] });
    for (const us of [1000, 5000, 7000, 20_000]) h.observe(us);
    expect(m.toPrometheus()).toBe(
      [
        '# HELP lat lat',
        '# TYPE lat histogram',
        'lat_bucket{le="0.005"} 2',
        'lat_bucket{le="0.01"} 3',
        'lat_bucket{le="+Inf"} 4',
        'lat_sum 0.033',
        'lat_count 4',
        '',
      ].join('\n'),
    );
  });
});
