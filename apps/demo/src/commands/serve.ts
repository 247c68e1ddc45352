/**
 * `perf-kv serve`: assembles the service — shards, cache, vectors, telemetry, compression,
 * dashboard — behind one HTTP/2 + HTTP/1.1 port, and shuts it down gracefully on SIGINT or
 * SIGTERM: stop accepting, drain in-flight requests, flush write-back entries, close stores.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Compressor } from '@perf/net';
import { clusterConfigFrom } from '../cluster/config.js';
import { type ClusterConfig, type ClusterService, startCluster } from '../cluster/service.js';
import { type Config, configFrom, isLoopback } from '../config.js';
import { LiveFeed } from '../dashboard/live-feed.js';
import { dashboardHtml } from '../dashboard/page.js';
import { errorResponse } from '../server/http/errors.js';
import { HttpFront } from '../server/http/front.js';
import { json, type Req, type Res } from '../server/http/message.js';
import { Routes } from '../server/http/routes.js';
import { KvBackend } from '../server/storage/backend.js';
import { ensureLayout, shardDir } from '../server/storage/layout.js';
import { lsmRecorder, lsmRegistry } from '../server/storage/lsm-metrics.js';
import { PeerRouter } from '../server/storage/peers.js';
import { ClassicLevelShard, LocalShard, WorkerShard } from '../server/storage/shard.js';
import { Telemetry } from '../server/telemetry.js';
import type { Shard } from '../server/types.js';
import { Vectors } from '../server/vectors/vectors.js';

type Flags = Record<string, string | boolean>;

export interface Service {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * `cluster`: membership from etcd, placement and handoff (cluster/); the node's storage then
 * holds versioned records and the routes see the cluster as their backend. `onLeft` runs
 * once the node has handed its keys off and left (`POST /cluster/leave`).
 */
export async function startService(
  cfg: Config,
  cluster?: ClusterConfig,
  onLeft: () => void = () => {},
): Promise<Service> {
  // The data dir records its shard layout; a different --shards is refused, not half-served.
  const layout = ensureLayout(cfg.dataDir, cfg.shards, cfg.engine);
  const dirOf = (i: number) => shardDir(cfg.dataDir, layout, i);
  // Each LSM shard records its get/write latencies into shared memory from its own thread;
  // /metrics reads them there (lsm-metrics.ts).
  const lsm = cfg.engine === 'lsm' ? lsmRegistry(cfg.shards) : undefined;
  const shards: Shard[] =
    lsm === undefined
      ? await Promise.all(
          Array.from({ length: cfg.shards }, (_, i) => ClassicLevelShard.open(dirOf(i))),
        )
      : cfg.shards === 1
        ? [await LocalShard.open(dirOf(0), lsmRecorder(lsm, 0))]
        : await Promise.all(
            Array.from({ length: cfg.shards }, (_, i) =>
              WorkerShard.open(dirOf(i), { descriptor: lsm.descriptor, shard: i }),
            ),
          );
  const backend = new KvBackend(shards, {
    cacheBytes: cfg.cacheBytes,
    writeBack: cfg.writeBack,
  });
  const router =
    cfg.peers.length > 0
      ? new PeerRouter(cfg.advertise, cfg.peers, backend, {
          secret: cfg.clusterSecret,
          // No use waiting on a peer after the client was answered 503 timeout.
          timeoutMs: Math.min(10_000, cfg.requestTimeoutMs),
        })
      : undefined;
  const clusterService: ClusterService | undefined = cluster
    ? await startCluster(cluster, backend, onLeft)
    : undefined;
  const vectors = await Vectors.open(
    join(cfg.dataDir, 'vectors'),
    cfg.vectorDim,
    cfg.parallelSearchMin,
  );
  const telemetry = new Telemetry();
  if (lsm !== undefined) telemetry.monitor.addCollector((format) => lsm.expose(format));
  const compressor = new Compressor({ threshold: cfg.compressMinBytes });
  const live = new LiveFeed(telemetry, backend, vectors, cfg.token, clusterService?.node);
  let selfUrl = '';

  const assets = loadAssets();
  const routes = new Routes(
    cfg,
    clusterService?.node ?? router ?? backend,
    vectors,
    {
      metrics: () => ({
        status: 200,
        headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
        body: telemetry.prometheus(),
      }),
      stats: async () =>
        json(200, {
          ...(await statsOf(telemetry, backend, vectors)),
          front: frontStats(),
          ...(clusterService ? { cluster: clusterService.node.stats() } : {}),
        }),
      dashboard: (req) => {
        if (req.method === 'GET' && req.path === '/') {
          return {
            status: 200,
            headers: { 'content-type': 'text/html; charset=utf-8' },
            // The page carries the write token (to start load runs) only for a loopback
            // client; Host and Origin were checked by the routes (no DNS rebinding).
            body: dashboardHtml(isLoopback(req.remoteAddress ?? '') ? cfg.token : ''),
          };
        }
        if (req.method === 'GET' && req.path === '/assets/uplot.js') {
          return {
            status: 200,
            headers: {
              'content-type': 'text/javascript; charset=utf-8',
              'cache-control': 'max-age=3600',
            },
            body: assets.js,
          };
        }
        if (req.method === 'GET' && req.path === '/assets/uplot.css') {
          return {
            status: 200,
            headers: { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'max-age=3600' },
            body: assets.css,
          };
        }
        if (req.method === 'GET' && req.path === '/events') return live.subscribe();
        if (req.method === 'POST' && req.path === '/load/start')
          return live.startLoad(selfUrl, req);
        return undefined;
      },
    },
    backend,
  );

  const handler = async (req: Req): Promise<Res> => {
    const t0 = performance.now();
    let res: Res;
    try {
      res = await (clusterService?.route(req) ?? routes.handle(req));
    } catch (err) {
      res = errorResponse(err);
    }
    if (res.body !== undefined && !res.stream) res = compress(compressor, telemetry, req, res);
    telemetry.request(
      Routes.routeName(req.method, req.path),
      res.status,
      (performance.now() - t0) * 1000,
    );
    return res;
  };

  const front = new HttpFront(handler, {
    maxBodyBytes: cfg.maxBodyBytes,
    requestTimeoutMs: cfg.requestTimeoutMs,
    maxConcurrentStreams: cfg.maxConcurrentStreams,
    headersTimeoutMs: cfg.headersTimeoutMs,
    bodyTimeoutMs: cfg.bodyTimeoutMs,
    idleTimeoutMs: cfg.idleTimeoutMs,
    maxConnections: cfg.maxConnections,
    maxSessionBufferBytes: cfg.maxSessionBufferBytes,
    maxBufferedBytes: cfg.maxBufferedBytes,
    stallTimeoutMs: cfg.stallTimeoutMs,
    shedTargetMs: cfg.shedTargetMs,
  });
  function frontStats() {
    return {
      ...front.counters,
      shedding: front.shedding,
      connections: front.connections,
      bufferedBytes: front.bufferedBytes,
    };
  }
  const port = await front.listen(cfg.port, cfg.host);
  selfUrl = `http://${cfg.host}:${port}`;
  live.start();
  await clusterService?.start();
  let closing: Promise<void> | undefined;
  return {
    url: selfUrl,
    port,
    close: () =>
      (closing ??= (async () => {
        live.stop();
        await front.close();
        await router?.close();
        await clusterService?.close();
        await backend.close();
        await vectors.close();
        telemetry.close();
      })()),
  };
}

