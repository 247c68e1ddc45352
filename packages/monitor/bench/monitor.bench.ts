// measure(), labelled observe and Prometheus exposition against prom-client.
import client from 'prom-client';
import { Bench, type BenchOptions } from '../src/bench-api.js';
import { Monitor } from '../src/index.js';
import { defaults } from './data.js';

const CALLS = 1000;

export function measureBench(options: BenchOptions = {}): Bench {
  let x = 0;
  const work = () => (x = (x + 1) | 0);
  // Injected constant-cost clock isolates measure()'s own bookkeeping from the clock read,
  // which costs 200–300 ns per call on this VM (performance.now, hrtime and Date.now alike).
  let tick = 0;
  const fake = new Monitor({ now: () => (tick += 0.001) });
  const real = new Monitor();
  const promH = new client.Histogram({ name: 'op_seconds', help: 'op', registers: [] });
  const bench = new Bench(`measure() ×${CALLS}`, { ...defaults, ...options });
  bench.add(
    '_vanilla fn()',
    () => {
      for (let i = 0; i < CALLS; i++) work();
      return x;
    },
    { ops: CALLS },
  );
  bench.add(
    '2× performance.now() + fn()',
    () => {
      let s = 0;
      for (let i = 0; i < CALLS; i++) {
        const t = performance.now();
        work();
        s += performance.now() - t;
      }
      return s;
    },
    { ops: CALLS },
  );
  bench.add(
    'monitor.measure (injected clock)',
    () => {
      for (let i = 0; i < CALLS; i++) fake.measure('op', work);
      return x;
    },
    { ops: CALLS },
  );
  bench.add(
    'monitor.measure (performance.now)',
    () => {
      for (let i = 0; i < CALLS; i++) real.measure('op', work);
      return x;
    },
    { ops: CALLS },
  );
  bench.add(
    'prom-client startTimer()()',
    () => {
      for (let i = 0; i < CALLS; i++) {
        const end = promH.startTimer();
        work();
        end();
      }
      return x;
    },
    { ops: CALLS },
  );
  return bench;
}

export function observeBench(options: BenchOptions = {}): Bench {
  const routes = ['/kv/get', '/kv/put', '/kv/delete', '/metrics', '/stats'];
  const m = new Monitor();
  const ours = m.histogram('http_request_duration', { labelNames: ['route', 'method'] });
  const theirs = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'h',
    labelNames: ['route', 'method'],
    registers: [],
  });
  const bench = new Bench(`labelled observe ×${CALLS}`, { ...defaults, ...options });
  let sink = 0;
  bench.add(
    '_vanilla (build labels object)',
    () => {
      for (let i = 0; i < CALLS; i++) {
        const labels = { route: routes[i % 5]!, method: 'GET' };
        sink += labels.route.length;
      }
      return sink;
    },
    { ops: CALLS },
  );
  bench.add(
    '@perf/monitor observe(labels, µs)',
    () => {
      for (let i = 0; i < CALLS; i++)
        ours.observe({ route: routes[i % 5]!, method: 'GET' }, 1000 + i);
    },
    { ops: CALLS },
  );
  bench.add(
    '@perf/monitor labels(…) hoisted, observe(µs)',
    () => {
      const series = ours.labels({ route: '/kv/get', method: 'GET' });
      for (let i = 0; i < CALLS; i++) series.observe(1000 + i);
    },
    { ops: CALLS },
  );
  bench.add(
    'prom-client observe(labels, s)',
    () => {
      for (let i = 0; i < CALLS; i++)
        theirs.observe({ route: routes[i % 5]!, method: 'GET' }, (1000 + i) / 1e6);
    },
    { ops: CALLS },
  );
  return bench;
}

/** 1,000 series: 500 labelled counters and 500 labelled histograms (11 buckets each). */
export function exposeBench(options: BenchOptions = {}): Bench {
  const m = new Monitor();
  const registry = new client.Registry();
  const oc = m.counter('requests_total', { labelNames: ['route'] });
  const oh = m.histogram('request_duration', { labelNames: ['route'] });
  const tc = new client.Counter({
    name: 'requests_total',
    help: 'requests_total',
    labelNames: ['route'],
    registers: [registry],
  });
  const th = new client.Histogram({
    name: 'request_duration',
    help: 'request_duration',
    labelNames: ['route'],
    registers: [registry],
  });
  for (let r = 0; r < 500; r++) {
    const labels = { route: `/route/${r}` };
    oc.inc(labels, r);
    tc.inc(labels, r);
    for (let k = 0; k < 20; k++) {
      oh.observe(labels, (k + 1) * 3000);
      th.observe(labels, ((k + 1) * 3000) / 1e6);
    }
  }
  const bench = new Bench('exposition of 1,000 series', { ...defaults, ...options });
  bench.add('@perf/monitor toPrometheus()', () => m.toPrometheus());
  bench.add('prom-client registry.metrics()', () => registry.metrics());
  return bench;
}

export default [measureBench, observeBench, exposeBench];
