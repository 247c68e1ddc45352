// The contract every synchronous cache of this package keeps; run against each implementation
// by sync-cache-contract.test.ts (abstract-level's compliance-suite idea).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EvictionListener, RemovalCause, SyncCache } from '../src/index.js';

export type Factory = <K, V>(
  maximumSize: number,
  onEvict?: EvictionListener<K, V>,
) => SyncCache<K, V> & Iterable<[K, V]>;

const RUNS = Number(process.env.PERF_FUZZ_RUNS ?? 60);

export function syncCacheContract(name: string, create: Factory): void {
  describe(`${name}: SyncCache contract`, () => {
    it('returns what was set, and undefined for absent keys', () => {
      const cache = create<string, number>(10);
      expect(cache.get('a')).toBeUndefined();
      cache.set('a', 1);
      expect(cache.get('a')).toBe(1);
      expect(cache.has('a')).toBe(true);
      cache.set('a', 2);
      expect(cache.get('a')).toBe(2);
      expect(cache.size).toBe(1);
    });

    it('deletes and invalidates everything', () => {
      const cache = create<number, number>(10);
      for (let i = 0; i < 5; i++) cache.set(i, i);
      expect(cache.delete(3)).toBe(true);
      expect(cache.delete(3)).toBe(false);
      expect(cache.has(3)).toBe(false);
      expect(cache.size).toBe(4);
      cache.invalidateAll();
      expect(cache.size).toBe(0);
      expect([...cache]).toEqual([]);
    });

    it('keeps keys of every kind apart and never touches object prototypes', () => {
      const cache = create<unknown, string>(64);
      const object = {};
      const keys: unknown[] = [
        1,
        '1',
        '__proto__',
        'constructor',
        'hasOwnProperty',
        'toString',
        Number.NaN,
        0,
        null,
        undefined,
        true,
        'true',
        1n,
        object,
        {},
        Symbol.for('s'),
      ];
      for (const [i, key] of keys.entries()) cache.set(key, `v${i}`);
      for (const [i, key] of keys.entries()) expect(cache.get(key)).toBe(`v${i}`);
      expect(cache.get(-0)).toBe(cache.get(0)); // SameValueZero, as Map
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('v2');
      expect(cache.size).toBe(keys.length);
    });

    it('rejects undefined values with a TypeError', () => {
      const cache = create<string, unknown>(4);
      expect(() => cache.set('a', undefined)).toThrow(TypeError);
      expect(cache.has('a')).toBe(false);
    });

    it('reports explicit removals and replacements to the listener', () => {
      const events: [string, number, RemovalCause][] = [];
      const cache = create<string, number>(10, (k, v, cause) => events.push([k, v, cause]));
      cache.set('a', 1);
      cache.set('a', 2);
      cache.delete('a');
      cache.set('b', 3);
      cache.invalidateAll();
      expect(events).toEqual([
        ['a', 1, 'replaced'],
        ['a', 2, 'explicit'],
        ['b', 3, 'explicit'],
      ]);
    });

    it('never exceeds its bound, returns only the latest value, and reports every eviction', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 12 }),
          fc.array(
            fc.tuple(fc.constantFrom('get', 'set', 'delete'), fc.integer({ min: 0, max: 30 })),
            { maxLength: 300 },
          ),
          (maximumSize, ops) => {
            const live = new Map<number, number>(); // what the cache may still hold
            const cache = create<number, number>(maximumSize, (key, value, cause) => {
              expect(live.get(key)).toBe(value);
              if (cause !== 'replaced') live.delete(key);
            });
            let version = 0;
            for (const [op, key] of ops) {
              if (op === 'set') {
                cache.set(key, ++version);
                live.set(key, version);
              } else if (op === 'delete') {
                cache.delete(key);
                live.delete(key);
              } else {
                const value = cache.get(key);
                if (value !== undefined) expect(value).toBe(live.get(key));
              }
              expect(cache.size).toBeLessThanOrEqual(maximumSize);
              expect(cache.size).toBe(live.size);
            }
            for (const [key, value] of cache) expect(live.get(key)).toBe(value);
          },
        ),
        { numRuns: RUNS },
      );
    });
  });
}
