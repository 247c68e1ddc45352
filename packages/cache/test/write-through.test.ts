// Write-through: the backend accepts first, the cache shows it after; failures change nothing.
import { describe, expect, it } from 'vitest';
import { Cache, CacheWriteError, WriteThrough, type WriteOp } from '../src/index.js';

function gatedBackend() {
  const calls: { ops: readonly WriteOp<string, number>[]; settle: (error?: Error) => void }[] = [];
  return {
    calls,
    write(ops: readonly WriteOp<string, number>[]): Promise<void> {
      return new Promise((resolve, reject) =>
        calls.push({ ops, settle: (error) => (error ? reject(error) : resolve()) }),
      );
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('WriteThrough', () => {
  it('shows a value only after the backend accepted it', async () => {
    const backend = gatedBackend();
    const wt = new WriteThrough({ cache: new Cache<string, number>({ maximumSize: 10 }), backend });
    const done = wt.set('k', 1);
    await tick();
    expect(wt.get('k')).toBeUndefined();
    backend.calls[0]!.settle();
    await done;
    expect(wt.get('k')).toBe(1);
    expect(backend.calls[0]!.ops).toEqual([{ type: 'set', key: 'k', value: 1 }]);
  });

  it('leaves the cache unchanged when the backend write fails', async () => {
    const backend = gatedBackend();
    const cache = new Cache<string, number>({ maximumSize: 10 });
    cache.set('k', 1);
    const wt = new WriteThrough({ cache, backend });
    const failed = wt.set('k', 2);
    await tick();
    const cause = new Error('disk full');
    backend.calls[0]!.settle(cause);
    const error = await failed.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CacheWriteError);
    expect(error).toMatchObject({ code: 'PERF_CACHE_WRITE_FAILED', keys: ['k'], cause });
    expect(cache.get('k')).toBe(1);
  });

  it('applies writes to one key in call order, even if a later one would finish first', async () => {
    const backend = gatedBackend();
    const wt = new WriteThrough({ cache: new Cache<string, number>({ maximumSize: 10 }), backend });
    const first = wt.set('k', 1);
    const second = wt.set('k', 2);
    const other = wt.set('other', 3);
    await tick();
    expect(backend.calls).toHaveLength(2); // 'k' #2 waits for 'k' #1; 'other' does not
    backend.calls[1]!.settle();
    await other;
    backend.calls[0]!.settle();
    await first;
    await tick();
    expect(backend.calls).toHaveLength(3);
    expect(wt.get('k')).toBe(1);
    backend.calls[2]!.settle();
    await second;
    expect(wt.get('k')).toBe(2);
  });

  it('deletes from the backend, then from the cache', async () => {
    const backend = gatedBackend();
    const cache = new Cache<string, number>({ maximumSize: 10 });
    cache.set('k', 1);
    const wt = new WriteThrough({ cache, backend });
    const done = wt.delete('k');
    await tick();
    expect(cache.get('k')).toBe(1);
    backend.calls[0]!.settle();
    await done;
    expect(cache.has('k')).toBe(false);
    expect(backend.calls[0]!.ops).toEqual([{ type: 'delete', key: 'k' }]);
  });
});
