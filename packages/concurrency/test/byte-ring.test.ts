import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpscByteRing } from '../src/index.js';
import { RUNS } from './helpers/runs.js';

describe('SpscByteRing', () => {
  it('behaves like an array FIFO of byte strings, wrap-around included (model-based)', () => {
    const cmd = fc.oneof(
      fc.uint8Array({ maxLength: 70 }).map((bytes) => ({ push: bytes })),
      fc.boolean().map((into) => ({ pop: true as const, into })),
    );
    fc.assert(
      fc.property(fc.constantFrom(16, 64, 256), fc.array(cmd, { maxLength: 200 }), (cap, cmds) => {
        const ring = new SpscByteRing({ capacity: cap });
        const model: Uint8Array[] = [];
        let used = 0;
        const cost = (n: number) => 4 + ((n + 3) & ~3);
        for (const c of cmds) {
          if ('push' in c) {
            if (c.push.length > ring.maxMessageBytes) {
              expect(() => ring.tryPush(c.push)).toThrow(RangeError);
              continue;
            }
            const ok = cap - used >= cost(c.push.length);
            expect(ring.tryPush(c.push)).toBe(ok);
            if (ok) {
              model.push(c.push.slice());
              used += cost(c.push.length);
            }
          } else {
            const want = model.shift();
            if (want) used -= cost(want.length);
            if (c.into) {
              const target = new Uint8Array(cap);
              const n = ring.tryPopInto(target);
              expect(n).toBe(want ? want.length : -1);
              if (want) expect(target.subarray(0, n)).toEqual(want);
            } else {
              expect(ring.tryPop()).toEqual(want);
            }
          }
          expect(ring.usedBytes).toBe(used);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('copies the message: changing the source after push does not change what is popped', () => {
    const ring = new SpscByteRing({ capacity: 64 });
    const msg = Uint8Array.of(1, 2, 3);
    ring.tryPush(msg);
    msg[0] = 9;
    expect(ring.tryPop()).toEqual(Uint8Array.of(1, 2, 3));
  });

  it('keeps a message queued when tryPopInto gets a target too small', () => {
    const ring = new SpscByteRing({ capacity: 64 });
    ring.tryPush(new Uint8Array(10).fill(7));
    expect(() => ring.tryPopInto(new Uint8Array(4))).toThrow(RangeError);
    expect(ring.tryPop()).toEqual(new Uint8Array(10).fill(7));
  });

  it('carries empty messages and the largest one', () => {
    const ring = new SpscByteRing({ capacity: 32 });
    const big = new Uint8Array(ring.maxMessageBytes).map((_, i) => i);
    expect(ring.tryPush(new Uint8Array(0))).toBe(true);
    expect(ring.tryPop()).toEqual(new Uint8Array(0));
    expect(ring.tryPush(big)).toBe(true);
    expect(ring.tryPush(new Uint8Array(0))).toBe(false);
    expect(ring.tryPop()).toEqual(big);
  });

  it('blocking calls time out instead of hanging', async () => {
    const ring = new SpscByteRing({ capacity: 16 });
    expect(ring.pop(5)).toBeUndefined();
    expect(await ring.popAsync(5)).toBeUndefined();
    expect(ring.push(new Uint8Array(12), 5)).toBe(true);
    expect(ring.push(new Uint8Array(1), 5)).toBe(false);
  });
});
