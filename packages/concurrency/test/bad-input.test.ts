// Programmer mistakes get a TypeError or RangeError at once — never a hang, never a structure
// that silently misbehaves later. Fuzzed with arbitrary values where the domain is wide.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AtomicCounter,
  BigAtomicCounter,
  limit,
  MpmcQueue,
  Semaphore,
  SharedSemaphore,
  SpscByteRing,
  SpscRing,
} from '../src/index.js';
import { RUNS } from './helpers/runs.js';

const isArgError = (e: unknown) => e instanceof TypeError || e instanceof RangeError;
const throwsArgError = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(isArgError(e), String(e)).toBe(true);
    return;
  }
  throw new Error('expected a TypeError or RangeError');
};

describe('bad capacities', () => {
  it.each([0, -1, 3, 6, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 29, '8', null, undefined])(
    'SpscRing/SpscByteRing reject capacity %s',
    (capacity) => {
      throwsArgError(() => new SpscRing({ capacity: capacity as number }));
      throwsArgError(() => new SpscByteRing({ capacity: capacity as number }));
    },
  );

  it('SpscRing needs a power of two, reported as a RangeError', () => {
    expect(() => new SpscRing({ capacity: 12 })).toThrow(RangeError);
    expect(() => new SpscRing({ capacity: 1.5 })).toThrow(TypeError);
    expect(() => new SpscByteRing({ capacity: 8 })).toThrow(RangeError);
  });

  it.each([0, -3, 2.5, Number.NaN, 2 ** 27, 'x'])('MpmcQueue rejects capacity %s', (capacity) => {
    throwsArgError(() => new MpmcQueue({ capacity: capacity as number }));
  });

  it('rejects an unknown slot type', () => {
    expect(() => new SpscRing({ capacity: 8, type: 'int8' as never })).toThrow(TypeError);
    expect(() => new MpmcQueue({ capacity: 8, type: 'bigint' as never })).toThrow(TypeError);
  });

  it('fuzz: any capacity either builds a working ring or throws an argument error', () => {
    fc.assert(
      fc.property(fc.anything(), (capacity) => {
        for (const make of [
          () => new SpscRing({ capacity: capacity as number }),
          () => new MpmcQueue({ capacity: capacity as number }),
        ]) {
          let q: SpscRing | MpmcQueue;
          try {
            q = make();
          } catch (e) {
            expect(isArgError(e)).toBe(true);
            continue;
          }
          expect(q.tryPush(1)).toBe(true);
          expect(q.tryPop()).toBe(1);
        }
      }),
      { numRuns: RUNS * 5 },
    );
  });
});

describe('attaching to the wrong buffer', () => {
  it('refuses non-shared, too small, blank and foreign buffers', () => {
    const ring = new SpscRing({ capacity: 8 });
    const bytes = new SpscByteRing({ capacity: 64 });
    const queue = new MpmcQueue({ capacity: 8 });
    expect(() => SpscRing.from(new ArrayBuffer(1024) as never)).toThrow(TypeError);
    expect(() => SpscRing.from(new SharedArrayBuffer(16))).toThrow(RangeError);
    expect(() => SpscRing.from(new SharedArrayBuffer(4096))).toThrow(TypeError);
    expect(() => SpscRing.from(bytes.buffer)).toThrow(TypeError);
    expect(() => SpscByteRing.from(ring.buffer)).toThrow(TypeError);
    expect(() => MpmcQueue.from(ring.buffer)).toThrow(TypeError);
    expect(() => SpscRing.from(queue.buffer)).toThrow(TypeError);
    expect(() => SharedSemaphore.from(ring.buffer)).toThrow(TypeError);
    // a header that claims more slots than the buffer holds
    expect(() => SpscRing.from(ring.buffer.slice(0, 200) as SharedArrayBuffer)).toThrow(RangeError);
  });

  it('counters check their offset and buffer', () => {
    const sab = new SharedArrayBuffer(16);
    expect(() => AtomicCounter.from(sab, 2)).toThrow(RangeError);
    expect(() => AtomicCounter.from(sab, 16)).toThrow(RangeError);
    expect(() => AtomicCounter.from(new ArrayBuffer(8) as never)).toThrow(TypeError);
    expect(() => BigAtomicCounter.from(sab, 4)).toThrow(RangeError);
  });
});

describe('bad arguments to operations', () => {
  it('timeouts must be non-negative numbers', () => {
    const ring = new SpscRing({ capacity: 2 });
    for (const t of [-1, Number.NaN, '5', null]) {
      expect(() => ring.pop(t as number)).toThrow(TypeError);
      expect(() => ring.push(1, t as number)).toThrow(TypeError);
      expect(() => ring.popAsync(t as number)).toThrow(TypeError);
    }
  });

  it('messages larger than the ring are a RangeError', () => {
    const ring = new SpscByteRing({ capacity: 16 });
    expect(() => ring.tryPush(new Uint8Array(13))).toThrow(RangeError);
    expect(() => ring.push(new Uint8Array(13))).toThrow(RangeError);
  });

  it('counters reject values of the wrong kind', () => {
    const c = new AtomicCounter();
    expect(() => c.fetchAdd(1.5)).toThrow(TypeError);
    expect(() => c.store(2 ** 31)).toThrow(RangeError);
    expect(() => new AtomicCounter(Number.NaN)).toThrow(TypeError);
    const b = new BigAtomicCounter();
    expect(() => b.fetchAdd(1 as never)).toThrow(TypeError);
    expect(() => b.compareExchange(0n, 1 as never)).toThrow(TypeError);
  });

  it('semaphores and limits reject bad permits and concurrency', () => {
    for (const n of [0, -1, 1.5, Number.NaN, '2']) {
      throwsArgError(() => new Semaphore(n as number));
      throwsArgError(() => new SharedSemaphore(n as number));
      throwsArgError(() => limit(n as number));
    }
    const sem = new Semaphore(2);
    expect(() => sem.acquire({ permits: 3 })).toThrow(RangeError);
    expect(() => sem.release()).toThrow(RangeError);
    expect(() => new SharedSemaphore(1).release()).toThrow(RangeError);
    expect(() => limit(1)(42 as never)).toThrow(TypeError);
  });
});
