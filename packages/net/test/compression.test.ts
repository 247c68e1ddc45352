import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Compressor, type ContentEncoding } from '../src/index.js';
import { codeOf, jsonBytes, RUNS, randomData } from './helpers/data.js';

const CODECS = Compressor.encodings.filter((e) => e !== 'identity') as Exclude<
  ContentEncoding,
  'identity'
>[];
const THRESHOLD = 1024;
const SIZES = [0, 1, THRESHOLD - 1, THRESHOLD, THRESHOLD + 1, 200_000];
const CODEC_BYTE = 3;
/** What a damaged frame may raise; a codec byte flipped to zstd's id reads as "unsupported". */
const TYPED_DECODE_ERRORS = [
  'PERF_NET_CORRUPT_PAYLOAD',
  'PERF_NET_PAYLOAD_TOO_LARGE',
  'PERF_NET_UNSUPPORTED_ENCODING',
];

async function viaStreams(c: Compressor, input: Buffer, chunk = 7_000): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let i = 0; i < input.length; i += chunk) parts.push(input.subarray(i, i + chunk));
  const framed = await buffer(Readable.from(parts).pipe(c.createCompressStream()));
  const out: Buffer[] = [];
  await pipeline(Readable.from([framed]), c.createDecompressStream(), async (source) => {
    for await (const b of source) out.push(b as Buffer);
  });
  return Buffer.concat(out);
}

describe.each(CODECS)('codec %s', (encoding) => {
  const c = new Compressor({ encoding });

  it.each(SIZES)(
    'round-trips %i bytes of JSON and of random bytes, sync, async and streamed',
    async (n) => {
      for (const input of [jsonBytes(n), randomData(n)]) {
        const frame = c.compress(input);
        expect(c.decompress(frame).equals(input)).toBe(true);
        expect((await c.decompressAsync(frame)).equals(input)).toBe(true);
        expect((await c.decompressAsync(await c.compressAsync(input))).equals(input)).toBe(true);
        expect((await viaStreams(c, input)).equals(input)).toBe(true);
      }
    },
  );

  it('stores below the threshold and compresses from it', () => {
    expect(c.compress(jsonBytes(THRESHOLD - 1))[CODEC_BYTE]).toBe(0);
    expect(c.compress(jsonBytes(THRESHOLD))[CODEC_BYTE]).not.toBe(0);
  });

  it('a streamed frame is readable by decompress() and a compress() frame by the stream', async () => {
    const input = jsonBytes(300_000);
    const framed = await buffer(Readable.from([input]).pipe(c.createCompressStream()));
    expect(c.decompress(framed).equals(input)).toBe(true);
    const back = await buffer(Readable.from([c.compress(input)]).pipe(c.createDecompressStream()));
    expect(back.equals(input)).toBe(true);
  });

  it('any truncation of a frame is PERF_NET_CORRUPT_PAYLOAD, never a short result', () => {
    for (const input of [jsonBytes(5_000), randomData(5_000), jsonBytes(10)]) {
      const frame = c.compress(input);
      fc.assert(
        fc.property(fc.integer({ min: 0, max: frame.length - 1 }), (cut) => {
          expect(codeOf(() => c.decompress(frame.subarray(0, cut)))).toBe(
            'PERF_NET_CORRUPT_PAYLOAD',
          );
        }),
        { numRuns: RUNS },
      );
    }
  });

  it('a flipped byte in a compressed frame yields a typed error or the exact original', () => {
    const input = jsonBytes(20_000);
    const frame = c.compress(input);
    expect(frame[CODEC_BYTE]).not.toBe(0);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: frame.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (at, mask) => {
          const bad = Buffer.from(frame);
          bad[at] = bad[at]! ^ mask;
          let out: Buffer | undefined;
          try {
            out = c.decompress(bad);
          } catch (err) {
            expect(TYPED_DECODE_ERRORS).toContain((err as { code?: string }).code);
            return;
          }
          expect(out.equals(input)).toBe(true);
        },
      ),
      { numRuns: RUNS * 3 },
    );
  });

  it('the streaming decoder rejects corrupt and truncated input with typed errors', async () => {
    const input = jsonBytes(100_000);
    const frame = await buffer(Readable.from([input]).pipe(c.createCompressStream()));
    for (const bad of [frame.subarray(0, frame.length - 5), frame.subarray(0, 5)]) {
      const err = await buffer(Readable.from([bad]).pipe(c.createDecompressStream())).catch(
        (e) => e,
      );
      expect(err.code).toBe('PERF_NET_CORRUPT_PAYLOAD');
    }
  });

  it('bounds output: a decompression bomb stops at maxOutputBytes', async () => {
    const small = new Compressor({ encoding, maxOutputBytes: 1 << 20 });
    const bomb = new Compressor({ encoding }).compress(Buffer.alloc(3 << 20));
    expect(bomb.length).toBeLessThan(40_000);
    expect(codeOf(() => small.decompress(bomb))).toBe('PERF_NET_PAYLOAD_TOO_LARGE');
    const raw = new Compressor({ encoding, threshold: 0 }).encodeFor(
      encoding,
      Buffer.alloc(3 << 20),
    );
    expect(raw.encoding).toBe(encoding);
    expect(codeOf(() => small.decode(raw.body, encoding))).toBe('PERF_NET_PAYLOAD_TOO_LARGE');
    const streamed = await buffer(
      Readable.from([Buffer.alloc(3 << 20)]).pipe(
        new Compressor({ encoding }).createCompressStream(),
      ),
    );
    const err = await buffer(Readable.from([streamed]).pipe(small.createDecompressStream())).catch(
      (e) => e,
    );
    expect(err.code).toBe('PERF_NET_PAYLOAD_TOO_LARGE');
  });

  it('decode() of a raw Content-Encoding body rejects garbage with a typed error', () => {
    expect(codeOf(() => c.decode(Buffer.from('definitely not compressed data'), encoding))).toBe(
      'PERF_NET_CORRUPT_PAYLOAD',
    );
  });
});

