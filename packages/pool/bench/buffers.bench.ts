import { BufferPool } from '../src/index.js';
import { compare } from './print.js';

const LIVE = 64; // buffers in flight, as on a busy socket/file path
const SIZES = [1024, 4096, 16384, 2000]; // mixed request sizes, cycled

/**
 * Each case keeps LIVE buffers in flight and replaces one per operation. Every case has its own
 * loop: one shared loop calling `get`/`put` callbacks would go megamorphic and slow all alike.
 */
export async function bufferSuite(): Promise<void> {
  const unsafe: Buffer[] = SIZES.flatMap((n) =>
    Array.from({ length: LIVE / 4 }, () => Buffer.allocUnsafe(n)),
  );
  const zeroed: Buffer[] = [...unsafe];
  const pool = new BufferPool({ minSize: 1024, maxSize: 65536 });
  const pooled: Buffer[] = Array.from({ length: LIVE }, (_, i) => pool.acquire(SIZES[i & 3]!));
  await compare(
    'BufferPool: replace one of 64 in-flight buffers (1–16 KiB)',
    [
      {
        name: 'baseline: `Buffer.allocUnsafe(n)` (allocate-and-drop)',
        run: (n) => {
          let s = 0;
          for (let i = 0; i < n; i++) {
            const b = Buffer.allocUnsafe(SIZES[i & 3]!);
            b[0] = i;
            unsafe[i & (LIVE - 1)] = b;
            s = (s + b.length) | 0;
          }
          return s;
        },
      },
      {
        name: '`Buffer.alloc(n)` (zeroed, allocate-and-drop)',
        run: (n) => {
          let s = 0;
          for (let i = 0; i < n; i++) {
            const b = Buffer.alloc(SIZES[i & 3]!);
            b[0] = i;
            zeroed[i & (LIVE - 1)] = b;
            s = (s + b.length) | 0;
          }
          return s;
        },
      },
      {
        name: '@perf/pool `BufferPool` acquire + release',
        run: (n) => {
          let s = 0;
          for (let i = 0; i < n; i++) {
            const j = i & (LIVE - 1);
            pool.release(pooled[j]!);
            const b = pool.acquire(SIZES[i & 3]!);
            b[0] = i;
            pooled[j] = b;
            s = (s + b.length) | 0;
          }
          return s;
        },
      },
    ],
    { ops: 100_000 },
  );
}
