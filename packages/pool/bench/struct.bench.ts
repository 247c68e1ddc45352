import { defineStruct } from '../src/index.js';
import { type Case, compare, fmt, printTable } from './print.js';

const N = 1_000_000;
const Seed = defineStruct({ flag1: 'u8', value: 'f64', flag2: 'u8', id: 'i32' });

interface Obj {
  flag1: number;
  value: number;
  flag2: number;
  id: number;
}

/** Heap bytes per record, from heapUsed before/after building `count` of them (needs --expose-gc for precision). */
function bytesPer(count: number, build: () => unknown): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const keep = build();
  gc?.();
  const after = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  (globalThis as { __keep?: unknown }).__keep = keep;
  (globalThis as { __keep?: unknown }).__keep = undefined;
  return (after - before) / count;
}

export async function structSuite(): Promise<void> {
  const objects: Obj[] = [];
  const soa = Seed.soa(N);
  const aos = Seed.aos(N);
  for (let i = 0; i < N; i++) {
    const r = { flag1: i % 10 === 0 ? 1 : 0, value: i * 0.25, flag2: i & 1, id: i };
    objects.push(r);
    soa.push(r);
    aos.push(r);
  }

  // The same records as objects whose heap order no longer matches index order, as happens to
  // long-lived data that is replaced or inserted over time (Fisher-Yates with a fixed
  // multiplicative hash, so every run shuffles alike).
  const scattered = objects.map((o) => ({ ...o }));
  for (let i = N - 1; i > 0; i--) {
    const j = (i * 2654435761) % (i + 1);
    const t = scattered[i]!;
    scattered[i] = scattered[j]!;
    scattered[j] = t;
  }

  const objBytes = bytesPer(N, () =>
    Array.from({ length: N }, (_, i) => ({ flag1: 1, value: i + 0.5, flag2: 0, id: i })),
  );
  const soaBytes = bytesPer(N, () => {
    const s = Seed.soa(N);
    for (let i = 0; i < N; i++) s.push();
    return s;
  });
  printTable(
    'defineStruct: memory per record (the seed record `{ flag1: u8, value: f64, flag2: u8, id: i32 }`)',
    ['layout', 'bytes / record'],
    [
      ['declared order, C layout (`declaredSizeOf`)', String(Seed.declaredSizeOf)],
      ['reordered, packed (`sizeOf`)', String(Seed.sizeOf)],
      ['struct-of-arrays store, measured heap', fmt(soaBytes)],
      ['array of plain objects, measured heap', fmt(objBytes)],
    ],
  );

  // Filtered scan: sum `value` where flag1 === 1, over 1M records.
  const scanObjects: Case = {
    name: 'baseline: array of objects in allocation order, `for` loop',
    run: () => {
      let s = 0;
      for (let i = 0; i < objects.length; i++) {
        const o = objects[i]!;
        if (o.flag1 === 1) s += o.value;
      }
      return s;
    },
  };
  const scanScattered: Case = {
    name: 'array of objects, heap order shuffled, `for` loop',
    run: () => {
      let s = 0;
      for (let i = 0; i < scattered.length; i++) {
        const o = scattered[i]!;
        if (o.flag1 === 1) s += o.value;
      }
      return s;
    },
  };
  // Separate loops per store (a shared helper's loop would go polymorphic over both).
  const soaColumn: Case = {
    name: '@perf/pool struct-of-arrays, generic `column()` stride loop',
    run: () => {
      const f = soa.column('flag1');
      const v = soa.column('value');
      let s = 0;
      for (let i = 0; i < soa.length; i++) {
        if (f.array[i * f.stride + f.offset] === 1) s += v.array[i * v.stride + v.offset]!;
      }
      return s;
    },
  };
  const aosColumn: Case = {
    name: '@perf/pool packed array-of-structs, `column()` stride loop',
    run: () => {
      const f = aos.column('flag1');
      const v = aos.column('value');
      let s = 0;
      for (let i = 0; i < aos.length; i++) {
        if (f.array[i * f.stride + f.offset] === 1) s += v.array[i * v.stride + v.offset]!;
      }
      return s;
    },
  };
  const soaDirect: Case = {
    name: '@perf/pool struct-of-arrays, typed columns',
    run: () => {
      const fa = soa.column('flag1').array as Uint8Array;
      const va = soa.column('value').array as Float64Array;
      const n = soa.length;
      let s = 0;
      for (let i = 0; i < n; i++) if (fa[i] === 1) s += va[i]!;
      return s;
    },
  };
  const record: Case = {
    name: '@perf/pool struct-of-arrays, one moving `at()` record view',
    run: () => {
      const r = soa.at(0);
      let s = 0;
      for (let i = 0; i < soa.length; i++) {
        r.index = i;
        if (r.flag1 === 1) s += r.value;
      }
      return s;
    },
  };
  // ops = N records per run; the harness divides by it, so the table is ns per record.
  await compare(
    'defineStruct: filtered scan over 1M records (sum value where flag1 = 1)',
    [scanObjects, scanScattered, soaDirect, soaColumn, aosColumn, record],
    { ops: N, samples: 15 },
  );
}
