import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ObjectPool, PoolError } from '../src/index.js';
import { catchError, RUNS } from './helpers.js';

interface Rec {
  id: number;
  next: Rec | null;
}

const make = (): Rec => ({ id: 0, next: null });

describe('ObjectPool', () => {
  it('prefills, reuses before creating, and counts', () => {
    let created = 0;
    const pool = new ObjectPool({
      create: () => {
        created++;
        return make();
      },
      prefill: 3,
      capacity: 4,
    });
    expect(created).toBe(3);
    expect(pool.size).toBe(3);
    const got = [pool.acquire(), pool.acquire(), pool.acquire(), pool.acquire()];
    expect(new Set(got).size).toBe(4);
    expect(pool.stats()).toEqual({ created: 4, reused: 3, dropped: 0, inUse: 4, idle: 0 });
  });

  it('runs the reset hook on release so a reused object carries no state', () => {
    const pool = new ObjectPool({
      create: make,
      reset: (r) => {
        r.id = 0;
        r.next = null;
      },
    });
    const a = pool.acquire();
    a.id = 42;
    a.next = a;
    pool.release(a);
    const b = pool.acquire();
    expect(b).toBe(a);
    expect(b).toEqual({ id: 0, next: null });
  });

  it('drops releases beyond capacity (the seed rule) and counts them', () => {
    const pool = new ObjectPool({ create: make, capacity: 2 });
    const objs = [pool.acquire(), pool.acquire(), pool.acquire()];
    for (const o of objs) pool.release(o);
    expect(pool.size).toBe(2);
    expect(pool.stats().dropped).toBe(1);
    expect(pool.stats().inUse).toBe(0);
  });

  it('capacity 0 never retains anything', () => {
    const pool = new ObjectPool({ create: make, capacity: 0 });
    const a = pool.acquire();
    pool.release(a);
    expect(pool.acquire()).not.toBe(a);
  });

  it('drain lets idle objects go', () => {
    const pool = new ObjectPool({ create: make, prefill: 5, capacity: 8 });
    expect(pool.drain(2)).toBe(2);
    expect(pool.size).toBe(3);
    expect(pool.drain()).toBe(3);
    expect(pool.size).toBe(0);
  });

  describe('debug mode', () => {
    it('detects a double release with PERF_POOL_DOUBLE_RELEASE', () => {
      const pool = new ObjectPool({ create: make, debug: true });
      const a = pool.acquire();
      pool.release(a);
      const err = catchError(() => pool.release(a));
      expect(PoolError.is(err)).toBe(true);
      expect((err as PoolError).code).toBe('PERF_POOL_DOUBLE_RELEASE');
      expect(pool.size).toBe(1);
    });

    it('detects releasing a dropped object again', () => {
      const pool = new ObjectPool({ create: make, capacity: 0, debug: true });
      const a = pool.acquire();
      pool.release(a);
      expect(catchError(() => pool.release(a))).toMatchObject({ code: 'PERF_POOL_DOUBLE_RELEASE' });
    });

    it('detects a prefilled object released before it was acquired', () => {
      const pool = new ObjectPool({ create: make, prefill: 1, debug: true });
      const a = pool.acquire();
      pool.release(a);
      expect(catchError(() => pool.release(a))).toMatchObject({ code: 'PERF_POOL_DOUBLE_RELEASE' });
    });

    it('detects a foreign object with PERF_POOL_FOREIGN_OBJECT', () => {
      const pool = new ObjectPool({ create: make, debug: true });
      const other = new ObjectPool({ create: make, debug: true });
      expect(catchError(() => pool.release(make()))).toMatchObject({
        code: 'PERF_POOL_FOREIGN_OBJECT',
        name: 'PoolForeignObjectError',
      });
      expect(catchError(() => pool.release(other.acquire()))).toMatchObject({
        code: 'PERF_POOL_FOREIGN_OBJECT',
      });
    });
  });

  it('rejects bad options and values with TypeError/RangeError', () => {
    expect(() => new ObjectPool(undefined as never)).toThrow(TypeError);
    expect(() => new ObjectPool({} as never)).toThrow(TypeError);
    expect(() => new ObjectPool({ create: make, capacity: -1 })).toThrow(RangeError);
    expect(() => new ObjectPool({ create: make, capacity: 1.5 })).toThrow(TypeError);
    expect(() => new ObjectPool({ create: make, capacity: 2, prefill: 3 })).toThrow(RangeError);
    expect(() => new ObjectPool({ create: make, reset: 1 as never })).toThrow(TypeError);
    expect(() => new ObjectPool({ create: make, debug: 'yes' as never })).toThrow(TypeError);
    expect(() => new ObjectPool({ create: () => 5 as never }).acquire()).toThrow(TypeError);
    const pool = new ObjectPool({ create: make });
    expect(() => pool.release(null as never)).toThrow(TypeError);
    expect(() => pool.release(3 as never)).toThrow(TypeError);
  });

  it('matches a model under random acquire/release sequences (debug on)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 6 }),
        fc.array(fc.tuple(fc.boolean(), fc.nat()), { maxLength: 200 }),
        (capacity, prefillWanted, ops) => {
          const prefill = Math.min(prefillWanted, capacity);
          const pool = new ObjectPool({ create: make, capacity, prefill, debug: true });
          const out: Rec[] = [];
          let idle = prefill;
          let created = prefill;
          let reused = 0;
          let dropped = 0;
          for (const [acquire, pick] of ops) {
            if (acquire || out.length === 0) {
              const o = pool.acquire();
              expect(out).not.toContain(o);
              out.push(o);
              if (idle > 0) {
                idle--;
                reused++;
              } else created++;
            } else {
              const [o] = out.splice(pick % out.length, 1);
              pool.release(o!);
              if (idle < capacity) idle++;
              else dropped++;
            }
            expect(pool.stats()).toEqual({ created, reused, dropped, inUse: out.length, idle });
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
