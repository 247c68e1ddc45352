// Write-back: dirty entries survive eviction and backend outages, are coalesced, reach the
// backend exactly once and in order per key, and close() never drops them silently.
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  Cache,
  CacheClosedError,
  CacheFlushError,
  LruCache,
  WriteBack,
  type WriteBackend,
  type WriteOp,
} from '../src/index.js';

const RUNS = Number(process.env.PERF_FUZZ_RUNS ?? 40);

/** A backend that records every accepted op and fails while `down`. */
class FlakyBackend<K, V> implements WriteBackend<K, V> {
  down = false;
  /** Fail this many more calls, then recover. */
  failures = 0;
  calls = 0;
  readonly log: WriteOp<K, V>[] = [];
  readonly data = new Map<K, V>();
  async write(ops: ReadonlyArray<WriteOp<K, V>>): Promise<void> {
    this.calls++;
    await Promise.resolve();
    if (this.down || this.failures-- > 0) throw new Error('backend down');
    for (const op of ops) {
      this.log.push(op);
      if (op.type === 'set') this.data.set(op.key, op.value);
      else this.data.delete(op.key);
    }
  }
}

const open: WriteBack<unknown, unknown>[] = [];
function writeBack<K, V>(
  backend: WriteBackend<K, V>,
  options: Partial<ConstructorParameters<typeof WriteBack<K, V>>[0]> = {},
): WriteBack<K, V> {
  const wb = new WriteBack<K, V>({
    cache: new Cache<K, V>({ maximumSize: 100 }),
    backend,
    flushInterval: 1e6,
    maxDirty: 1e6,
    retries: 0,
    ...options,
  });
  open.push(wb as WriteBack<unknown, unknown>);
  return wb;
}

afterEach(async () => {
  vi.useRealTimers();
  for (const wb of open.splice(0)) await wb.close().catch(() => {});
});

