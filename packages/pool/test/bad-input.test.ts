import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BufferPool,
  Bytes,
  BytesMut,
  defineStruct,
  ObjectPool,
  PoolError,
  SharedSlab,
  Slab,
} from '../src/index.js';
import { RUNS } from './helpers.js';

/**
 * Fuzzed arguments for every entry point: each call either succeeds or throws a TypeError,
 * RangeError or coded PoolError — never another error, never a hang — and a failed call leaves
 * the structure consistent (checked by using it normally afterwards).
 */
function typedFailure(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    const ok = e instanceof TypeError || e instanceof RangeError || PoolError.is(e);
    if (!ok) throw e;
  }
}

// Numbers stay below ~64 KiB as sizes: a valid huge size would really allocate gigabytes.
const junk = fc.oneof(
  fc.anything().filter((v) => typeof v !== 'number' || Math.abs(v) < 65536),
  fc.double({ min: -1e5, max: 1e5 }),
  fc.integer({ min: -10, max: 4096 }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 2 ** 53, 0.5, 8, 16, 'u8', 'f64', null),
);

describe('bad input gets typed errors', () => {
  it('constructors and defineStruct', () => {
    fc.assert(
      fc.property(junk, junk, junk, (a, b, c) => {
        typedFailure(() => new Slab({ blockSize: a, blockCount: b, onExhausted: c } as never));
        typedFailure(() => new SharedSlab({ blockSize: a, blockCount: b } as never));
        typedFailure(() => new BufferPool({ minSize: a, maxSize: b, budget: c } as never));
        typedFailure(
          () => new ObjectPool({ create: () => ({}), capacity: a, prefill: b } as never),
        );
        typedFailure(() => new BytesMut(a as never));
        typedFailure(() => defineStruct({ x: a, y: b } as never));
        typedFailure(() => defineStruct(a as never));
        typedFailure(() => SharedSlab.attach(a as never));
        typedFailure(() => Bytes.wrap(a as never));
        typedFailure(() => Bytes.copyFrom(a as never));
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('methods, with the structure still consistent afterwards', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(11), junk, junk), { maxLength: 40 }), (calls) => {
        const slab = new Slab({ blockSize: 16, blockCount: 4, onExhausted: 'return' });
        const buffers = new BufferPool({ minSize: 64, maxSize: 1024, budget: 4096 });
        const S = defineStruct({ a: 'f64', b: 'u8' });
        const store = S.soa(2);
        store.push();
        const bytes = Bytes.copyFrom('0123456789');
        const mut = new BytesMut(4);
        for (const [which, x, y] of calls) {
          const ops: (() => unknown)[] = [
            () => slab.free(x as never),
            () => slab.f64(x as never),
            () => buffers.acquire(x as never),
            () => buffers.release(x as never),
            () => buffers.trim(x as never),
            () => store.get(x as never, y as never),
            () => store.set(x as never, 'a', y as never),
            () => store.reserve(x as never),
            () => bytes.slice(x as never, y as never).length,
            () => bytes.getU32LE(x as never),
            () => mut.splitTo(x as never),
            () => mut.putU16BE(x as never).putI8(y as never),
          ];
          typedFailure(ops[which]!);
        }
        // Still usable and consistent.
        const h = slab.alloc();
        if (h !== -1) slab.free(h);
        expect(slab.used).toBe(0);
        const s = buffers.stats();
        expect(s.bytesInUse + s.bytesIdle).toBeLessThanOrEqual(4096);
        store.push({ a: 1.5 });
        expect(store.get(store.length - 1, 'a')).toBe(1.5);
        mut.putU8(7);
        expect(mut.get(mut.length - 1)).toBe(7);
      }),
      { numRuns: RUNS * 2 },
    );
  });
});
