import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hash32, hash64 } from '../src/index.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

/**
 * Strings mixing ASCII, any UTF-16 unit (lone surrogates included) and astral code points.
 * Built from code points because fast-check's `unit: 'binary'` strings take ~20 ms each here.
 */
const text = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)),
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

describe('hash32 is MurmurHash3_x86_32 of the UTF-8 bytes', () => {
  // Published MurmurHash3_x86_32 vectors (SMHasher's reference implementation).
  const vectors: [string, number, number][] = [
    ['', 0, 0],
    ['', 1, 0x514e28b7],
    ['', 0xffffffff, 0x81f16f39],
    ['\0\0\0\0', 0, 0x2362f9de],
    ['aaaa', 0x9747b28c, 0x5a97808a],
    ['a', 0x9747b28c, 0x7fa09ea6],
    ['ab', 0x9747b28c, 0x74875592],
    ['abc', 0x9747b28c, 0xc84a62dd],
    ['abcd', 0x9747b28c, 0xf0478627],
    ['abc', 0, 0xb3dd93fa],
    ['Hello, world!', 0x9747b28c, 0x24884cba],
    ['ππππππππ', 0x9747b28c, 0xd58063c1],
    ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
  ];

  it.each(vectors)('hash32(%j, %i)', (key, seed, expected) => {
    expect(hash32(key, seed)).toBe(expected);
    expect(hash32(utf8(key), seed)).toBe(expected);
  });

  it('hashes a string exactly as its UTF-8 bytes, ASCII or not', () => {
    fc.assert(
      fc.property(text, fc.integer(), (s, seed) => {
        expect(hash32(s, seed)).toBe(hash32(utf8(s), seed));
        expect([...hash64(s, seed)]).toEqual([...hash64(utf8(s), seed)]);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps working after a key longer than the UTF-8 scratch buffer', () => {
    const long = 'é'.repeat(1000);
    expect(hash32(long)).toBe(hash32(utf8(long)));
    expect(hash32('é')).toBe(hash32(utf8('é')));
  });

  it('throws TypeError for keys that are neither strings nor bytes', () => {
    for (const bad of [undefined, null, 1, {}, [1, 2]]) {
      expect(() => hash32(bad as never)).toThrow(TypeError);
    }
  });
});

describe('hash64', () => {
  it('has hash32 as its low half and a different seed lane as its high half', () => {
    const out = new Uint32Array(2);
    expect(hash64('key', 7, out)).toBe(out);
    expect(out[1]).toBe(hash32('key', 7));
    expect(out[0]).toBe(hash32('key', 7 ^ 0x9e3779b9));
  });

  it('spreads sequential keys evenly over 64 buckets in both halves (chi-square)', () => {
    const buckets = 64;
    const n = 64_000;
    const lo = new Float64Array(buckets);
    const hi = new Float64Array(buckets);
    const out = new Uint32Array(2);
    for (let i = 0; i < n; i++) {
      hash64(`key:${i}`, 0, out);
      lo[out[1]! % buckets]!++;
      hi[out[0]! >>> 26]!++;
    }
    const chi = (counts: Float64Array) =>
      counts.reduce((sum, c) => sum + (c - n / buckets) ** 2 / (n / buckets), 0);
    // 63 degrees of freedom: p = 0.999 at 103.4. A deterministic input, so no flakiness.
    expect(chi(lo)).toBeLessThan(103.4);
    expect(chi(hi)).toBeLessThan(103.4);
  });

  it('avalanches: flipping one input bit flips about half the output bits', () => {
    let flipped = 0;
    let trials = 0;
    const a = new Uint32Array(2);
    const b = new Uint32Array(2);
    for (let k = 0; k < 60; k++) {
      const bytes = utf8(`avalanche-${k}`);
      hash64(bytes, 0, a);
      for (let bit = 0; bit < bytes.length * 8; bit++) {
        const copy = bytes.slice();
        copy[bit >> 3]! ^= 1 << (bit & 7);
        hash64(copy, 0, b);
        flipped += popcount(a[0]! ^ b[0]!) + popcount(a[1]! ^ b[1]!);
        trials += 64;
      }
    }
    expect(flipped / trials).toBeGreaterThan(0.49);
    expect(flipped / trials).toBeLessThan(0.51);
  });
});

function popcount(x: number): number {
  let n = 0;
  for (; x !== 0; x &= x - 1) n++;
  return n;
}
