// The contract every asynchronous store (an L2) keeps, run against each implementation by
// async-store-contract.test.ts: RedisTier on a real redis-server, and Cache.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AsyncStore } from '../src/index.js';

export interface StoreUnderTest<V> {
  store: AsyncStore<string, V>;
  /** Deletes everything (between property runs). */
  clear(): Promise<void>;
}

const RUNS = Number(process.env.PERF_FUZZ_RUNS ?? 25);

export function asyncStoreContract(
  name: string,
  create: <V>() => StoreUnderTest<V> | Promise<StoreUnderTest<V>>,
): void {
  describe(`${name}: AsyncStore contract`, () => {
    it('returns what was set, and undefined for absent keys', async () => {
      const { store } = await create<number>();
      expect(await store.get('absent')).toBeUndefined();
      await store.set('a', 1);
      expect(await store.get('a')).toBe(1);
      await store.set('a', 2);
      expect(await store.get('a')).toBe(2);
    });

    it('deletes, and a deleted key reads as absent', async () => {
      const { store } = await create<string>();
      await store.set('d', 'x');
      await store.delete('d');
      expect(await store.get('d')).toBeUndefined();
      await store.delete('never-set'); // not an error
    });

    it('round-trips structured values without sharing them', async () => {
      const { store } = await create<{ n: number; list: string[]; nested: { ok: boolean } }>();
      const value = { n: 1.5, list: ['a', 'b'], nested: { ok: true } };
      await store.set('s', value);
      const read = await store.get('s');
      expect(read).toEqual(value);
    });

    it('keeps keys that look alike apart', async () => {
      const { store } = await create<string>();
      const keys = ['1', '01', ' 1', '__proto__', 'constructor', 'a:b', 'a*', 'ü', ''];
      for (const [i, k] of keys.entries()) await store.set(k, `v${i}`);
      for (const [i, k] of keys.entries()) expect(await store.get(k)).toBe(`v${i}`);
    });

    it('expires an entry after its per-entry TTL', async () => {
      const { store } = await create<number>();
      await store.set('t', 1, { ttl: 20 });
      await store.set('forever', 2);
      await expect.poll(() => store.get('t'), { timeout: 5000, interval: 10 }).toBeUndefined();
      expect(await store.get('forever')).toBe(2);
    });

    it('behaves like a Map under random sequential operations', async () => {
      const subject = await create<number>();
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.tuple(
              fc.constantFrom('get', 'set', 'delete'),
              fc.constantFrom('a', 'b', 'c', 'd'),
              fc.integer(),
            ),
            { maxLength: 40 },
          ),
          async (ops) => {
            await subject.clear();
            const model = new Map<string, number>();
            for (const [op, key, value] of ops) {
              if (op === 'set') {
                await subject.store.set(key, value);
                model.set(key, value);
              } else if (op === 'delete') {
                await subject.store.delete(key);
                model.delete(key);
              } else {
                expect(await subject.store.get(key)).toBe(model.get(key));
              }
            }
          },
        ),
        { numRuns: RUNS },
      );
    });
  });
}
