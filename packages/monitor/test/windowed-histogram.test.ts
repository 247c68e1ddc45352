import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Histogram, WindowedHistogram } from '../src/index.js';

describe('WindowedHistogram', () => {
  it('keeps exactly the values of the last `windows` intervals (model: timestamped list)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(
          fc.tuple(fc.integer({ min: 0, max: 2500 }), fc.integer({ min: 1, max: 100_000 })),
          { maxLength: 200 },
        ),
        (windows, steps) => {
          let t = 0;
          const w = new WindowedHistogram({ windows, intervalMs: 1000, now: () => t });
          const model: { slot: number; value: number }[] = [];
          for (const [advance, value] of steps) {
            t += advance;
            w.tick(); // as a timer would
            w.record(value);
            model.push({ slot: Math.floor(t / 1000), value });
          }
          const snap = w.snapshot();
          const current = Math.floor(t / 1000);
          const kept = model.filter((m) => m.slot > current - windows).map((m) => m.value);
          const expected = new Histogram();
          expected.recordMany(kept);
          expect([...snap]).toEqual([...expected]);
        },
      ),
      { numRuns: Number(process.env.PERF_FUZZ_RUNS ?? 50) },
    );
  });

  it('clears everything after a full lap without looping per interval', () => {
    let t = 0;
    const w = new WindowedHistogram({ windows: 3, intervalMs: 10, now: () => t });
    w.record(5);
    t = 1e12;
    expect(w.tick()).toBe(1e11);
    expect(w.snapshot().count).toBe(0);
    w.record(7);
    expect(w.current.count).toBe(1);
    expect(w.windowMs).toBe(30);
  });

  it('autoRotate runs an unref’d timer and stops', () => {
    const w = new WindowedHistogram({ intervalMs: 5 });
    const stop = w.autoRotate();
    stop();
  });

  it('rejects bad options', () => {
    expect(() => new WindowedHistogram({ windows: 0 })).toThrow(RangeError);
    expect(() => new WindowedHistogram({ intervalMs: 0 })).toThrow(RangeError);
    expect(() => new WindowedHistogram({ significantDigits: 7 })).toThrow(RangeError);
    expect(() => new WindowedHistogram({ now: 'x' as never })).toThrow(TypeError);
    expect(() => new WindowedHistogram().record(-1)).toThrow(RangeError);
  });
});