describe('frames from any codec', () => {
  it('are decoded by a Compressor of another codec (the frame says what it holds)', () => {
    const input = jsonBytes(50_000);
    for (const a of CODECS) {
      for (const b of CODECS) {
        expect(
          new Compressor({ encoding: b })
            .decompress(new Compressor({ encoding: a }).compress(input))
            .equals(input),
        ).toBe(true);
      }
    }
  });

  it('reject a non-frame, an unknown version and an unknown codec', () => {
    const c = new Compressor();
    const frame = c.compress(jsonBytes(5_000));
    expect(codeOf(() => c.decompress(Buffer.from('{"plain":"json"}')))).toBe(
      'PERF_NET_CORRUPT_PAYLOAD',
    );
    const v = Buffer.from(frame);
    v[2] = 9;
    expect(codeOf(() => c.decompress(v))).toBe('PERF_NET_CORRUPT_PAYLOAD');
    const k = Buffer.from(frame);
    k[CODEC_BYTE] = 200;
    expect(codeOf(() => c.decompress(k))).toBe('PERF_NET_CORRUPT_PAYLOAD');
  });

  it('reject a header whose length exceeds the limit before inflating anything', () => {
    const c = new Compressor({ maxOutputBytes: 1000 });
    const frame = new Compressor().compress(jsonBytes(5_000));
    expect(codeOf(() => c.decompress(frame))).toBe('PERF_NET_PAYLOAD_TOO_LARGE');
  });

  it('fuzz: arbitrary bytes never decode silently, and never throw untyped', () => {
    const c = new Compressor({ maxOutputBytes: 1 << 20 });
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2_000 }),
        fc.constantFrom(0, 1, 2, 3),
        (bytes, codec) => {
          // Half the cases get a valid header so the codecs themselves are fuzzed.
          const input = Buffer.from(bytes);
          if (input.length >= 12 && codec > 0) {
            input.set([0xf7, 0x4e, 1, codec, 0, 0, 0x10, 0], 0);
          }
          const code = codeOf(() => c.decompress(input));
          if (code !== undefined) {
            expect(TYPED_DECODE_ERRORS).toContain(code);
          }
        },
      ),
      { numRuns: RUNS * 5 },
    );
  });
});

