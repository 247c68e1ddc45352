import { mulberry32 } from '@perf/internal';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  parForEach,
  parMap,
  parRange,
  parReduce,
  parSort,
  sharedArray,
  toShared,
  WorkerPool,
} from '../src/index.js';
import { TRACE_FIELDS } from '../src/internal/par-exec.js';
import {
  PHASE_CALL,
  PHASE_COPY_IN,
  PHASE_COPY_OUT,
  PHASE_SPLITTERS,
  traceParallel,
} from '../src/parallel.js';
import { RUNS } from './helpers/runs.js';

const pool2 = new WorkerPool({ threads: 2 });
const pool1 = new WorkerPool({ threads: 1 });
afterAll(async () => {
  await Promise.all([pool2.destroy(), pool1.destroy()]);
});

/** Deterministic pseudo-random numbers, so big inputs cost no fast-check shrinking. */
const random = mulberry32;

const sameElements = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
};

describe('parMap / parForEach / parRange', () => {
  it('parMap equals a sequential map, for every chunking (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { maxLength: 400 }),
        fc.integer({ min: 1, max: 50 }),
        async (values, chunkSize) => {
          const input = Float64Array.from(values);
          const out = await parMap(input, (x, i) => x * 3 + i, { pool: pool2, chunkSize });
          expect(
            sameElements(
              out,
              input.map((x, i) => x * 3 + i),
            ),
          ).toBe(true);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('parMap keeps the input type, writes into a given output and accepts a plain ArrayBuffer input', async () => {
    const input = Int32Array.from({ length: 50_000 }, (_, i) => i - 25_000);
    const out = await parMap(input, (x) => x * 2, { pool: pool2, chunkSize: 1000 });
    expect(out).toBeInstanceOf(Int32Array);
    expect(out[0]).toBe(-50_000);
    const target = new Float32Array(input.length);
    const same = await parMap(input, (x, _i, ctx: { k: number }) => x / ctx.k, {
      pool: pool2,
      output: target,
      context: { k: 4 },
    });
    expect(same).toBe(target);
    expect(target[49_999]).toBe(24_999 / 4);
  });

  it('accepts method-shorthand kernels', async () => {
    const kernels = {
      triple(x: number) {
        return x * 3;
      },
    };
    expect(
      Array.from(await parMap(Float64Array.of(1, 2), kernels.triple, { pool: pool2 })),
    ).toEqual([3, 6]);
  });

  it('parForEach and parRange reach every index exactly once', async () => {
    const n = 100_003;
    const hits = sharedArray(Int32Array, n);
    await parForEach(new Float64Array(n), (_x, i, ctx: Int32Array) => Atomics.add(ctx, i, 1), {
      pool: pool2,
      context: hits,
      chunkSize: 777,
    });
    expect(hits.every((h) => h === 1)).toBe(true);
    const ranges = sharedArray(Int32Array, n);
    await parRange(
      n,
      (start, end, ctx: Int32Array) => {
        for (let i = start; i < end; i++) Atomics.add(ctx, i, 1);
      },
      { pool: pool2, context: ranges, chunkSize: 1000 },
    );
    expect(ranges.every((h) => h === 1)).toBe(true);
    await parRange(0, () => {}, { pool: pool2 });
  });
});

describe('useCallingThread: false', () => {
  it('leaves every chunk to the pool and gives the same results', async () => {
    const input = Float64Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 1000);
    const options = { pool: pool2, useCallingThread: false, chunkSize: 4096 };
    const out = await parMap(input, (x) => x + 1, options);
    expect(
      sameElements(
        out,
        input.map((x) => x + 1),
      ),
    ).toBe(true);
    expect(await parReduce(input, (a, x) => a + x, 0, options)).toBe(
      input.reduce((a, b) => a + b, 0),
    );
    const sorted = await parSort(input.slice(), { pool: pool1, useCallingThread: false });
    expect(sameElements(sorted, input.slice().sort())).toBe(true);
  });

  it('keeps the event loop free while the pool works', async () => {
    // The kernel waits for a flag only a timer on this thread sets: it can finish only if this
    // thread's event loop keeps running while the pool computes.
    const flag = sharedArray(Int32Array, 1);
    setTimeout(() => Atomics.store(flag, 0, 1), 1);
    const wait = (x: number, _i: number, f: Int32Array) => {
      while (Atomics.load(f, 0) === 0) {}
      return x + 1;
    };
    const out = await parMap(Float64Array.of(1, 2), wait, {
      pool: pool1,
      useCallingThread: false,
      context: flag,
    });
    expect(Array.from(out)).toEqual([2, 3]);
  });
});

describe('parReduce', () => {
  it('sums integers exactly, in either mode', async () => {
    const input = Int32Array.from({ length: 300_001 }, (_, i) => i % 1000);
    const want = input.reduce((a, b) => a + b, 0);
    expect(await parReduce(input, (a, x) => a + x, 0, { pool: pool2 })).toBe(want);
    expect(await parReduce(input, (a, x) => a + x, 0, { pool: pool2, deterministic: true })).toBe(
      want,
    );
    expect(await parReduce(new Float64Array(0), (a, x) => a + x, 7, { pool: pool2 })).toBe(7);
    expect(
      await parReduce(Float64Array.of(3, 9, 2), (a, x) => Math.max(a, x), -Infinity, {
        pool: pool2,
      }),
    ).toBe(9);
  });

  it('deterministic mode gives bit-identical float sums on any thread count and run', async () => {
    const next = random(42);
    const input = toShared(
      Float64Array.from({ length: 200_000 }, () => (next() - 0.5) * 10 ** Math.floor(next() * 12)),
    );
    const chunked = () => {
      let total = 0;
      for (let s = 0; s < input.length; s += 16_384) {
        let acc = 0;
        for (let i = s; i < Math.min(input.length, s + 16_384); i++) acc += input[i]!;
        total += acc;
      }
      return total;
    };
    const results = await Promise.all(
      [pool1, pool2, pool2, pool1].map((pool) =>
        parReduce(input, (a, x) => a + x, 0, { pool, deterministic: true }),
      ),
    );
    for (const r of results) expect(Object.is(r, chunked())).toBe(true);
  });

  it('uses `combine` for the partial results', async () => {
    const input = Float64Array.from({ length: 100_000 }, (_, i) => i % 7);
    // count elements equal to 3: the reducer counts, combine adds counts
    const count = await parReduce(input, (acc, x) => acc + (x === 3 ? 1 : 0), 0, {
      pool: pool2,
      combine: (a, b) => a + b,
      chunkSize: 1024,
    });
    expect(count).toBe(input.filter((x) => x === 3).length);
  });
});

describe('parSort', () => {
  const special = [
    Number.NaN,
    -0,
    0,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.MIN_VALUE,
    -Number.MAX_VALUE,
  ];
  const patterns: [string, (n: number, next: () => number) => number[]][] = [
    [
      'random with NaN, ±0 and ±Infinity',
      (n, next) =>
        Array.from({ length: n }, () =>
          next() < 0.05 ? special[Math.floor(next() * special.length)]! : next() * 200 - 100,
        ),
    ],
    [
      'few distinct values',
      (n, next) => Array.from({ length: n }, () => Math.floor(next() * 5) - 2),
    ],
    ['already sorted', (n) => Array.from({ length: n }, (_, i) => i)],
    ['reversed', (n) => Array.from({ length: n }, (_, i) => n - i)],
    [
      'all equal zeros of both signs',
      (n, next) => Array.from({ length: n }, () => (next() < 0.5 ? -0 : 0)),
    ],
  ];
  for (const [name, make] of patterns) {
    it(`Float64Array, ${name}: identical to Float64Array.prototype.sort`, async () => {
      const data = Float64Array.from(make(100_001, random(name.length)));
      const want = data.slice().sort();
      const got = await parSort(data, { pool: pool2 });
      expect(got).toBe(data);
      expect(sameElements(got, want)).toBe(true);
    });
  }

  it('all NaN, or NaN with a few numbers: NaN last, like Float64Array.prototype.sort', async () => {
    for (const share of [1, 0.999, 0.5]) {
      const next = random(Math.round(share * 1000));
      const data = Float64Array.from({ length: 70_000 }, () =>
        next() < share ? Number.NaN : next() < 0.5 ? -0 : next() * 10 - 5,
      );
      const want = data.slice().sort();
      expect(sameElements(await parSort(data, { pool: pool2 }), want)).toBe(true);
    }
  });

  it('one value holding most of the input (one bucket takes it all) still sorts exactly', async () => {
    const next = random(7);
    const data = Float64Array.from({ length: 90_000 }, () => (next() < 0.9 ? 3 : next() * 6));
    const want = data.slice().sort();
    expect(sameElements(await parSort(data, { pool: pool2 }), want)).toBe(true);
  });

  it('Float32Array with NaN and ±0, Uint8Array with few values, Int16Array', async () => {
    const next = random(11);
    const inputs = [
      Float32Array.from({ length: 80_000 }, () =>
        next() < 0.1 ? [Number.NaN, -0, 0][Math.floor(next() * 3)]! : next() * 2 - 1,
      ),
      Uint8Array.from({ length: 80_000 }, () => Math.floor(next() * 256)),
      Int16Array.from({ length: 80_000 }, () => Math.floor(next() * 65_536) - 32_768),
    ];
    for (const data of inputs) {
      const want = data.slice().sort();
      expect(sameElements(await parSort(data, { pool: pool2 }), want)).toBe(true);
    }
  });

  it('sorts a shared input where it is, and leaves the work to the pool when asked', async () => {
    const next = random(5);
    const data = toShared(Float64Array.from({ length: 100_000 }, () => next() - 0.5));
    const want = data.slice().sort();
    const got = await parSort(data, { pool: pool2, useCallingThread: false });
    expect(got).toBe(data);
    expect(sameElements(got, want)).toBe(true);
  });

  it('Int32Array and other sizes, on one or two helper threads (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 120_000 }),
        fc.integer(),
        fc.boolean(),
        async (n, seed, two) => {
          const next = random(seed);
          const data = Int32Array.from({ length: n }, () => Math.floor(next() * 2 ** 32) - 2 ** 31);
          const want = data.slice().sort();
          expect(sameElements(await parSort(data, { pool: two ? pool2 : pool1 }), want)).toBe(true);
        },
      ),
      { numRuns: Math.max(5, Math.floor(RUNS / 6)) },
    );
  });
});

