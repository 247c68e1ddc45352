// Deterministic hit-rate regression tests on the bench's synthetic traces (seeded, small):
// W-TinyLFU must beat LRU where frequency matters and track the textbook policy.
import { describe, expect, it } from 'vitest';
import { ReferenceWTinyLfu } from '../bench/reference-wtinylfu.js';
import * as traces from '../bench/traces.js';
import { Cache } from '../src/index.js';

const CAPACITY = 500;
const KEYS = CAPACITY * 10;
const LENGTH = CAPACITY * 40;

function rates(trace: Int32Array) {
  return {
    tinylfu: traces.hitRate(new Cache({ maximumSize: CAPACITY }), trace),
    lru: traces.hitRate(new Cache({ maximumSize: CAPACITY, policy: 'lru' }), trace),
    textbook: traces.hitRate(new ReferenceWTinyLfu(CAPACITY), trace),
  };
}

describe('hit rate on synthetic traces (capacity 500)', () => {
  it('Zipf 0.99: above LRU and within a point of the textbook W-TinyLFU', () => {
    const r = rates(traces.zipfTrace(LENGTH, KEYS, 0.99, 1));
    expect(r.tinylfu).toBeGreaterThan(r.lru + 0.02);
    expect(r.tinylfu).toBeGreaterThan(r.textbook - 0.01);
  });

  it('scan-polluted Zipf: resists the scans', () => {
    const r = rates(traces.scanTrace(LENGTH, KEYS, 0.99, CAPACITY * 2, CAPACITY, 2));
    expect(r.tinylfu).toBeGreaterThan(r.lru + 0.04);
    expect(r.tinylfu).toBeGreaterThan(r.textbook - 0.01);
  });

  it('a loop larger than the cache: LRU gets nothing, W-TinyLFU keeps most of it', () => {
    const r = rates(traces.loopTrace(LENGTH, Math.round(CAPACITY * 1.25)));
    expect(r.lru).toBe(0);
    expect(r.tinylfu).toBeGreaterThan(0.6);
  });

  it('drifting recency: the adaptive window recovers most of the gap to LRU', () => {
    const r = rates(traces.recencyTrace(LENGTH, CAPACITY / 4, 3));
    // A fixed 1% window (the textbook policy) collapses here; the climber must do far better.
    expect(r.tinylfu).toBeGreaterThan(r.textbook + 0.2);
    expect(r.tinylfu).toBeGreaterThan(r.lru - 0.15);
  });

  it('is deterministic: the same trace gives the same hit rate', () => {
    const trace = traces.zipfTrace(LENGTH, KEYS, 0.99, 9);
    const a = traces.hitRate(new Cache({ maximumSize: CAPACITY }), trace);
    const b = traces.hitRate(new Cache({ maximumSize: CAPACITY }), trace);
    expect(a).toBe(b);
  });
});
