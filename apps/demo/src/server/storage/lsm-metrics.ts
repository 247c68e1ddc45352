/**
 * The shards' own latencies, recorded where the store runs: in each shard's worker thread,
 * into @perf/monitor's SharedRegistry (one SharedArrayBuffer; each thread owns a shard of it
 * and records with Atomics). The main thread's /metrics sums the shards when it renders, so a
 * scrape sends no message to any worker and waits on none.
 *
 *   perf_kv_lsm_duration_seconds{shard, op="get"|"write"}  one observation per store call:
 *     get = one getMany of the keys a tick's loads grouped for that shard; write = one durable
 *     batch (puts and deletes, acknowledged after its group commit's fsync)
 *   perf_kv_lsm_keys_total{shard, op="get"|"put"|"del"}     keys those calls carried
 */
import {
  type SharedCounter,
  type SharedHistogram,
  SharedRegistry,
  type SharedRegistryDescriptor,
} from '@perf/monitor';

const DURATION = 'perf_kv_lsm_duration_seconds';
const KEYS = 'perf_kv_lsm_keys_total';

/** 20 µs (a memtable hit) to 10 s, in microseconds: a write waits for an fsync (ms). */
const BUCKETS_US = [
  20, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 1_000_000,
  10_000_000,
];

/** What a worker needs to record into its series: the registry's descriptor and its shard. */
export interface LsmMetricsHandle {
  readonly descriptor: SharedRegistryDescriptor;
  readonly shard: number;
}

/** Records one store call of one shard. */
export interface LsmRecorder {
  get(keys: number, micros: number): void;
  write(puts: number, dels: number, micros: number): void;
}

/**
 * Declares the metrics of `shards` shards on a new registry. One thread per shard attaches,
 * and the main thread holds one more slot (it records an in-thread shard, and it renders).
 */
export function lsmRegistry(shards: number): SharedRegistry {
  const registry = new SharedRegistry({ maxThreads: shards + 1 });
  const series = (ops: readonly string[]) =>
    Array.from({ length: shards }, (_, s) => ops.map((op) => ({ shard: String(s), op }))).flat();
  registry.histogram(DURATION, {
    help: 'Time of one storage shard call, by shard and op (get: a getMany; write: a durable batch)',
    labelNames: ['shard', 'op'],
    series: series(['get', 'write']),
    buckets: BUCKETS_US,
  });
  registry.counter(KEYS, {
    help: 'Keys read, put and deleted by the storage shards',
    labelNames: ['shard', 'op'],
    series: series(['get', 'put', 'del']),
  });
  return registry;
}

/** The recorder of shard `shard` on this thread's view of `registry`. */
export function lsmRecorder(registry: SharedRegistry, shard: number): LsmRecorder {
  const s = String(shard);
  const h = registry.histogram(DURATION);
  const c = registry.counter(KEYS);
  // Series resolved once: a record is two or three Atomics stores, no lookup.
  const getTime: SharedHistogram = h.labels({ shard: s, op: 'get' });
  const writeTime: SharedHistogram = h.labels({ shard: s, op: 'write' });
  const gets: SharedCounter = c.labels({ shard: s, op: 'get' });
  const puts: SharedCounter = c.labels({ shard: s, op: 'put' });
  const dels: SharedCounter = c.labels({ shard: s, op: 'del' });
  return {
    get(keys, micros) {
      getTime.observe(Math.max(0, micros));
      gets.inc(keys);
    },
    write(p, d, micros) {
      writeTime.observe(Math.max(0, micros));
      if (p > 0) puts.inc(p);
      if (d > 0) dels.inc(d);
    },
  };
}

/** A worker thread's recorder: attaches to the registry the main thread created. */
export function attachLsmRecorder(handle: LsmMetricsHandle): LsmRecorder {
  return lsmRecorder(SharedRegistry.attach(handle.descriptor), handle.shard);
}
