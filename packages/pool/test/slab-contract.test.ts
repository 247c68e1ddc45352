import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BlockAllocator,
  PoolError,
  SharedSlab,
  Slab,
  type SlabOptions,
} from '../src/index.js';
import { catchError, RUNS } from './helpers.js';

/**
 * The contract every BlockAllocator keeps, run against Slab and SharedSlab alike.
 */
function slabContract(name: string, make: (opts: SlabOptions) => BlockAllocator): void {
  describe(`${name} (BlockAllocator contract)`, () => {
    it('hands out every block once, then is exhausted with PERF_POOL_EXHAUSTED', () => {
      const slab = make({ blockSize: 16, blockCount: 5 });
      const got = Array.from({ length: 5 }, () => slab.alloc());
      expect([...got].sort()).toEqual([0, 1, 2, 3, 4]);
      expect(slab.used).toBe(5);
      const err = catchError(() => slab.alloc());
      expect(PoolError.is(err)).toBe(true);
      expect(err).toMatchObject({ code: 'PERF_POOL_EXHAUSTED', limit: 5, requested: 1 });
      expect(slab.used).toBe(5);
    });

    it("returns -1 when exhausted with onExhausted: 'return'", () => {
      const slab = make({ blockSize: 8, blockCount: 1, onExhausted: 'return' });
      expect(slab.alloc()).toBe(0);
      expect(slab.alloc()).toBe(-1);
      slab.free(0);
      expect(slab.alloc()).toBe(0);
    });

    it('reuses the most recently freed block first (LIFO keeps caches warm)', () => {
      const slab = make({ blockSize: 8, blockCount: 4 });
      const [a, b] = [slab.alloc(), slab.alloc()];
      slab.free(a);
      slab.free(b);
      expect(slab.alloc()).toBe(b);
      expect(slab.alloc()).toBe(a);
    });

    it('detects double free with PERF_POOL_DOUBLE_RELEASE and keeps its state', () => {
      const slab = make({ blockSize: 8, blockCount: 3 });
      const h = slab.alloc();
      slab.free(h);
      expect(catchError(() => slab.free(h))).toMatchObject({
        code: 'PERF_POOL_DOUBLE_RELEASE',
        handle: h,
        name: 'PoolDoubleReleaseError',
      });
      expect(catchError(() => slab.free(2))).toMatchObject({ code: 'PERF_POOL_DOUBLE_RELEASE' });
      expect(slab.used).toBe(0);
      expect(slab.alloc()).toBe(h);
    });

    it('rejects handles that are not block indices with RangeError', () => {
      const slab = make({ blockSize: 8, blockCount: 3 });
      slab.u8(slab.alloc());
      slab.u8(slab.alloc()); // views of blocks 0 and 1 cached: '1' must not find one
      for (const bad of [-1, 3, 1.5, Number.NaN, '1', '0', null, undefined, 2 ** 32]) {
        expect(() => slab.free(bad as number)).toThrow(RangeError);
        expect(() => slab.u8(bad as number)).toThrow(RangeError);
        expect(() => slab.isAllocated(bad as number)).toThrow(RangeError);
      }
    });

    it('gives cached, aligned, non-overlapping views of each block', () => {
      const slab = make({ blockSize: 24, blockCount: 3 });
      const hs = [slab.alloc(), slab.alloc(), slab.alloc()];
      expect(slab.f64(hs[0]!)).toBe(slab.f64(hs[0]!));
      expect(slab.u8(hs[1]!)).toBe(slab.u8(hs[1]!));
      for (const h of hs) {
        expect(slab.u8(h).length).toBe(24);
        expect(slab.i32(h).length).toBe(6);
        expect(slab.f64(h).length).toBe(3);
        expect(slab.offset(h) % 8).toBe(0);
        expect(slab.u8(h).buffer).toBe(slab.buffer);
        slab.u8(h).fill(h + 1);
      }
      for (const h of hs) expect([...slab.u8(h)].every((b) => b === h + 1)).toBe(true);
      slab.f64(hs[2]!)[2] = Math.PI;
      expect(new Float64Array(slab.buffer, slab.offset(hs[2]!), 3)[2]).toBe(Math.PI);
    });

    it('keeps its header words where the documented layout says (FREE_HEAD 3, TOP 4, USED 5)', () => {
      const slab = make({ blockSize: 8, blockCount: 4 });
      const words = new Int32Array(slab.buffer, 0, 8);
      const [a, b] = [slab.alloc(), slab.alloc()];
      expect([words[3], words[4], words[5]]).toEqual([-1, 2, 2]);
      slab.free(a);
      expect([words[3], words[4], words[5]]).toEqual([a, 2, 1]);
      slab.free(b);
      expect([words[3], words[5]]).toEqual([b, 0]);
      expect(new Int32Array(slab.buffer, slab.offset(b), 1)[0]).toBe(a); // the free-list link
    });

    it('clear frees everything', () => {
      const slab = make({ blockSize: 8, blockCount: 4 });
      slab.alloc();
      slab.alloc();
      slab.clear();
      expect(slab.used).toBe(0);
      expect(slab.isAllocated(0)).toBe(false);
      expect(Array.from({ length: 4 }, () => slab.alloc()).sort()).toEqual([0, 1, 2, 3]);
    });

    it('rejects bad shapes with TypeError/RangeError', () => {
      expect(() => make({ blockSize: 0, blockCount: 1 })).toThrow(RangeError);
      expect(() => make({ blockSize: 12, blockCount: 1 })).toThrow(RangeError);
      expect(() => make({ blockSize: 8, blockCount: 0 })).toThrow(RangeError);
      expect(() => make({ blockSize: 8, blockCount: 2 ** 31 })).toThrow(RangeError);
      expect(() => make({ blockSize: '8' as never, blockCount: 1 })).toThrow(TypeError);
      expect(() => make({ blockSize: 8, blockCount: 1, onExhausted: 'no' as never })).toThrow(
        TypeError,
      );
      expect(() => make(null as never)).toThrow(TypeError);
    });

    it('matches a Set model under random alloc/free: never hands a block out twice, never loses one', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 12 }),
          fc.array(fc.tuple(fc.boolean(), fc.nat(), fc.integer({ min: 0, max: 255 })), {
            maxLength: 300,
          }),
          (count, ops) => {
            const slab = make({ blockSize: 8, blockCount: count, onExhausted: 'return' });
            const live = new Map<number, number>(); // handle → byte written into it
            for (const [alloc, pick, byte] of ops) {
              if (alloc) {
                const h = slab.alloc();
                if (live.size === count) {
                  expect(h).toBe(-1);
                  continue;
                }
                expect(h).toBeGreaterThanOrEqual(0);
                expect(live.has(h)).toBe(false);
                live.set(h, byte);
                slab.u8(h).fill(byte, 4); // bytes 0-3 hold the free-list link once freed
              } else if (live.size > 0) {
                const h = [...live.keys()][pick % live.size]!;
                live.delete(h);
                slab.free(h);
              }
              expect(slab.used).toBe(live.size);
              for (const [h, byte] of live) {
                expect(slab.isAllocated(h)).toBe(true);
                expect(slab.u8(h)[7]).toBe(byte);
              }
            }
            // Nothing lost: every free block can still be allocated.
            let more = 0;
            while (slab.alloc() !== -1) more++;
            expect(more + live.size).toBe(count);
          },
        ),
        { numRuns: RUNS },
      );
    });
  });
}