describe('adaptive compression', () => {
  it('skips full compression of incompressible input after a cheap trial', () => {
    const c = new Compressor();
    const input = randomData(1 << 20);
    const frame = c.compress(input);
    expect(frame[CODEC_BYTE]).toBe(0);
    expect(frame.length).toBe(input.length + 12);
    expect(c.stats()).toMatchObject({ skippedByTrial: 1, discarded: 0, compressed: 0 });
  });

  it('without the trial pays full compression and then discards it', () => {
    const c = new Compressor({ adaptive: false });
    expect(c.compress(randomData(1 << 20))[CODEC_BYTE]).toBe(0);
    expect(c.stats()).toMatchObject({ skippedByTrial: 0, discarded: 1 });
  });

  it('reaches the same output on compressible JSON as always compressing', () => {
    for (const encoding of CODECS) {
      const json = jsonBytes(1 << 20);
      const a = new Compressor({ encoding }).compress(json);
      const b = new Compressor({ encoding, adaptive: false }).compress(json);
      expect(a.equals(b)).toBe(true);
      expect(a.length / json.length).toBeLessThan(0.3);
    }
  });

  it('samples across the input: a random prefix does not hide a compressible body', () => {
    const input = Buffer.concat([randomData(64 * 1024), jsonBytes(1 << 20)]);
    const c = new Compressor();
    expect(c.compress(input)[CODEC_BYTE]).not.toBe(0);
    expect(c.stats().compressed).toBe(1);
  });

  it('keeps compressed output only below minRatio', () => {
    const half = Buffer.concat([randomData(3_000), Buffer.alloc(1_000)]); // ratio ~0.75
    expect(new Compressor({ minRatio: 0.9 }).compress(half)[CODEC_BYTE]).not.toBe(0);
    expect(new Compressor({ minRatio: 0.5 }).compress(half)[CODEC_BYTE]).toBe(0);
  });

  it('brotli defaults to quality 4, not Node’s 11', async () => {
    const { brotliCompressSync, constants } = await import('node:zlib');
    const json = jsonBytes(100_000);
    const q4 = brotliCompressSync(json, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } });
    const ours = new Compressor({ encoding: 'br' }).encodeFor('br', json);
    expect(ours.body.equals(q4)).toBe(true);
  });
});

describe('zstd', () => {
  it('is offered only where the runtime provides it', async () => {
    const zlib = (await import('node:zlib')) as unknown as Record<string, unknown>;
    const has = typeof zlib.zstdCompressSync === 'function';
    expect(Compressor.encodings.includes('zstd')).toBe(has);
    if (!has) {
      expect(codeOf(() => new Compressor({ encoding: 'zstd' }))).toBe(
        'PERF_NET_UNSUPPORTED_ENCODING',
      );
      expect(codeOf(() => new Compressor().decode(Buffer.from('x'), 'zstd'))).toBe(
        'PERF_NET_UNSUPPORTED_ENCODING',
      );
      // A frame written by a runtime with zstd is "unsupported" here, not "corrupt".
      const frame = new Compressor().compress(jsonBytes(4_000));
      frame[CODEC_BYTE] = 4;
      expect(codeOf(() => new Compressor().decompress(frame))).toBe(
        'PERF_NET_UNSUPPORTED_ENCODING',
      );
    }
  });
});

describe('bad arguments', () => {
  it('throw TypeError/RangeError at once', () => {
    expect(() => new Compressor({ threshold: -1 })).toThrow(RangeError);
    expect(() => new Compressor({ threshold: 1.5 })).toThrow(TypeError);
    expect(() => new Compressor({ encoding: 'lz4' as never })).toThrow(TypeError);
    expect(() => new Compressor({ level: 10 })).toThrow(RangeError);
    expect(() => new Compressor({ brotliQuality: 12 })).toThrow(RangeError);
    expect(() => new Compressor().compress('text' as never)).toThrow(TypeError);
    expect(() => new Compressor().decompress(undefined as never)).toThrow(TypeError);
  });
});
