// Hit rates of every peer on the same deterministic synthetic traces (see traces.ts).
import { type Peer, peers } from './peers.js';
import * as traces from './traces.js';

export interface Workload {
  name: string;
  capacity: number;
  trace: () => Int32Array;
  /** When set, a second row reports the hit rate after this many requests (steady state). */
  warmup?: number;
}

/**
 * The headline workloads: capacity 100k, Zipf 0.99 over 1M keys; the scan variant
 * reads 50k never-repeated cold keys after every 200k Zipf requests (20% of the requests).
 * Each is reported over the whole trace and after a warm-up of 10 × capacity requests.
 */
export function headlineWorkloads(length: number): Workload[] {
  const keys = 1_000_000;
  const warmup = 1_000_000;
  const zipf = () => traces.zipfTrace(length, keys, 0.99, 1);
  const scans = () => traces.scanTrace(length, keys, 0.99, 200_000, 50_000, 2);
  return [
    { name: 'zipf 0.99, 1M keys', capacity: 100_000, trace: zipf, warmup },
    { name: 'zipf + scans', capacity: 100_000, trace: scans, warmup },
  ];
}

/** Smaller workloads of every character, where all peers run in seconds. */
export function characterWorkloads(capacity: number): Workload[] {
  const keys = capacity * 10;
  const length = capacity * 30;
  return [
    {
      name: `zipf 0.99 (${capacity})`,
      capacity,
      trace: () => traces.zipfTrace(length, keys, 0.99, 1),
    },
    {
      name: `zipf 0.8 (${capacity})`,
      capacity,
      trace: () => traces.zipfTrace(length, keys, 0.8, 7),
    },
    {
      name: `zipf + scans (${capacity})`,
      capacity,
      trace: () => traces.scanTrace(length, keys, 0.99, capacity * 2, capacity, 2),
    },
    {
      name: `loop 1.25× (${capacity})`,
      capacity,
      trace: () => traces.loopTrace(length, Math.round(capacity * 1.25)),
    },
    {
      name: `mixed zipf/drift (${capacity})`,
      capacity,
      trace: () =>
        traces.mixedTrace(
          traces.zipfTrace(length / 2, keys, 0.99, 4),
          traces.recencyTrace(length / 2, capacity / 4, 5),
          capacity * 3,
          keys,
        ),
    },
    {
      name: `drift (recency) (${capacity})`,
      capacity,
      trace: () => traces.recencyTrace(length, capacity / 4, 3),
    },
  ];
}

/** Runs `workloads` against `selected` peers; returns rows of percentages. */
export function hitRates(
  workloads: Workload[],
  selected: Peer[] = peers,
): Map<string, Map<string, number>> {
  const table = new Map<string, Map<string, number>>();
  for (const workload of workloads) {
    const trace = workload.trace();
    const whole = new Map<string, number>();
    const steady = new Map<string, number>();
    for (const peer of selected) {
      const cache = peer.create<number>(workload.capacity);
      const rates = traces.hitRates(cache, trace, workload.warmup ?? 0);
      whole.set(peer.name, 100 * rates.whole);
      steady.set(peer.name, 100 * rates.steady);
    }
    table.set(workload.name, whole);
    if (workload.warmup !== undefined) table.set(`${workload.name}, after warm-up`, steady);
  }
  return table;
}