describe('parSort against Float64Array.prototype.sort (fast-check)', () => {
  // fast-check draws a palette of doubles (any double, plus NaN, ±0 and ±Infinity drawn on
  // purpose: the double arbitrary alone yields them too rarely to rely on); a seeded generator spreads it over an array long enough to
  // take the parallel path (> 32,768 elements), so shrinking works on the palette, not on 10^5
  // elements.
  it('equals the built-in sort element for element (NaN last, -0 before +0), any pool', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.double(),
            fc.constantFrom(Number.NaN, -0, 0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
          ),
          { minLength: 1, maxLength: 40 },
        ),
        fc.integer({ min: 32_769, max: 90_000 }),
        fc.integer(),
        fc.constantFrom('pool2', 'pool1', 'pool only'),
        async (palette, n, seed, how) => {
          const next = random(seed);
          const data = Float64Array.from({ length: n }, () =>
            next() < 0.3 ? next() * 2e3 - 1e3 : palette[Math.floor(next() * palette.length)]!,
          );
          const want = data.slice().sort();
          const options =
            how === 'pool1'
              ? { pool: pool1 }
              : { pool: pool2, useCallingThread: how === 'pool2' ? undefined : false };
          const got = await parSort(data, options);
          expect(got).toBe(data);
          expect(sameElements(got, want)).toBe(true);
        },
      ),
      { numRuns: Math.max(8, Math.floor(RUNS / 4)) },
    );
  });

  it('back-to-back sorts of different sizes and types (the reused scratch) stay exact', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 32_769, max: 120_000 }), fc.boolean()), {
          minLength: 2,
          maxLength: 4,
        }),
        fc.integer(),
        async (calls, seed) => {
          const next = random(seed);
          for (const [n, f32] of calls) {
            const values = Array.from({ length: n }, () => (next() < 0.01 ? -0 : next() - 0.5));
            const data = f32 ? Float32Array.from(values) : Float64Array.from(values);
            const want = data.slice().sort();
            expect(sameElements(await parSort(data, { pool: pool2 }), want)).toBe(true);
          }
        },
      ),
      { numRuns: Math.max(4, Math.floor(RUNS / 8)) },
    );
  });
});

