import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BloomFilter } from '../src/index.js';

describe('BloomFilter', () => {
  it('never misses an added key (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.uint8Array({ maxLength: 24 }), { maxLength: 300 }),
        fc.integer({ min: 1, max: 20 }),
        (keys, bits) => {
          const f = BloomFilter.create(keys.length, bits);
          for (const k of keys) f.add(k);
          for (const k of keys) expect(f.has(k)).toBe(true);
          const g = BloomFilter.fromBytes(f.toBytes());
          for (const k of keys) expect(g.has(k)).toBe(true);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('uses the optimal hash count round(bits · ln 2)', () => {
    expect(BloomFilter.create(100, 10).hashCount).toBe(7);
    expect(BloomFilter.create(100, 5).hashCount).toBe(3);
    expect(BloomFilter.create(100, 16).hashCount).toBe(11);
    expect(BloomFilter.create(100, 10).bitCount).toBe(1000);
  });

  it('measures ≤ 1 % false positives at 10 bits/key (theory: 0.82 %)', () => {
    const n = 100_000;
    const f = BloomFilter.create(n, 10);
    for (let i = 0; i < n; i++) f.add(`key-${i}`);
    let fp = 0;
    const trials = 200_000;
    for (let i = 0; i < trials; i++) if (f.has(`absent-${i}`)) fp++;
    const rate = fp / trials;
    expect(rate).toBeLessThanOrEqual(0.01);
    expect(rate).toBeGreaterThan(0.004); // it is a real filter, not an always-false one
    // the estimate from the fill ratio agrees with the measurement
    expect(Math.abs(f.estimatedFalsePositiveRate() - rate)).toBeLessThan(0.002);
  });

  it('accepts strings as their UTF-8 bytes', () => {
    const f = BloomFilter.create(10);
    f.add('héllo');
    expect(f.has(new TextEncoder().encode('héllo'))).toBe(true);
  });

  it('rejects bad arguments with TypeError/RangeError', () => {
    expect(() => BloomFilter.create(-1)).toThrow(RangeError);
    expect(() => BloomFilter.create(1.5)).toThrow(RangeError);
    expect(() => BloomFilter.create(10, 0)).toThrow(RangeError);
    expect(() => BloomFilter.create(10, Number.NaN)).toThrow(RangeError);
    expect(() => BloomFilter.fromBytes(new Uint8Array([0]))).toThrow(RangeError);
    expect(() => BloomFilter.fromBytes(new Uint8Array([1, 2, 3, 99]))).toThrow(RangeError);
    expect(() => BloomFilter.create(10).add(5 as never)).toThrow(TypeError);
  });
});

describe('BloomFilter persisted bytes', () => {
  it('are the same as the filters tables already on disk hold (pinned hash outputs)', async () => {
    const { crc32 } = await import('node:zlib');
    const f = BloomFilter.create(1000, 10);
    for (let i = 0; i < 1000; i++)
      f.add(i % 3 === 0 ? `key-${i}-é` : Buffer.from(`${String(i).padStart(16, '0')}`));
    expect(f.toBytes().length).toBe(1251);
    expect(crc32(f.toBytes()).toString(16)).toBe('3c4faf60');
  });
});
