// record() and percentiles against hdr-histogram-js (JS and WASM) and perf_hooks.createHistogram.
import { createHistogram } from 'node:perf_hooks';
import * as hdr from 'hdr-histogram-js';
import { Histogram } from '../src/index.js';
import { Bench, type BenchOptions } from '../src/bench-api.js';
import { BATCH, defaults, latencies } from './data.js';

export async function recordBench(options: BenchOptions = {}): Promise<Bench> {
  await hdr.initWebAssembly();
  const values = latencies();
  const ours = new Histogram();
  const hdrJs = hdr.build({ highestTrackableValue: 3_600_000_000, autoResize: false });
  const hdrWasm = hdr.build({
    highestTrackableValue: 3_600_000_000,
    autoResize: false,
    useWebAssembly: true,
  });
  const node = createHistogram({ lowest: 1, highest: 3_600_000_000, figures: 3 });
  const vanilla = new Uint32Array(4096);
  const bench = new Bench(`record ×${BATCH}`, { ...defaults, ...options });
  // Baseline row: the cheapest possible "histogram", one typed-array increment per value.
  bench.add(
    '_vanilla (typed-array increment)',
    () => {
      for (let i = 0; i < BATCH; i++) vanilla[values[i]! & 4095]!++;
      return vanilla;
    },
    { ops: BATCH },
  );
  bench.add(
    '@perf/monitor Histogram',
    () => {
      for (let i = 0; i < BATCH; i++) ours.record(values[i]!);
      return ours;
    },
    { ops: BATCH },
  );
  bench.add(
    'perf_hooks.createHistogram',
    () => {
      for (let i = 0; i < BATCH; i++) node.record(values[i]!);
      return node;
    },
    { ops: BATCH },
  );
  bench.add(
    'hdr-histogram-js (JS)',
    () => {
      for (let i = 0; i < BATCH; i++) hdrJs.recordValue(values[i]!);
      return hdrJs;
    },
    { ops: BATCH },
  );
  bench.add(
    'hdr-histogram-js (WASM)',
    () => {
      for (let i = 0; i < BATCH; i++) hdrWasm.recordValue(values[i]!);
      return hdrWasm;
    },
    { ops: BATCH },
  );
  return bench;
}

export async function percentileBench(options: BenchOptions = {}): Promise<Bench> {
  await hdr.initWebAssembly();
  const values = latencies(7);
  const ours = new Histogram();
  const hdrJs = hdr.build({ highestTrackableValue: 3_600_000_000, autoResize: false });
  const hdrWasm = hdr.build({
    highestTrackableValue: 3_600_000_000,
    autoResize: false,
    useWebAssembly: true,
  });
  const node = createHistogram({ lowest: 1, highest: 3_600_000_000, figures: 3 });
  for (let r = 0; r < 256; r++) {
    for (let i = 0; i < BATCH; i++) {
      const v = values[i]! + r; // 1 M values spread over more buckets
      ours.record(v);
      hdrJs.recordValue(v);
      hdrWasm.recordValue(v);
      node.record(v);
    }
  }
  const ps = [50, 95, 99, 99.9];
  const bench = new Bench('4 percentiles of 1 M values', { ...defaults, ...options });
  bench.add('@perf/monitor percentiles([50, 95, 99, 99.9])', () => ours.percentiles(ps));
  bench.add('@perf/monitor 4× percentile()', () => ps.map((p) => ours.percentile(p)));
  bench.add('perf_hooks 4× percentile()', () => ps.map((p) => node.percentile(p)));
  bench.add('hdr-histogram-js (JS) 4× getValueAtPercentile', () =>
    ps.map((p) => hdrJs.getValueAtPercentile(p)),
  );
  bench.add('hdr-histogram-js (WASM) 4× getValueAtPercentile', () =>
    ps.map((p) => hdrWasm.getValueAtPercentile(p)),
  );
  return bench;
}

export default [recordBench, percentileBench];