/** Compresses per Accept-Encoding; the Compressor's own threshold keeps small bodies as they are. */
function compress(c: Compressor, t: Telemetry, req: Req, res: Res): Res {
  const body = typeof res.body === 'string' ? Buffer.from(res.body) : res.body!;
  const accept = req.headers['accept-encoding'];
  const headers = { ...res.headers, vary: 'accept-encoding' };
  if (accept === undefined) return { ...res, headers, body };
  const enc = c.encodeFor(accept, body);
  if (enc.encoding === 'identity') return { ...res, headers, body };
  t.compressed(body.length, enc.body.length);
  return { ...res, headers: { ...headers, 'content-encoding': enc.encoding }, body: enc.body };
}

export async function statsOf(t: Telemetry, b: KvBackend, v: Vectors) {
  const shards = await b.shardStats();
  return {
    uptimeSec: process.uptime(),
    cache: b.cacheStats(),
    compression: t.compression(),
    shards: shards.map((s) => ({
      keys: s.keysWritten,
      requests: s.requests,
      writes: s.writes,
      syncs: s.syncs,
      tableBytes: s.tableBytes,
      compactions: s.compactions,
    })),
    gc: { count: t.gcCount, totalMs: t.gcTotalMs, maxMs: t.gcMaxMs },
    vectors: v.size,
    routes: t.routes(),
    memory: process.memoryUsage(),
  };
}

function loadAssets(): { js: Buffer; css: Buffer } {
  const require = createRequire(import.meta.url);
  const dist = join(require.resolve('uplot'), '..');
  return {
    js: readFileSync(join(dist, 'uPlot.iife.min.js')),
    css: readFileSync(join(dist, 'uPlot.min.css')),
  };
}

export async function serve(flags: Flags): Promise<number> {
  const cfg = configFrom(flags);
  let left = () => {};
  const service = await startService(cfg, clusterConfigFrom(flags, cfg), () => left());
  if (cfg.tokenGenerated) {
    console.log(
      `token: ${cfg.token} (writes and load runs need \`Authorization: Bearer <token>\`; set --token or PERF_KV_TOKEN to choose one)`,
    );
  }
  console.log(
    `perf-kv listening on ${service.url} (h2c and HTTP/1.1; dashboard at ${service.url}/)`,
  );
  console.log(
    `data: ${cfg.dataDir}, shards: ${cfg.shards}, cache: ${(cfg.cacheBytes / 2 ** 20).toFixed(1)} MiB${cfg.writeBack ? ', write-back' : ''}`,
  );
  return new Promise((resolve) => {
    const shutdown = (signal: string) => {
      console.log(`perf-kv: ${signal}, shutting down`);
      service.close().then(
        () => resolve(0),
        (err: unknown) => {
          console.error('perf-kv: shutdown failed', err);
          resolve(1);
        },
      );
    };
    left = () => shutdown('left the cluster');
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
}
