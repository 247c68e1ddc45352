import { describe, expect, it } from 'vitest';
import { Monitor } from '../src/index.js';

/** A clock the test moves by hand, in milliseconds. */
function fakeClock() {
  let t = 1000;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('Monitor.measure', () => {
  it('records a sync duration in microseconds and returns the result', () => {
    const clock = fakeClock();
    const m = new Monitor({ now: clock.now });
    const r = m.measure('op', () => {
      clock.advance(2.5);
      return 42;
    });
    expect(r).toBe(42);
    const h = m.histogram('op').get().histogram;
    expect(h.count).toBe(1);
    expect(h.max).toBe(2500);
  });

  it('records the duration when the function throws, and rethrows the same error', () => {
    const clock = fakeClock();
    const m = new Monitor({ now: clock.now });
    const boom = new Error('boom');
    expect(() =>
      m.measure('op', () => {
        clock.advance(1);
        throw boom;
      }),
    ).toThrow(boom);
    expect(m.histogram('op').get().histogram.max).toBe(1000);
  });

  it('records async durations when the promise settles, resolved or rejected', async () => {
    const clock = fakeClock();
    const m = new Monitor({ now: clock.now });
    const ok = m.measure(
      'io',
      async () => {
        await Promise.resolve();
        clock.advance(7);
        return 'v';
      },
      { route: '/a' },
    );
    expect(m.histogram('io').labels({ route: '/a' }).histogram.count).toBe(0);
    await expect(ok).resolves.toBe('v');
    const failed = m.measure(
      'io',
      async () => {
        clock.advance(3);
        throw new Error('no');
      },
      { route: '/a' },
    );
    await expect(failed).rejects.toThrow('no');
    const h = m.histogram('io').labels({ route: '/a' }).histogram;
    expect(h.count).toBe(2);
    expect([...h].map((b) => b.lowestValue)).toEqual([3000, 7000]);
  });

  it('timers record elapsed microseconds', () => {
    const clock = fakeClock();
    const m = new Monitor({ now: clock.now });
    const stop = m.startTimer('t', undefined);
    clock.advance(0.25);
    expect(stop()).toBe(250);
    const stop2 = m.histogram('t2', { labelNames: ['k'] }).startTimer({ k: 'x' });
    clock.advance(1);
    expect(stop2()).toBe(1000);
    expect(m.histogram('t2').labels({ k: 'x' }).sum).toBe(1000);
  });

  it('rejects a non-function', () => {
    expect(() => new Monitor().measure('x', 5 as never)).toThrow(TypeError);
  });
});

describe('Monitor registry', () => {
  it('returns the same family for the same name and type', () => {
    const m = new Monitor();
    expect(m.counter('c')).toBe(m.counter('c'));
    expect(m.histogram('h')).toBe(m.histogram('h'));
  });

  it('refuses a name registered as another type, or with other label names', () => {
    const m = new Monitor();
    m.counter('x');
    expect(() => m.gauge('x')).toThrow(TypeError);
    expect(() => m.histogram('x')).toThrow(TypeError);
    expect(() => m.measure('x', () => 1)).toThrow(TypeError);
    m.gauge('g', { labelNames: ['a'] });
    expect(() => m.gauge('g', { labelNames: ['b'] })).toThrow(TypeError);
  });

  it.each([
    () => new Monitor().counter('1bad'),
    () => new Monitor().counter('has space'),
    () => new Monitor().counter('ok', { labelNames: ['__reserved'] }),
    () => new Monitor().counter('ok', { labelNames: ['a', 'a'] }),
    () => new Monitor().histogram('ok', { labelNames: ['le'] }),
    () => new Monitor().counter('c', { labelNames: ['a'] }).inc(),
    () => new Monitor().counter('c', { labelNames: ['a'] }).inc({ b: 'x' }),
    () => new Monitor().counter('c', { labelNames: ['a'] }).inc({ a: 'x', b: 'y' }),
    () => new Monitor().counter('c', { labelNames: ['a'] }).inc({ a: null as never }),
    () => new Monitor().counter('c').inc({ a: 'x' }),
    () => new Monitor({ now: 5 as never }),
  ])('throws TypeError for a programmer mistake (%#)', (f) => {
    expect(f).toThrow(TypeError);
  });

  it.each([
    () => new Monitor().counter('c').inc(-1),
    () => new Monitor().counter('c').inc(Number.NaN),
    () => new Monitor().counter('c').inc(Number.POSITIVE_INFINITY),
    () => new Monitor().gauge('g').set(Number.NaN),
    () => new Monitor().gauge('g').inc(Number.POSITIVE_INFINITY),
    () => new Monitor().histogram('h').observe(-5),
    () => new Monitor().histogram('ok', { buckets: [2, 1] }),
    () => new Monitor().histogram('ok', { significantDigits: 9 }),
    () => new Monitor().histogram('h').observe(Number.NaN),
  ])('throws RangeError for a bad value (%#) and is rejected', (f) => {
    expect(f).toThrow(RangeError);
  });

  it('a rejected observation leaves buckets, sum and histogram untouched', () => {
    const m = new Monitor();
    const h = m.histogram('h');
    h.observe(10);
    expect(() => h.observe(Number.NaN)).toThrow(RangeError);
    expect(h.get().sum).toBe(10);
    expect(h.get().histogram.count).toBe(1);
    expect(h.get().cumulativeCounts().at(-1)).toEqual({ le: Number.POSITIVE_INFINITY, count: 1 });
  });

  it('counters and gauges keep values per label set; numbers and strings name the same series', () => {
    const m = new Monitor();
    const c = m.counter('req', { labelNames: ['code'] });
    c.inc({ code: 200 });
    c.inc({ code: '200' }, 2);
    c.inc({ code: 500 });
    expect(c.get({ code: 200 })).toBe(3);
    expect(c.get({ code: '500' })).toBe(1);
    const g = m.gauge('inflight');
    g.inc();
    g.inc(5);
    g.dec(2);
    expect(g.get()).toBe(4);
    g.set(-1.5);
    expect(g.get()).toBe(-1.5);
  });

  it('reset zeroes every series but keeps them', () => {
    const m = new Monitor();
    m.counter('c').inc(3);
    m.histogram('h').observe(5);
    m.reset();
    expect(m.counter('c').get()).toBe(0);
    expect(m.histogram('h').get().histogram.count).toBe(0);
    expect(m.summary().counters).toHaveLength(1);
  });
});

describe('summary and formatSummary', () => {
  it('summarises every series as data', () => {
    const m = new Monitor();
    const h = m.histogram('lat', { labelNames: ['route'] });
    for (let i = 1; i <= 1000; i++) h.observe({ route: '/kv' }, i * 100);
    m.counter('req').inc(7);
    m.gauge('g').set(2);
    const s = m.summary();
    expect(s.counters).toEqual([{ name: 'req', labels: {}, value: 7 }]);
    expect(s.gauges).toEqual([{ name: 'g', labels: {}, value: 2 }]);
    const lat = s.histograms[0]!;
    expect(lat.labels).toEqual({ route: '/kv' });
    expect(lat.count).toBe(1000);
    expect(lat.min).toBe(100);
    expect(lat.max).toBe(100_000);
    expect(lat.p50).toBeGreaterThanOrEqual(50_000);
    expect(lat.p50).toBeLessThanOrEqual(50_050);
    expect(lat.p999).toBeGreaterThanOrEqual(99_900);
  });

  it('formats an aligned table', () => {
    const m = new Monitor();
    m.histogram('a_long_name', { labelNames: ['r'] }).observe({ r: 'x' }, 1500);
    m.histogram('b').observe(25_000);
    m.counter('hits').inc(12);
    const text = m.formatSummary();
    const lines = text.split('\n');
    expect(lines[0]).toMatch(
      /^histogram \(ms\)\s+count\s+mean\s+min\s+p50\s+p95\s+p99\s+p99\.9\s+max$/,
    );
    expect(lines[1]).toMatch(/^a_long_name\{r="x"\}\s+1\s+1\.500\s+1\.500/);
    // Right-aligned columns end at the same offsets on every row of a block.
    expect(lines[1]!.length).toBe(lines[0]!.length);
    expect(lines[2]!.length).toBe(lines[0]!.length);
    expect(text).toContain('hits');
    expect(m.formatSummary({ divisor: 1, unit: 'us', decimals: 0 })).toContain('histogram (us)');
  });
});

describe('measure name cache', () => {
  it('a bad name is rejected before fn runs, cache or not', () => {
    const m = new Monitor();
    let ran = 0;
    expect(() => m.measure(undefined as never, () => ran++)).toThrow(TypeError);
    m.measure('ok', () => ran++);
    expect(() => m.measure('not ok' as never, () => ran++)).toThrow(TypeError);
    expect(ran).toBe(1);
    m.counter('c');
    expect(() => m.measure('c', () => ran++)).toThrow(TypeError);
    expect(ran).toBe(1);
    expect(m.histogram('ok').get().histogram.count).toBe(1);
  });
});