slabContract('Slab', (o) => new Slab(o));
slabContract('SharedSlab', (o) => new SharedSlab(o));
slabContract('SharedSlab.attach', (o) => SharedSlab.attach(new SharedSlab(o).buffer, o));

describe('SharedSlab.attach', () => {
  it('shares state between two handles on one buffer', () => {
    const a = new SharedSlab({ blockSize: 16, blockCount: 4 });
    const b = SharedSlab.attach(a.buffer);
    expect(b.blockSize).toBe(16);
    expect(b.capacity).toBe(4);
    const h = a.alloc();
    expect(b.isAllocated(h)).toBe(true);
    a.f64(h)[1] = 2.5;
    expect(b.f64(h)[1]).toBe(2.5);
    b.free(h);
    expect(a.used).toBe(0);
    expect(catchError(() => a.free(h))).toMatchObject({ code: 'PERF_POOL_DOUBLE_RELEASE' });
  });

  it('refuses buffers that are not slabs with TypeError', () => {
    expect(() =>
      SharedSlab.attach(new SharedSlab({ blockSize: 8, blockCount: 2 }).buffer.slice(0, 40)),
    ).toThrow(TypeError);
    expect(() => SharedSlab.attach(new SharedArrayBuffer(64))).toThrow(TypeError);
    expect(() => SharedSlab.attach(new SharedArrayBuffer(4))).toThrow(TypeError);
    expect(() => SharedSlab.attach(new ArrayBuffer(64) as never)).toThrow(TypeError);
  });

  it('refuses a buffer with a corrupted header', () => {
    const s = new SharedSlab({ blockSize: 8, blockCount: 2 });
    new Int32Array(s.buffer)[1] = 16; // block size no longer matches the byte length
    expect(() => SharedSlab.attach(s.buffer)).toThrow(TypeError);
  });
});
