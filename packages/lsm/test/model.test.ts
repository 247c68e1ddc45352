/**
 * Model-based property test: random sequences of put / delete / batch / flush / compact /
 * reopen / crash / snapshot / iterate / get, run against the store and against a sorted
 * in-memory model (a Map plus a sort), compared after every read. Tiny write buffers and
 * tables force flushes and multi-level compactions within a few dozen operations.
 *
 * `PERF_FUZZ_RUNS` raises the number of runs (default 40).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type IteratorOptions, LsmStore, type Snapshot, type StoreOptions } from '../src/index.js';
import { MemoryFs } from './helpers/memory-fs.js';
import { tempDir } from './helpers/tmp.js';

const RUNS = Number(process.env.PERF_FUZZ_RUNS ?? 40);

type Model = Map<string, string>; // hex key -> hex value
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

// Mostly a small key space (so versions pile up and shadow each other), sometimes any bytes.
const keyArb = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .integer({ min: 0, max: 14 })
      .map((i) => new Uint8Array(i === 0 ? [] : [i >> 2, 0x80 | i, 0xff].slice(0, 1 + (i % 3)))),
  },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 0, maxLength: 3 }) },
);
const valueArb = fc.oneof(
  fc.uint8Array({ maxLength: 8 }),
  fc.uint8Array({ minLength: 100, maxLength: 400 }),
  // Compressible: a short pattern repeated, so blocks go through the codec.
  fc
    .tuple(fc.uint8Array({ minLength: 1, maxLength: 12 }), fc.integer({ min: 2, max: 40 }))
    .map(([p, n]) => new Uint8Array(Array.from({ length: n }, () => [...p]).flat())),
);
const rangeArb = fc.record(
  {
    gt: keyArb,
    gte: keyArb,
    lt: keyArb,
    lte: keyArb,
    reverse: fc.boolean(),
    limit: fc.integer({ min: 0, max: 30 }),
  },
  { requiredKeys: [] },
);

const opArb = fc.oneof(
  {
    weight: 30,
    arbitrary: fc.record({ op: fc.constant('put' as const), key: keyArb, value: valueArb }),
  },
  { weight: 10, arbitrary: fc.record({ op: fc.constant('del' as const), key: keyArb }) },
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('batch' as const),
      ops: fc.array(fc.record({ del: fc.boolean(), key: keyArb, value: valueArb }), {
        maxLength: 8,
      }),
    }),
  },
  { weight: 8, arbitrary: fc.record({ op: fc.constant('get' as const), key: keyArb }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('iterate' as const), range: rangeArb }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('seek' as const), range: rangeArb, target: keyArb }),
  },
  { weight: 2, arbitrary: fc.constant({ op: 'flush' as const }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('compact' as const), range: rangeArb }) },
  { weight: 2, arbitrary: fc.constant({ op: 'reopen' as const }) },
  { weight: 2, arbitrary: fc.constant({ op: 'crash' as const }) },
  { weight: 3, arbitrary: fc.constant({ op: 'snapshot' as const }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('checkSnapshots' as const), key: keyArb }) },
);

function expected(model: Model, r: IteratorOptions & { limit?: number }): string[] {
  const cmp = (a: string, b: string) =>
    Buffer.compare(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
  // the inclusive bound wins when both of a side are given (abstract-level's rule)
  const lo = r.gte ?? r.gt;
  const loIncl = r.gte !== undefined;
  const hi = r.lte ?? r.lt;
  const hiIncl = r.lte !== undefined;
  let keys = [...model.keys()].sort(cmp).filter((k) => {
    if (lo !== undefined) {
      const c = cmp(k, hex(lo as Uint8Array));
      if (loIncl ? c < 0 : c <= 0) return false;
    }
    if (hi !== undefined) {
      const c = cmp(k, hex(hi as Uint8Array));
      if (hiIncl ? c > 0 : c >= 0) return false;
    }
    return true;
  });
  if (r.reverse) keys.reverse();
  if (r.limit !== undefined) keys = keys.slice(0, r.limit);
  return keys.map((k) => `${k}=${model.get(k)}`);
}

function seekExpected(model: Model, r: IteratorOptions, target: Uint8Array): string[] {
  const all = expected(model, { ...r, limit: undefined });
  const t = Buffer.from(target);
  const rest = all.filter((e) => {
    const c = Buffer.compare(Buffer.from(e.split('=')[0]!, 'hex'), t);
    return r.reverse ? c <= 0 : c >= 0;
  });
  return r.limit === undefined ? rest : rest.slice(0, r.limit);
}

type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

async function runModel(ops: Op[], open: (fresh: boolean) => Promise<LsmStore>) {
  let db = await open(true);
  const model: Model = new Map();
  let snaps: { snap: Snapshot; model: Model }[] = [];
  try {
    for (const o of ops) {
      switch (o.op) {
        case 'put':
          await db.put(o.key, o.value);
          model.set(hex(o.key), hex(o.value));
          break;
        case 'del':
          await db.delete(o.key);
          model.delete(hex(o.key));
          break;
        case 'batch':
          await db.batch(
            o.ops.map((b) =>
              b.del ? { type: 'del', key: b.key } : { type: 'put', key: b.key, value: b.value },
            ),
          );
          for (const b of o.ops) {
            if (b.del) model.delete(hex(b.key));
            else model.set(hex(b.key), hex(b.value));
          }
          break;
        case 'get': {
          const v = await db.get(o.key);
          expect(v === undefined ? undefined : hex(v)).toBe(model.get(hex(o.key)));
          break;
        }
        case 'iterate': {
          const got = (await db.iterator(o.range).all()).map(([k, v]) => `${hex(k)}=${hex(v)}`);
          expect(got).toEqual(expected(model, o.range));
          break;
        }
        case 'seek': {
          const it = db.iterator(o.range);
          it.nextSync();
          it.seek(o.target);
          const got = it.nextvSync(1000).map(([k, v]) => `${hex(k)}=${hex(v)}`);
          it.close();
          const exp = seekExpected(model, o.range, o.target);
          const limit = o.range.limit;
          // the entry read before the seek counts against the limit
          expect(got).toEqual(
            limit === undefined
              ? exp
              : exp.slice(
                  0,
                  Math.max(0, limit - (expected(model, o.range).length > 0 && limit > 0 ? 1 : 0)),
                ),
          );
          break;
        }
        case 'flush':
          await db.flush();
          break;
        case 'compact':
          await db.compact(o.range);
          break;
        case 'reopen':
          await db.close();
          snaps = [];
          db = await open(false);
          break;
        case 'crash':
          snaps = [];
          db = await open(false); // open() crashes the old process first (see callers)
          break;
        case 'snapshot':
          snaps.push({ snap: db.snapshot(), model: new Map(model) });
          break;
        case 'checkSnapshots':
          for (const { snap, model: m } of snaps) {
            for (const reverse of [false, true]) {
              const it = db.iterator({ snapshot: snap, reverse });
              const got = it.nextvSync(10_000).map(([k, v]) => `${hex(k)}=${hex(v)}`);
              it.close();
              expect(got).toEqual(expected(m, { reverse }));
            }
            const v = db.getSync(o.key, { snapshot: snap });
            expect(v === undefined ? undefined : hex(v)).toBe(m.get(hex(o.key)));
          }
          break;
      }
    }
    const all = (await db.iterator().all()).map(([k, v]) => `${hex(k)}=${hex(v)}`);
    expect(all).toEqual(expected(model, {}));
  } finally {
    await db.close();
  }
}

const small: StoreOptions = {
  writeBufferSize: 2048,
  blockSize: 256,
  tableFileSize: 1024,
  levelBaseBytes: 4096,
  l0CompactionTrigger: 2,
  l0StopWritesTrigger: 6,
  blockCacheSize: 16 * 1024,
};

describe('LsmStore against a sorted-map model', () => {
  it('agrees on every read (in-memory file system, inline compaction)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 120 }), async (ops) => {
        let fs = new MemoryFs();
        await runModel(ops, async (fresh) => {
          if (!fresh) fs = fs.processCrash();
          return LsmStore.open('/db', { ...small, fs });
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('agrees on every read with a tiny block cache and small blocks (restarts, decompression, misses)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 120 }), async (ops) => {
        let fs = new MemoryFs();
        await runModel(ops, async (fresh) => {
          if (!fresh) fs = fs.processCrash();
          // The resident index blocks and filters alone exceed this cache: every block read
          // is a miss, read, checked and decompressed.
          return LsmStore.open('/db', { ...small, blockSize: 512, blockCacheSize: 1024, fs });
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('agrees on every read (real files, worker compaction)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 80 }), async (ops) => {
        const dir = tempDir();
        let prev: LsmStore | null = null;
        await runModel(ops, async () => {
          // a "crash" here abandons the old store without closing it: its lock is this
          // process's, so only the per-process registry would refuse — close it quietly.
          await prev?.close();
          prev = await LsmStore.open(dir, { ...small });
          return prev;
        });
      }),
      { numRuns: Math.max(3, Math.round(RUNS / 8)) },
    );
  });
});