describe('WriteBack', () => {
  it('serves dirty values at once and coalesces repeated writes into one op', async () => {
    const backend = new FlakyBackend<string, number>();
    const wb = writeBack(backend);
    for (let i = 1; i <= 5; i++) wb.set('k', i);
    wb.set('other', 1);
    expect(wb.get('k')).toBe(5);
    expect(wb.isDirty('k')).toBe(true);
    expect(backend.calls).toBe(0);
    await wb.flush();
    expect(backend.log).toEqual([
      { type: 'set', key: 'k', value: 5 },
      { type: 'set', key: 'other', value: 1 },
    ]);
    expect(wb.stats()).toEqual({ dirty: 0, written: 2, coalesced: 4, failedWrites: 0 });
    expect(wb.isDirty('k')).toBe(false);
  });

  it('never loses a dirty entry to eviction', async () => {
    const backend = new FlakyBackend<number, number>();
    const wb = writeBack(backend, { cache: new Cache({ maximumSize: 2 }) });
    for (let i = 0; i < 50; i++) wb.set(i, i * 10);
    for (let i = 0; i < 50; i++) expect(wb.get(i)).toBe(i * 10);
    await wb.flush();
    expect(backend.data.size).toBe(50);
    expect(wb.cache.size).toBeLessThanOrEqual(2);
  });

  it('writes deletes too, and a read of a pending delete finds nothing', async () => {
    const backend = new FlakyBackend<string, number>();
    backend.data.set('gone', 1);
    const wb = writeBack(backend);
    wb.delete('gone');
    expect(wb.get('gone')).toBeUndefined();
    expect(await wb.getOrLoad('gone', () => 99)).toBeUndefined();
    await wb.flush();
    expect(backend.data.has('gone')).toBe(false);
  });

  it('loads through any SyncCache, and a write racing the load wins', async () => {
    const backend = new FlakyBackend<string, number>();
    const wb = writeBack(backend, { cache: new LruCache<string, number>({ maximumSize: 4 }) });
    expect(await wb.getOrLoad('a', async () => 1)).toBe(1);
    expect(wb.cache.get('a')).toBe(1);
    let release!: (v: number) => void;
    const loading = wb.getOrLoad('b', () => new Promise<number>((r) => (release = r)));
    wb.set('b', 2);
    release(99);
    expect(await loading).toBe(2);
    expect(wb.get('b')).toBe(2);
  });

  it('retries with back-off until the backend is back, keeping entries dirty meanwhile', async () => {
    vi.useFakeTimers();
    const backend = new FlakyBackend<string, number>();
    backend.failures = 3;
    const wb = writeBack(backend, { retries: 5, minDelay: 100, maxDelay: 300 });
    wb.set('a', 1);
    const flushed = wb.flush();
    const at: number[] = [];
    const write = backend.write.bind(backend);
    backend.write = (ops) => {
      at.push(Date.now());
      return write(ops);
    };
    await vi.advanceTimersByTimeAsync(0);
    expect(wb.isDirty('a')).toBe(true);
    await vi.advanceTimersByTimeAsync(100 + 200 + 300);
    await flushed;
    expect(backend.data.get('a')).toBe(1);
    expect(wb.stats().failedWrites).toBe(3);
    // Back-off doubles from minDelay and is capped by maxDelay.
    expect(at.slice(1).map((t, i) => t - at[i]!)).toEqual([100, 200, 300]);
  });

  it('close() with a failing backend reports the unwritten keys and keeps them', async () => {
    const backend = new FlakyBackend<string, number>();
    const wb = writeBack(backend, { retries: 2, minDelay: 1 });
    wb.set('a', 1);
    wb.set('b', 2);
    await wb.flush();
    wb.set('b', 3);
    wb.set('c', 4);
    backend.down = true;
    const error = await wb.close().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CacheFlushError);
    expect((error as CacheFlushError).code).toBe('PERF_CACHE_FLUSH_FAILED');
    expect((error as CacheFlushError).keys).toEqual(['b', 'c']);
    expect((error as CacheFlushError).attempts).toBe(3);
    expect((error as CacheFlushError).cause).toBeInstanceOf(Error);
    expect(wb.get('b')).toBe(3);
    expect(() => wb.set('d', 5)).toThrow(CacheClosedError);
    backend.down = false;
    await wb.flush();
    expect(Object.fromEntries(backend.data)).toEqual({ a: 1, b: 3, c: 4 });
  });

  it('flushes on its interval and when maxDirty keys are dirty', async () => {
    vi.useFakeTimers();
    const backend = new FlakyBackend<number, number>();
    const wb = writeBack(backend, { flushInterval: 1000, maxDirty: 3 });
    wb.set(1, 1);
    await vi.advanceTimersByTimeAsync(999);
    expect(backend.calls).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(backend.data.get(1)).toBe(1);
    wb.set(2, 2);
    wb.set(3, 3);
    wb.set(4, 4);
    await vi.advanceTimersByTimeAsync(0);
    expect([...backend.data.keys()]).toEqual([1, 2, 3, 4]);
  });

  it('splits a large flush into batches of batchSize', async () => {
    const backend = new FlakyBackend<number, number>();
    const write = vi.spyOn(backend, 'write');
    const wb = writeBack(backend, { batchSize: 4 });
    for (let i = 0; i < 10; i++) wb.set(i, i);
    await wb.flush();
    expect(write.mock.calls.map(([ops]) => ops.length)).toEqual([4, 4, 2]);
  });

  it('model: through outages, every acknowledged write lands once, in order per key', async () => {
    type Step =
      | { op: 'set'; key: number }
      | { op: 'delete'; key: number }
      | { op: 'down' | 'up' | 'flush' };
    const key = fc.integer({ min: 0, max: 6 });
    const step: fc.Arbitrary<Step> = fc.oneof(
      { weight: 5, arbitrary: fc.record({ op: fc.constant('set' as const), key }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), key }) },
      {
        weight: 1,
        arbitrary: fc.record({
          op: fc.constantFrom('down' as const, 'up' as const, 'flush' as const),
        }),
      },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 120 }), async (script) => {
        const backend = new FlakyBackend<number, number>();
        const wb = new WriteBack<number, number>({
          cache: new Cache({ maximumSize: 3 }),
          backend,
          flushInterval: 1e6,
          maxDirty: 1e6,
          retries: 0,
        });
        const expected = new Map<number, number>();
        let version = 0;
        const pending: Promise<unknown>[] = [];
        for (const s of script) {
          if (s.op === 'set') {
            wb.set(s.key, ++version);
            expected.set(s.key, version);
          } else if (s.op === 'delete') {
            wb.delete(s.key);
            expected.delete(s.key);
          } else if (s.op === 'down') backend.down = true;
          else if (s.op === 'up') backend.down = false;
          // Not awaited: later writes race the flush, as in a live service.
          else pending.push(wb.flush().catch(() => {}));
          for (const [k, v] of expected) expect(wb.get(k)).toBe(v);
        }
        await Promise.all(pending);
        backend.down = false;
        await wb.close();
        expect(backend.data).toEqual(expected);
        // Per key, the accepted sets carry strictly increasing versions: in order, none twice.
        const last = new Map<number, number>();
        for (const op of backend.log) {
          if (op.type !== 'set') continue;
          expect(op.value).toBeGreaterThan(last.get(op.key) ?? 0);
          last.set(op.key, op.value);
        }
        expect(wb.stats().dirty).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });
});
