// A real Prometheus server (exemplar storage on) scrapes our endpoint, negotiates OpenMetrics,
// and its HTTP API then holds our series and our exemplar.
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import {
  freePort,
  missingBinary,
  type RunningProcess,
  startProcess,
  tempDir,
  waitFor,
} from '@perf/internal/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everyFeature } from './helpers/every-feature.js';

const PROMETHEUS = '/usr/bin/prometheus';
const missing = missingBinary(PROMETHEUS, 'apt-get install -y prometheus');
if (missing) console.warn(`skipping the Prometheus scrape test: ${missing}`);

describe.skipIf(missing !== undefined)('a real Prometheus scrapes our OpenMetrics', () => {
  const dir = tempDir('perf-prometheus-');
  const monitor = everyFeature();
  const accepts: string[] = [];
  let server: Server;
  let prometheus: RunningProcess | undefined;
  let api = '';

  beforeAll(async () => {
    server = createServer((req, res) => {
      accepts.push(String(req.headers.accept));
      const { contentType, body } = monitor.exposition(req.headers.accept);
      res.writeHead(200, { 'content-type': contentType }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const target = `127.0.0.1:${(server.address() as { port: number }).port}`;
    const port = await freePort();
    api = `http://127.0.0.1:${port}/api/v1`;
    const config = join(dir.path, 'prometheus.yml');
    writeFileSync(
      config,
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: perf\n    scrape_interval: 1s\n    static_configs:\n      - targets: ['${target}']\n`,
    );
    prometheus = startProcess(PROMETHEUS, [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir.path, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--enable-feature=exemplar-storage',
    ]);
  });

  afterAll(async () => {
    await prometheus?.stop();
    await new Promise((r) => server?.close(r));
    dir.remove();
  });

  const get = async (path: string) => {
    const r = await fetch(`${api}${path}`);
    return (await r.json()) as { status: string; data: unknown };
  };

  it('stores the series and the exemplar', async () => {
    try {
      const series = await waitFor(
        async () => {
          const q = await get(
            `/query?query=${encodeURIComponent('http_requests_total{method="GET"}')}`,
          );
          const result = (q.data as { result: { value: [number, string] }[] }).result;
          return result.length > 0 ? result : undefined;
        },
        { timeoutMs: 45_000, intervalMs: 500, what: 'the scraped series' },
      );
      expect(series[0]!.value[1]).toBe('3');
      expect(accepts.some((a) => a.includes('application/openmetrics-text'))).toBe(true);

      const now = Date.now() / 1000;
      const exemplars = await waitFor(
        async () => {
          const q = await get(
            `/query_exemplars?query=request_duration_seconds_bucket&start=${now - 600}&end=${now + 600}`,
          );
          const data = q.data as {
            exemplars: { labels: Record<string, string>; value: string }[];
          }[];
          const all = data.flatMap((d) => d.exemplars);
          return all.length > 0 ? all : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 500, what: 'the exemplar' },
      );
      expect(exemplars[0]!.labels.trace_id).toBe('abc123');
      expect(Number(exemplars[0]!.value)).toBeCloseTo(0.0067, 6);

      // The scrape itself was healthy: no parse error on the target.
      const targets = await get('/targets');
      const active = (targets.data as { activeTargets: { health: string; lastError: string }[] })
        .activeTargets;
      expect(active[0]).toMatchObject({ health: 'up', lastError: '' });
    } catch (err) {
      throw new Error(
        `${(err as Error).message}\nprometheus output:\n${prometheus?.output().slice(-3000)}`,
        {
          cause: err,
        },
      );
    }
  }, 90_000);
});