describe('parMap keeps order (fast-check)', () => {
  it('output[i] is fn(input[i], i) for every i, on any chunking, pool and calling-thread mode', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double(), { minLength: 0, maxLength: 300 }),
        fc.integer({ min: 0, max: 70_000 }),
        fc.option(fc.integer({ min: 1, max: 5000 }), { nil: undefined }),
        fc.boolean(),
        fc.boolean(),
        async (palette, n, chunkSize, two, caller) => {
          const input = Float64Array.from({ length: n }, (_, i) =>
            palette.length === 0 ? i : palette[i % palette.length]!,
          );
          // The index in the integer part and the value's sign in the fraction: any element
          // computed at the wrong position or dropped shows.
          const out = await parMap(input, (x, i) => i + (Object.is(x, -0) || x < 0 ? 0.25 : 0.5), {
            pool: two ? pool2 : pool1,
            chunkSize,
            useCallingThread: caller,
          });
          const want = input.map((x, i) => i + (Object.is(x, -0) || x < 0 ? 0.25 : 0.5));
          expect(sameElements(out, want)).toBe(true);
        },
      ),
      { numRuns: Math.max(10, Math.floor(RUNS / 3)) },
    );
  });
});

describe('the phase trace (bench only)', () => {
  it("records one row per participant and phase of a parSort, and the calling thread's steps", async () => {
    const rows = sharedArray(Float64Array, 1 + TRACE_FIELDS * 64);
    const data = Float64Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 1001);
    const want = data.slice().sort();
    traceParallel(rows);
    try {
      expect(sameElements(await parSort(data, { pool: pool1 }), want)).toBe(true);
    } finally {
      traceParallel(undefined);
    }
    const count = new Int32Array(rows.buffer)[0]!;
    const ops = Array.from({ length: count }, (_, r) => rows[1 + TRACE_FIELDS * r]!);
    // classify, scatter and bucket sorts: the caller and the one pool thread each leave a row
    for (const op of [4, 5, 6]) expect(ops.filter((o) => o === op)).toHaveLength(2);
    for (const op of [PHASE_COPY_IN, PHASE_SPLITTERS, PHASE_COPY_OUT, PHASE_CALL]) {
      expect(ops).toContain(op);
    }
    const chunks = (op: number) =>
      ops.reduce((sum, o, r) => sum + (o === op ? rows[1 + TRACE_FIELDS * r + 8]! : 0), 0);
    expect(chunks(6)).toBe(16); // 2 participants × 8 buckets, each sorted once
    for (let r = 0; r < count; r++) {
      const [wall0, wall1] = [rows[1 + TRACE_FIELDS * r + 2]!, rows[1 + TRACE_FIELDS * r + 3]!];
      expect(wall1).toBeGreaterThanOrEqual(wall0);
    }
  });

  it('rejects a trace buffer that other threads cannot see', () => {
    expect(() => traceParallel(new Float64Array(10))).toThrow(TypeError);
  });
});

