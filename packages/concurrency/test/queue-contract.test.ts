// One contract suite for every bounded FIFO of numbers (SpscRing and MpmcQueue, Int32 and
// Float64), checked against a plain array oracle with fast-check model-based commands.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MpmcQueue, type NumberType, SpscRing } from '../src/index.js';
import { RUNS } from './helpers/runs.js';

interface NumberQueue {
  readonly capacity: number;
  readonly size: number;
  readonly buffer: SharedArrayBuffer;
  tryPush(value: number): boolean;
  tryPop(): number | undefined;
  push(value: number, timeout?: number): boolean;
  pop(timeout?: number): number | undefined;
  popAsync(timeout?: number): Promise<number | undefined>;
}

interface Impl {
  name: string;
  /** Capacity the implementation really has for a requested power of two. */
  make(capacity: number, type: NumberType): NumberQueue;
  attach(buffer: SharedArrayBuffer): NumberQueue;
}

const impls: Impl[] = [
  {
    name: 'SpscRing',
    make: (capacity, type) => new SpscRing({ capacity, type }),
    attach: (b) => SpscRing.from(b),
  },
  {
    name: 'MpmcQueue',
    make: (capacity, type) => new MpmcQueue({ capacity, type }),
    attach: (b) => MpmcQueue.from(b),
  },
];

const arbitraryOf = (type: NumberType) =>
  type === 'int32'
    ? fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })
    : fc.double({ noNaN: false });

type Cmd = { op: 'push'; value: number } | { op: 'pop' } | { op: 'reattach' };

export function queueContract(impl: Impl): void {
  for (const type of ['int32', 'float64'] as const) {
    describe(`${impl.name} (${type}) queue contract`, () => {
      it('behaves like a bounded array FIFO (model-based)', () => {
        const cmd = fc.oneof(
          { weight: 5, arbitrary: arbitraryOf(type).map((value): Cmd => ({ op: 'push', value })) },
          { weight: 4, arbitrary: fc.constant<Cmd>({ op: 'pop' }) },
          { weight: 1, arbitrary: fc.constant<Cmd>({ op: 'reattach' }) },
        );
        fc.assert(
          fc.property(
            fc.constantFrom(2, 4, 8, 16),
            fc.array(cmd, { maxLength: 300 }),
            (cap, cmds) => {
              let q = impl.make(cap, type);
              const model: number[] = [];
              for (const c of cmds) {
                if (c.op === 'push') {
                  const ok = q.tryPush(c.value);
                  expect(ok).toBe(model.length < cap);
                  if (ok) model.push(c.value);
                } else if (c.op === 'pop') {
                  expect(Object.is(q.tryPop(), model.shift())).toBe(true);
                } else {
                  q = impl.attach(q.buffer); // a second handle sees the same state
                }
                expect(q.size).toBe(model.length);
              }
            },
          ),
          { numRuns: RUNS },
        );
      });

      it('wraps its laps many times without losing order', () => {
        const q = impl.make(4, type);
        let bad = 0;
        for (let i = 0; i < 10_000; i++) {
          if (!q.tryPush(i) || !q.tryPush(i + 1)) bad++;
          if (q.tryPop() !== i || q.tryPop() !== i + 1) bad++;
        }
        expect(bad).toBe(0);
        expect(q.tryPop()).toBeUndefined();
      });

      it('stores int32 values truncated and float64 values exactly', () => {
        const q = impl.make(4, type);
        q.tryPush(1.5);
        q.tryPush(-0);
        expect(q.tryPop()).toBe(type === 'int32' ? 1 : 1.5);
        expect(Object.is(q.tryPop(), type === 'int32' ? 0 : -0)).toBe(true);
      });

      it('blocking push/pop honour their timeout instead of hanging', async () => {
        const q = impl.make(2, type);
        expect(q.pop(5)).toBeUndefined();
        expect(await q.popAsync(5)).toBeUndefined();
        expect(q.push(1, 0)).toBe(true);
        expect(q.push(2, 0)).toBe(true);
        expect(q.push(3, 5)).toBe(false);
        expect(q.pop(0)).toBe(1);
        expect(await q.popAsync(0)).toBe(2);
      });

      it('popAsync resolves when a value arrives later', async () => {
        const q = impl.make(2, type);
        const pending = q.popAsync(10_000);
        setTimeout(() => q.tryPush(7), 5);
        expect(await pending).toBe(7);
      });
    });
  }
}

for (const impl of impls) queueContract(impl);

describe('SpscRing counters', () => {
  it('keep FIFO order across the 2^32 wrap of HEAD/TAIL', () => {
    const first = new SpscRing({ capacity: 8, type: 'int32' });
    const words = new Int32Array(first.buffer);
    words[0] = words[16] = 2 ** 31 - 5; // HEAD, TAIL (see src/internal/ring-layout.ts)
    const ring = SpscRing.from(first.buffer);
    const seen: number[] = [];
    for (let i = 0; i < 40; i++) {
      ring.tryPushMany(Int32Array.of(i, i + 100));
      expect(ring.size).toBe(2);
      seen.push(ring.tryPop()!, ring.tryPop()!);
    }
    expect(seen).toEqual(Array.from({ length: 40 }, (_, i) => [i, i + 100]).flat());
  });
});

describe('SpscRing bulk operations', () => {
  it('match element-by-element operations (model-based)', () => {
    const cmd = fc.oneof(
      fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 80 }).map((v) => ({ push: v })),
      fc.nat({ max: 80 }).map((n) => ({ pop: n })),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(2, 16, 64),
        fc.constantFrom('int32', 'float64'),
        fc.array(cmd, { maxLength: 60 }),
        (cap, type, cmds) => {
          const ring = new SpscRing({ capacity: cap, type: type as NumberType });
          const model: number[] = [];
          for (const c of cmds) {
            if ('push' in c) {
              const src = type === 'int32' ? Int32Array.from(c.push) : Float64Array.from(c.push);
              const n = ring.tryPushMany(src);
              expect(n).toBe(Math.min(c.push.length, cap - model.length));
              model.push(...c.push.slice(0, n));
            } else {
              const out = new Float64Array(c.pop);
              const n = ring.tryPopMany(out);
              expect(Array.from(out.subarray(0, n))).toEqual(model.splice(0, n));
            }
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('accepts plain arrays as well as typed arrays', () => {
    const ring = new SpscRing({ capacity: 8 });
    expect(ring.tryPushMany([1, 2, 3])).toBe(3);
    const out: number[] = [0, 0];
    expect(ring.tryPopMany(out)).toBe(2);
    expect(out).toEqual([1, 2]);
  });
});

describe('MpmcQueue.forcePush', () => {
  it('overwrites the oldest element when full, like crossbeam (model-based)', () => {
    const cmd = fc.oneof(
      fc.integer().map((value) => ({ force: value })),
      fc.integer().map((value) => ({ push: value })),
      fc.constant({ pop: true as const }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.array(cmd, { maxLength: 200 }),
        (cap, cmds) => {
          const q = new MpmcQueue({ capacity: cap, type: 'int32' });
          const model: number[] = [];
          for (const c of cmds) {
            if ('force' in c) {
              const lost = model.length === cap ? model.shift() : undefined;
              model.push(c.force);
              expect(q.forcePush(c.force)).toBe(lost);
            } else if ('push' in c) {
              const ok = model.length < cap;
              if (ok) model.push(c.push);
              expect(q.tryPush(c.push)).toBe(ok);
            } else {
              expect(q.tryPop()).toBe(model.shift());
            }
            expect(q.size).toBe(model.length);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
