// A registry that uses every exposition feature, shared by the format tests.
import { Monitor } from '../../src/index.js';

/** A registry that uses every exposition feature: escapes, all four types, exemplars. */
export function everyFeature(): Monitor {
  const m = new Monitor();
  const c = m.counter('http_requests_total', {
    help: 'Requests "served"\nby route \\ method',
    labelNames: ['route', 'method'],
  });
  c.inc({ route: '/kv/"quoted"', method: 'GET' }, 3);
  c.inc({ route: 'back\\slash\nnewline', method: 'PUT' });
  m.gauge('queue_depth', { help: 'Items waiting' }).set(7);
  const h = m.histogram('request_duration_seconds', { help: 'Latency', labelNames: ['route'] });
  h.observe({ route: '/kv' }, 6_700, { trace_id: 'abc123' });
  h.observe({ route: '/kv' }, 120_000);
  m.summaryMetric('payload_size_bytes', {
    help: 'Payload sizes',
    prometheusScale: 1,
    percentiles: [50, 99],
    labelNames: ['kind'],
  }).observe({ kind: 'json "body"' }, 512);
  return m;
}