describe('parallel errors', () => {
  it('a kernel that throws rejects with TASK_FAILED, wherever it threw', async () => {
    const input = Float64Array.from({ length: 100_000 }, (_, i) => i);
    for (const bad of [0, 99_999, 50_000]) {
      const error = await parMap(
        input,
        (x, _i, ctx: number) => {
          if (x === ctx) throw new RangeError('bad element');
          return x;
        },
        { pool: pool2, chunkSize: 1000, context: bad },
      ).catch((e) => e);
      expect(error).toMatchObject({ code: 'PERF_CONCURRENCY_TASK_FAILED', message: 'bad element' });
    }
    expect((await parMap(input, (x) => x + 1, { pool: pool2 }))[0]).toBe(1); // the pool still works
  });

  it('a kernel that reads outer variables fails loudly instead of computing garbage', async () => {
    const outer = 5;
    const error = await parMap(new Float64Array(10), (x) => x + outer, { pool: pool2 }).catch(
      (e) => e,
    );
    expect(error.code).toBe('PERF_CONCURRENCY_TASK_FAILED');
    expect(error.cause).toBeInstanceOf(ReferenceError);
  });

  it('bad arguments are TypeError/RangeError at once', () => {
    expect(() => parMap([1, 2] as never, (x) => x)).toThrow(TypeError);
    expect(() => parMap(new Float64Array(2), Math.sqrt as never)).toThrow(TypeError);
    expect(() => parMap(new Float64Array(2), 'x => x' as never)).toThrow(TypeError);
    expect(() => parMap(new Float64Array(2), (x) => x, { output: new Float64Array(3) })).toThrow(
      RangeError,
    );
    expect(() => parMap(new Float64Array(2), (x) => x, { chunkSize: 0 })).toThrow(RangeError);
    expect(() => parReduce(new Float64Array(2), (a, x) => a + x, '0' as never)).toThrow(TypeError);
    expect(() => parSort(new BigInt64Array(2) as never)).toThrow(TypeError);
    expect(() => parRange(-1, () => {})).toThrow(RangeError);
    expect(() => parMap(new Float64Array(2), (x) => x, { pool: {} as never })).toThrow(TypeError);
  });
});
