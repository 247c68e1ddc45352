import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { Compressor } from '../src/index.js';
import { mulberry32 } from '@perf/internal';

// frames-v1.json records, for each codec and input below, the frame that compress() and
// createCompressStream() wrote with the hand-written table CRC-32 and the single-file
// Compressor (Node 20.20.2, zlib 1.3.1, brotli 1.1.0). The frame format is data at rest:
// the same input must keep giving the same bytes, and old frames must keep decoding.
interface Recorded {
  bytes: number;
  head: string;
  tail: string;
  sha256: string;
}
const golden = JSON.parse(
  readFileSync(new URL('./fixtures/frames-v1.json', import.meta.url), 'utf8'),
) as {
  madeWith: { zlib: string; brotli: string };
  frames: {
    encoding: 'gzip' | 'deflate' | 'br';
    input: string;
    whole: Recorded;
    streamed: Recorded;
  }[];
};

const next = mulberry32(7);
const random = Buffer.alloc(40_000);
for (let i = 0; i < random.length; i++) random[i] = Math.floor(next() * 256);
const text = Buffer.from(
  Array.from({ length: 2000 }, (_, i) => `{"id":${i},"name":"user-${i % 97}","ok":true}`).join(
    '\n',
  ),
);
const inputs: Record<string, Buffer> = {
  empty: Buffer.alloc(0),
  tiny: Buffer.from('hi'),
  text,
  random,
  mixed: Buffer.concat([random.subarray(0, 9000), text]),
};

// Compressed payloads are zlib's/brotli's bytes: identical only with the same library build.
const sameLibraries =
  process.versions.zlib === golden.madeWith.zlib &&
  process.versions.brotli === golden.madeWith.brotli;

function summary(frame: Buffer): Recorded {
  return {
    bytes: frame.length,
    head: frame.subarray(0, 12).toString('hex'),
    tail: frame.subarray(-4).toString('hex'),
    sha256: createHash('sha256').update(frame).digest('hex'),
  };
}

function streamOf(input: Buffer): Readable {
  return Readable.from(
    [input.subarray(0, 33_000), input.subarray(33_000)].filter((b) => b.length > 0),
  );
}

describe('frame format v1 stays byte-identical', () => {
  for (const g of golden.frames) {
    it(`${g.encoding} / ${g.input}: compress() and the compress stream write the recorded frame`, async () => {
      const c = new Compressor({ encoding: g.encoding });
      const input = inputs[g.input]!;
      const whole = c.compress(input);
      const streamed = await buffer(streamOf(input).pipe(c.createCompressStream()));
      if (sameLibraries) {
        expect(summary(whole)).toEqual(g.whole);
        expect(summary(Buffer.from(streamed))).toEqual(g.streamed);
      } else {
        // Header fields that do not depend on the compressed bytes: magic, version, codec, length.
        expect(whole.subarray(0, 8).toString('hex')).toBe(g.whole.head.slice(0, 16));
      }
      expect(c.decompress(whole).equals(input)).toBe(true);
      expect(c.decompress(Buffer.from(streamed)).equals(input)).toBe(true);
    });
  }
});
