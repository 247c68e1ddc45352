import fc from 'fast-check';
import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { CorruptHistogramError, Histogram } from '../src/index.js';

const RUNS = Number(process.env.PERF_FUZZ_RUNS ?? 30);
const values = fc.array(
  fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 3_600_000_000 })),
  {
    maxLength: 1500,
  },
);

const bucketsOf = (h: Histogram) => [...h];

/** Count of the bucket holding `value` in an hdr-histogram-js JS histogram (internal API). */
function countAt(t: hdr.Histogram, value: number): number {
  const js = t as unknown as {
    countsArrayIndex(v: number): number;
    getCountAtIndex(i: number): number;
  };
  return js.getCountAtIndex(js.countsArrayIndex(value));
}

describe('merge', () => {
  it('equals recording everything into one histogram', () => {
    fc.assert(
      fc.property(values, values, (a, b) => {
        const ha = new Histogram();
        const hb = new Histogram();
        const all = new Histogram();
        ha.recordMany(a);
        hb.recordMany(b);
        all.recordMany(a);
        all.recordMany(b);
        ha.merge(hb);
        expect(bucketsOf(ha)).toEqual(bucketsOf(all));
        expect(ha.count).toBe(all.count);
        expect(ha.min).toBe(all.min);
        expect(ha.max).toBe(all.max);
      }),
      { numRuns: RUNS },
    );
  });

  it('re-buckets a histogram of another layout by its bucket values', () => {
    const coarse = new Histogram({ significantDigits: 2 });
    const fine = new Histogram({ significantDigits: 4, highest: 1e7 });
    fine.recordMany([1, 10, 100, 1000, 123_456]);
    coarse.merge(fine);
    expect(coarse.count).toBe(5);
    expect(coarse.percentile(100)).toBeGreaterThanOrEqual(123_000);
  });

  it('widens Uint32 counts instead of wrapping when a bucket passes 2^32 - 1', () => {
    const h = new Histogram();
    const encoded = (() => {
      // Build a histogram holding 2^32 - 1 counts of 7 without recording 4 billion values:
      // decode it from hdr-histogram-js' Float64 histogram.
      const t = hdr.build({
        bitBucketSize: 64,
        highestTrackableValue: 3_600_000_000,
        autoResize: false,
      });
      t.recordValueWithCount(7, 2 ** 32 - 1);
      return hdr.encodeIntoCompressedBase64(t);
    })();
    h.merge(Histogram.decode(encoded));
    h.record(7);
    h.record(7);
    expect(h.count).toBe(2 ** 32 + 1);
    expect([...h]).toEqual([{ lowestValue: 7, highestValue: 7, count: 2 ** 32 + 1 }]);
    expect(Histogram.decode(h.encode()).count).toBe(2 ** 32 + 1);
  });
});

describe('encode / decode', () => {
  it('round-trips counts, layout and percentiles', () => {
    fc.assert(
      fc.property(values, fc.integer({ min: 1, max: 5 }), (vs, digits) => {
        const h = new Histogram({ significantDigits: digits });
        h.recordMany(vs);
        const back = Histogram.decode(h.encode());
        expect(bucketsOf(back)).toEqual(bucketsOf(h));
        expect(back.significantDigits).toBe(digits);
        expect(back.highest).toBe(h.highest);
        for (const p of [0, 50, 99, 100]) expect(back.percentile(p)).toBe(h.percentile(p));
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });

  it('our encoding decodes in hdr-histogram-js with identical counts', () => {
    fc.assert(
      fc.property(values, (vs) => {
        const h = new Histogram();
        h.recordMany(vs);
        const theirs = hdr.decodeFromCompressedBase64(h.encode());
        expect(theirs.totalCount).toBe(h.count);
        const counts: { value: number; count: number }[] = [];
        for (const b of h)
          counts.push({ value: b.lowestValue, count: countAt(theirs, b.lowestValue) });
        expect(counts).toEqual([...h].map((b) => ({ value: b.lowestValue, count: b.count })));
        for (const p of [0, 25, 50, 90, 99, 99.9, 100]) {
          expect(theirs.getValueAtPercentile(p)).toBe(h.percentile(p));
        }
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  });

  it('decodes what hdr-histogram-js encodes (JS 32/64-bit and WASM) with identical counts', async () => {
    await hdr.initWebAssembly();
    for (const build of [
      { bitBucketSize: 32 as const },
      { bitBucketSize: 64 as const },
      { bitBucketSize: 'packed' as const },
      { useWebAssembly: true },
    ]) {
      const t = hdr.build({
        ...build,
        numberOfSignificantValueDigits: 3,
        highestTrackableValue: 1e9,
        autoResize: false,
      });
      const vs = Array.from({ length: 5000 }, (_, i) =>
        Math.floor(((i * 7919) % 900_000_000) / (1 + (i % 13))),
      );
      for (const v of vs) t.recordValue(v);
      const encoded = hdr.encodeIntoCompressedBase64(t);
      const ours = Histogram.decode(encoded);
      expect(ours.count).toBe(t.totalCount);
      for (const p of [0, 10, 50, 90, 99, 99.9, 100])
        expect(ours.percentile(p)).toBe(t.getValueAtPercentile(p));
      // Their JS decoder as the reference for per-bucket counts (WASM has no count accessor).
      const reference = hdr.decodeFromCompressedBase64(encoded, 64);
      let sum = 0;
      for (const b of ours) {
        expect(b.count).toBe(countAt(reference, b.lowestValue));
        sum += b.count;
      }
      expect(sum).toBe(t.totalCount);
      t.destroy();
    }
  });

  it('rejects corrupt input with PERF_MONITOR_CORRUPT_HISTOGRAM, never a half-read histogram', () => {
    const h = new Histogram();
    h.recordMany([1, 2, 3, 1000, 1_000_000]);
    const good = Buffer.from(h.encode(), 'base64');
    const bad = ['', 'AAAA', 'not base64 at all!!', Buffer.from('HISTFAAAA').toString('base64')];
    for (let cut = 1; cut < good.length; cut += 3)
      bad.push(good.subarray(0, cut).toString('base64'));
    for (const s of bad) {
      expect(() => Histogram.decode(s), s).toThrow(CorruptHistogramError);
      try {
        Histogram.decode(s);
      } catch (e) {
        expect((e as CorruptHistogramError).code).toBe('PERF_MONITOR_CORRUPT_HISTOGRAM');
      }
    }
  });

  it('fuzzed bytes either decode to a consistent histogram or throw the typed error', () => {
    const h = new Histogram();
    h.recordMany([5, 50, 500, 5000, 50_000]);
    const good = Buffer.from(h.encode(), 'base64');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: good.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        (at, byte) => {
          const b = Buffer.from(good);
          b[at] = byte;
          let back: Histogram;
          try {
            back = Histogram.decode(b.toString('base64'));
          } catch (e) {
            expect((e as CorruptHistogramError).code).toBe('PERF_MONITOR_CORRUPT_HISTOGRAM');
            return;
          }
          expect(back.count).toBe([...back].reduce((s, x) => s + x.count, 0));
        },
      ),
      { numRuns: RUNS * 3 },
    );
  });

  it('throws TypeError for a non-string', () => {
    expect(() => Histogram.decode(42 as unknown as string)).toThrow(TypeError);
  });
});
