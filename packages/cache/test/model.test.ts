// Model-based property tests: the LRU policy against an exact LRU model on a Map; TTL/TTI and
// W-TinyLFU (not deterministic against a simple model) against invariants.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cache, type RemovalCause } from '../src/index.js';

const RUNS = Number(process.env.PERF_FUZZ_RUNS ?? 80);

type Op =
  | { op: 'get' | 'delete'; key: number }
  | { op: 'set'; key: number; ttl?: number }
  | { op: 'tick'; ms: number };

const key = fc.integer({ min: 0, max: 24 });
const ops = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant('get' as const), key }),
    fc.record({ op: fc.constant('set' as const), key }),
    fc.record({ op: fc.constant('delete' as const), key }),
  ),
  { maxLength: 400 },
);

/** An exact LRU: a Map's insertion order is its recency order. */
class LruModel {
  readonly map = new Map<number, number>();
  constructor(readonly maximum: number) {}
  get(key: number): number | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }
  set(key: number, value: number): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.maximum) this.map.delete(this.map.keys().next().value!);
  }
}

describe('model: policy "lru" is an exact LRU', () => {
  it('holds the same entries as a Map-based LRU after every operation', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 16 }), ops, (maximumSize, script) => {
        const cache = new Cache<number, number>({ maximumSize, policy: 'lru' });
        const model = new LruModel(maximumSize);
        let version = 0;
        for (const step of script) {
          if (step.op === 'get') expect(cache.get(step.key)).toBe(model.get(step.key));
          else if (step.op === 'set') {
            cache.set(step.key, ++version);
            model.set(step.key, version);
          } else expect(cache.delete(step.key)).toBe(model.map.delete(step.key));
          expect(new Map(cache)).toEqual(model.map);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('model: W-TinyLFU invariants', () => {
  it('bounds residency, returns only latest values, and its stats add up', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16 }),
        fc.array(fc.tuple(fc.boolean(), key), { maxLength: 600 }),
        (maximumSize, script) => {
          const removed: Record<RemovalCause, number> = {
            size: 0,
            expired: 0,
            explicit: 0,
            replaced: 0,
          };
          const cache = new Cache<number, number>({
            maximumSize,
            onEvict: (_k, _v, cause) => removed[cause]++,
          });
          const latest = new Map<number, number>();
          let gets = 0;
          let inserts = 0;
          let version = 0;
          for (const [read, k] of script) {
            if (read) {
              gets++;
              const value = cache.get(k);
              if (value !== undefined) expect(value).toBe(latest.get(k));
            } else {
              if (!cache.has(k)) inserts++;
              cache.set(k, ++version);
              latest.set(k, version);
            }
            expect(cache.size).toBeLessThanOrEqual(maximumSize);
          }
          const stats = cache.stats();
          expect(stats.hits + stats.misses).toBe(gets);
          expect(stats.evictions).toEqual(removed);
          expect(inserts - removed.size - removed.explicit - removed.expired).toBe(cache.size);
          expect(stats.weightedSize).toBe(cache.size);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('bounds total weight with a weigher, evicting until it fits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.tuple(key, fc.integer({ min: 0, max: 20 })), { maxLength: 300 }),
        (maximumWeight, script) => {
          const weights = new Map<number, number>();
          const cache = new Cache<number, number>({ maximumWeight, weigher: (_k, v) => v });
          for (const [k, weight] of script) {
            cache.set(k, weight);
            weights.set(k, weight);
            let total = 0;
            for (const [key, value] of cache) {
              expect(value).toBe(weights.get(key));
              total += value;
            }
            expect(total).toBeLessThanOrEqual(maximumWeight);
            expect(cache.weightedSize).toBe(total);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('model: expiry never returns an expired value', () => {
  it('agrees with a TTL/TTI model on every read, whatever the clock does', () => {
    const step = fc.oneof(
      fc.record({ op: fc.constant('get' as const), key }),
      fc.record({
        op: fc.constant('set' as const),
        key,
        ttl: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: undefined }),
      }),
      fc.record({ op: fc.constant('delete' as const), key }),
      fc.record({ op: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 3000 }) }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16 }),
        fc.constantFrom('tinylfu' as const, 'lru' as const),
        fc.array(step, { maxLength: 300 }),
        (maximumSize, policy, script: Op[]) => {
          let now = 1000;
          const ttl = 2000;
          const tti = 700;
          const cache = new Cache<number, number>({
            maximumSize,
            policy,
            ttl,
            tti,
            clock: () => now,
          });
          // key → [value, deadline, idle deadline]
          const model = new Map<number, [number, number, number]>();
          let version = 0;
          for (const s of script) {
            if (s.op === 'tick') now += s.ms;
            else if (s.op === 'set') {
              cache.set(s.key, ++version, s.ttl === undefined ? undefined : { ttl: s.ttl });
              model.set(s.key, [version, now + (s.ttl ?? ttl), now + tti]);
            } else if (s.op === 'delete') {
              cache.delete(s.key);
              model.delete(s.key);
            } else {
              const value = cache.get(s.key);
              const entry = model.get(s.key);
              const live = entry !== undefined && Math.min(entry[1], entry[2]) > now;
              if (value !== undefined) {
                expect(live).toBe(true);
                expect(value).toBe(entry![0]);
                entry![2] = now + tti;
              }
            }
            expect(cache.size).toBeLessThanOrEqual(maximumSize);
          }
          now += 10 * 60_000;
          cache.cleanUp();
          expect(cache.size).toBe(0);
          expect([...cache]).toEqual([]);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
