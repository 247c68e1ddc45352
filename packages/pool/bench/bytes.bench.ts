import { Bytes } from '../src/index.js';
import { compare } from './print.js';

// Each op cuts a 100-byte window at a moving offset and reads its length. Every case has its
// own loop (not one shared loop with a callback): a shared loop's call site would see four
// different functions and return types and go megamorphic, slowing every case alike.
const at = (i: number): number => (i * 61) & 0xff80;

export async function bytesSuite(): Promise<void> {
  const buf = Buffer.alloc(64 * 1024, 7);
  const u8 = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
  const bytes = Bytes.wrap(buf);
  await compare(
    'Bytes: take a 100-byte slice of a 64 KiB buffer',
    [
      {
        name: 'baseline: `Buffer.subarray` (view)',
        run: (n) => {
          let s = 0;
          for (let i = 0; i < n; i++) s = (s + buf.subarray(at(i), at(i) + 100).length) | 0;
          return s;
        },
      },
      {
        name: '`Uint8Array.subarray` (view)',
        run: (n) => {
          let s = 0;
          for (let i = 0; i < n; i++) s = (s + u8.subarray(at(i), at(i) + 100).length) | 0;
          return s;
        },
      },
      {
        name: '`Uint8Array.slice` (copy)',
        run: (n) => {
          let s = 0;
          for (let i = 0; i < n; i++) s = (s + u8.slice(at(i), at(i) + 100).length) | 0;
          return s;
        },
      },
      {
        name: '@perf/pool `Bytes.slice` (no copy)',
        run: (n) => {
          let s = 0;
          for (let i = 0; i < n; i++) s = (s + bytes.slice(at(i), at(i) + 100).length) | 0;
          return s;
        },
      },
      {
        name: '@perf/pool `Bytes.slice` + `getU32BE`',
        run: (n) => {
          let s = 0;
          for (let i = 0; i < n; i++) s = (s + bytes.slice(at(i), at(i) + 100).getU32BE(4)) | 0;
          return s;
        },
      },
    ],
    { ops: 500_000 },
  );
}
