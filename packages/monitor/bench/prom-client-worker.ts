// A worker thread with its own prom-client registry (the metrics of the shared bench), which
// answers every 'collect' message with getMetricsAsJSON(): how prom-client users aggregate
// worker-thread metrics today (AggregatorRegistry.aggregate on the main thread).
import { parentPort, workerData } from 'node:worker_threads';
import client from 'prom-client';

const { routes } = workerData as { routes: string[] };
const registry = new client.Registry();
const jobs = new client.Counter({
  name: 'jobs_total',
  help: 'Jobs',
  labelNames: ['route'],
  registers: [registry],
});
const latency = new client.Histogram({
  name: 'job_duration_seconds',
  help: 'Job time',
  labelNames: ['route'],
  registers: [registry],
});
for (const route of routes) {
  for (let i = 0; i < 100; i++) {
    jobs.inc({ route });
    latency.observe({ route }, (i % 7) / 1000);
  }
}
parentPort!.on('message', async (m: unknown) => {
  if (m === 'collect') parentPort!.postMessage(await registry.getMetricsAsJSON());
});
parentPort!.postMessage('ready');
