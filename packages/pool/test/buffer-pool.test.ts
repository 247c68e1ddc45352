import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BufferPool, PoolError } from '../src/index.js';
import { catchError, RUNS } from './helpers.js';

describe('BufferPool', () => {
  it('rounds requests up to power-of-two classes and reuses released buffers', () => {
    const pool = new BufferPool({ minSize: 64, maxSize: 4096 });
    expect(pool.sizeClassOf(0)).toBe(64);
    expect(pool.sizeClassOf(64)).toBe(64);
    expect(pool.sizeClassOf(65)).toBe(128);
    expect(pool.sizeClassOf(4096)).toBe(4096);
    expect(pool.sizeClassOf(5000)).toBe(5000);
    const a = pool.acquire(100);
    expect(a).toBeInstanceOf(Buffer);
    expect(a.length).toBe(128);
    pool.release(a);
    expect(pool.acquire(128)).toBe(a);
    expect(pool.acquire(100)).not.toBe(a);
    expect(pool.stats()).toMatchObject({ created: 2, reused: 1, bytesInUse: 256, bytesIdle: 0 });
  });

  it('serves requests above maxSize unpooled and lets them go on release', () => {
    const pool = new BufferPool({ minSize: 64, maxSize: 256 });
    const big = pool.acquire(1000);
    expect(big.length).toBe(1000);
    pool.release(big);
    expect(pool.stats()).toMatchObject({ unpooled: 1, bytesInUse: 0, bytesIdle: 0 });
    expect(catchError(() => pool.release(big))).toMatchObject({ code: 'PERF_POOL_DOUBLE_RELEASE' });
  });

  it('detects double release and foreign buffers, including subarrays and other pools', () => {
    const pool = new BufferPool();
    const other = new BufferPool();
    const a = pool.acquire(10);
    for (const foreign of [
      Buffer.alloc(256),
      a.subarray(0, 10),
      new Uint8Array(256),
      other.acquire(10),
    ]) {
      const err = catchError(() => pool.release(foreign));
      expect(PoolError.is(err)).toBe(true);
      expect(err).toMatchObject({
        code: 'PERF_POOL_FOREIGN_OBJECT',
        name: 'PoolForeignObjectError',
      });
    }
    pool.release(a);
    expect(catchError(() => pool.release(a))).toMatchObject({ code: 'PERF_POOL_DOUBLE_RELEASE' });
    expect(pool.stats().bytesIdle).toBe(256);
  });

  it('keeps owned bytes under the budget: drops idle buffers of other classes first', () => {
    const pool = new BufferPool({ minSize: 64, maxSize: 1024, budget: 1024 });
    const small = [pool.acquire(64), pool.acquire(64), pool.acquire(128)];
    for (const b of small) pool.release(b);
    expect(pool.stats().bytesIdle).toBe(256);
    const big = pool.acquire(1024); // needs all 1024: the 256 idle bytes must go
    expect(big.length).toBe(1024);
    expect(pool.stats()).toMatchObject({ bytesIdle: 0, bytesInUse: 1024, dropped: 3 });
  });

  it('is exhausted past the budget: acquire throws PERF_POOL_EXHAUSTED, tryAcquire returns null', () => {
    const pool = new BufferPool({ minSize: 64, maxSize: 256, budget: 512 });
    const held = [pool.acquire(256), pool.acquire(256)];
    const err = catchError(() => pool.acquire(1));
    expect(err).toMatchObject({ code: 'PERF_POOL_EXHAUSTED', limit: 512, requested: 64 });
    expect(pool.tryAcquire(1)).toBeNull();
    expect(pool.stats().exhausted).toBe(2);
    pool.release(held[0]!);
    expect(pool.tryAcquire(1)).not.toBeNull(); // the idle 256 is dropped to make room
  });

  it('zeroFill hands out zeroed buffers', () => {
    const pool = new BufferPool({ minSize: 64, zeroFill: true });
    const a = pool.acquire(64);
    a.fill(7);
    pool.release(a);
    const b = pool.acquire(64);
    expect(b).toBe(a);
    expect(b.every((x) => x === 0)).toBe(true);
  });

  it('trim drops idle buffers down to a byte target', () => {
    const pool = new BufferPool({ minSize: 64, maxSize: 1024 });
    const bs = [pool.acquire(1024), pool.acquire(64), pool.acquire(64)];
    for (const b of bs) pool.release(b);
    pool.trim(128);
    expect(pool.stats().bytesIdle).toBe(128);
    pool.trim();
    expect(pool.stats().bytesIdle).toBe(0);
  });

  it('rejects bad options and sizes with TypeError/RangeError', () => {
    expect(() => new BufferPool({ minSize: 100 })).toThrow(RangeError);
    expect(() => new BufferPool({ minSize: 0 })).toThrow(RangeError);
    expect(() => new BufferPool({ minSize: 512, maxSize: 256 })).toThrow(RangeError);
    expect(() => new BufferPool({ budget: -1 })).toThrow(RangeError);
    expect(() => new BufferPool({ zeroFill: 1 as never })).toThrow(TypeError);
    expect(() => new BufferPool(5 as never)).toThrow(TypeError);
    const pool = new BufferPool();
    for (const bad of [-1, 1.5, Number.NaN, '8', null, 2 ** 32]) {
      expect(() => pool.acquire(bad as number)).toThrow(
        bad === -1 || bad === 2 ** 32 ? RangeError : TypeError,
      );
    }
    expect(() => pool.release(null as never)).toThrow(TypeError);
  });

  it('matches a model under random acquire/release: distinct buffers, budget kept, nothing lost', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4096 }),
        fc.array(
          fc.oneof(
            fc.record({
              op: fc.constant('acquire' as const),
              size: fc.integer({ min: 0, max: 1500 }),
            }),
            fc.record({ op: fc.constant('release' as const), pick: fc.nat() }),
            fc.record({
              op: fc.constant('trim' as const),
              keep: fc.integer({ min: 0, max: 2048 }),
            }),
          ),
          { maxLength: 150 },
        ),
        (budget, ops) => {
          const pool = new BufferPool({ minSize: 32, maxSize: 1024, budget });
          const out = new Map<Buffer, number>(); // buffer → byte stamped into it
          let inUse = 0;
          let stamp = 0;
          for (const o of ops) {
            if (o.op === 'acquire') {
              const b = pool.tryAcquire(o.size);
              const cls = pool.sizeClassOf(o.size);
              if (b === null) {
                expect(cls).toBeLessThanOrEqual(1024);
                expect(inUse + cls).toBeGreaterThan(budget);
                continue;
              }
              expect(b.length).toBe(cls);
              expect(out.has(b)).toBe(false);
              stamp = (stamp + 1) & 0xff;
              b.fill(stamp);
              out.set(b, stamp);
              if (cls <= 1024) inUse += cls;
            } else if (o.op === 'release' && out.size > 0) {
              const b = [...out.keys()][o.pick % out.size]!;
              out.delete(b);
              pool.release(b);
              if (b.length <= 1024) inUse -= b.length;
            } else if (o.op === 'trim') {
              pool.trim(o.keep);
              expect(pool.stats().bytesIdle).toBeLessThanOrEqual(o.keep);
            }
            const s = pool.stats();
            expect(s.bytesInUse).toBe(inUse);
            expect(s.bytesInUse + s.bytesIdle).toBeLessThanOrEqual(budget);
            for (const [b, v] of out) expect(b[0] === v && b[b.length - 1] === v).toBe(true);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
