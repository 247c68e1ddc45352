import { MemPool } from '@thi.ng/malloc';
import { ObjectPool, SharedSlab, Slab } from '../src/index.js';
import { type Case, compare } from './print.js';

const LIVE = 1024; // blocks held live while churning, the size the slab target names
const BLOCK = 32; // bytes: a Float64Array(4)

/**
 * Each case keeps LIVE blocks alive and replaces one per operation (free one, alloc one). Each
 * case has its own loop on purpose: one shared loop calling the allocators through callbacks
 * would see several functions at one call site, go megamorphic and slow every case alike.
 */
export async function slabSuite(): Promise<void> {
  const arrays: Case = (() => {
    const live: Float64Array[] = Array.from({ length: LIVE }, () => new Float64Array(4));
    return {
      name: 'baseline: `new Float64Array(4)` (allocate-and-drop)',
      run: (n) => {
        let s = 0;
        for (let i = 0; i < n; i++) {
          const a = new Float64Array(4);
          a[0] = i;
          live[(i * 7) & (LIVE - 1)] = a;
          s = (s + a.length) | 0;
        }
        return s;
      },
    };
  })();
  const slab: Case = (() => {
    const slab = new Slab({ blockSize: BLOCK, blockCount: LIVE * 2 });
    const live = new Int32Array(LIVE);
    for (let i = 0; i < LIVE; i++) live[i] = slab.alloc();
    return {
      name: '@perf/pool `Slab` alloc + free',
      run: (n) => {
        let s = 0;
        for (let i = 0; i < n; i++) {
          const j = (i * 7) & (LIVE - 1);
          slab.free(live[j]!);
          const h = slab.alloc();
          live[j] = h;
          s = (s + h) | 0;
        }
        return s;
      },
    };
  })();
  const slabView: Case = (() => {
    const slab = new Slab({ blockSize: BLOCK, blockCount: LIVE * 2 });
    const live = new Int32Array(LIVE);
    for (let i = 0; i < LIVE; i++) live[i] = slab.alloc();
    return {
      name: '@perf/pool `Slab` alloc + `f64(h)` write + free',
      run: (n) => {
        let s = 0;
        for (let i = 0; i < n; i++) {
          const j = (i * 7) & (LIVE - 1);
          slab.free(live[j]!);
          const h = slab.alloc();
          slab.f64(h)[0] = i;
          live[j] = h;
          s = (s + h) | 0;
        }
        return s;
      },
    };
  })();
  const shared: Case = (() => {
    const slab = new SharedSlab({ blockSize: BLOCK, blockCount: LIVE * 2 });
    const live = new Int32Array(LIVE);
    for (let i = 0; i < LIVE; i++) live[i] = slab.alloc();
    return {
      name: '@perf/pool `SharedSlab` alloc + free (uncontended lock)',
      run: (n) => {
        let s = 0;
        for (let i = 0; i < n; i++) {
          const j = (i * 7) & (LIVE - 1);
          slab.free(live[j]!);
          const h = slab.alloc();
          live[j] = h;
          s = (s + h) | 0;
        }
        return s;
      },
    };
  })();
  const thing: Case = (() => {
    const pool = new MemPool({ size: LIVE * BLOCK * 4, align: 8 });
    const live = new Float64Array(LIVE); // addresses
    for (let i = 0; i < LIVE; i++) live[i] = pool.malloc(BLOCK);
    return {
      name: '@thi.ng/malloc 6.1.8 `malloc(32)` + `free`',
      run: (n) => {
        let s = 0;
        for (let i = 0; i < n; i++) {
          const j = (i * 7) & (LIVE - 1);
          pool.free(live[j]!);
          const p = pool.malloc(BLOCK);
          live[j] = p;
          s = (s + p) | 0;
        }
        return s;
      },
    };
  })();
  await compare(
    'Slab: replace one of 1,024 live 32-byte blocks',
    [arrays, slab, slabView, shared, thing],
    {
      ops: 200_000,
    },
  );

  const objects: Case = (() => {
    const live: { id: number; next: unknown }[] = Array.from({ length: LIVE }, () => ({
      id: 0,
      next: null,
    }));
    return {
      name: 'baseline: `{ id, next }` literal (allocate-and-drop)',
      run: (n) => {
        let s = 0;
        for (let i = 0; i < n; i++) {
          const r = { id: i & 0xffff, next: null };
          live[(i * 7) & (LIVE - 1)] = r;
          s = (s + r.id) | 0;
        }
        return s;
      },
    };
  })();
  const pooled: Case = (() => {
    const pool = new ObjectPool({
      create: () => ({ id: 0, next: null as unknown }),
      prefill: LIVE,
      capacity: LIVE * 2,
    });
    const live = Array.from({ length: LIVE }, () => pool.acquire());
    return {
      name: '@perf/pool `ObjectPool` acquire + release',
      run: (n) => {
        let s = 0;
        for (let i = 0; i < n; i++) {
          const j = (i * 7) & (LIVE - 1);
          pool.release(live[j]!);
          const r = pool.acquire();
          r.id = i & 0xffff;
          live[j] = r;
          s = (s + r.id) | 0;
        }
        return s;
      },
    };
  })();
  await compare('ObjectPool: replace one of 1,024 live records', [objects, pooled], {
    ops: 500_000,
  });
}
