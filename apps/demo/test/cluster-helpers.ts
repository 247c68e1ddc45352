// In-process cluster nodes for tests: each has its own LSM shard in a temp dir, its own
// HTTP/2 server on a free loopback port serving /cluster/rpc, and its own etcd membership.
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Http2Server } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisBus } from '@perf/cache/redis';
import { Redis } from 'ioredis';
import { EtcdMembership } from '../src/cluster/membership.js';
import { ClusterNode, RPC_PATH } from '../src/cluster/node.js';
import { KvBackend } from '../src/server/storage/backend.js';
import { LocalShard } from '../src/server/storage/shard.js';

export const SECRET = 'test-cluster-secret-0123456789';

export interface TestNode {
  id: string;
  node: ClusterNode;
  local: KvBackend;
  server: Http2Server;
  dir: string;
  port: number;
  /** Stops the node as a crash would (registration kept) and keeps its data dir. */
  crash(): Promise<void>;
  /** Leaves for good (handoff first) and removes its data dir. */
  leave(): Promise<void>;
}

export async function startNode(
  etcdUrl: string,
  cluster: string,
  id: string,
  opts: { dir?: string; port?: number; handoffBatch?: number; redisPort?: number } = {},
): Promise<TestNode> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), `perf-kv-${id}-`));
  const local = new KvBackend([await LocalShard.open(join(dir, 'shard-0'))], {
    cacheEntries: 256,
    writeBack: false,
  });
  let node: ClusterNode | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url !== RPC_PATH || !node) {
        res.writeHead(404).end();
        return;
      }
      node.handleRpc(req.headers, Buffer.concat(chunks)).then(
        (r) => res.writeHead(r.status, { 'content-type': 'application/json' }).end(r.body),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    });
  });
  server.listen(opts.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  const membership = await EtcdMembership.connect({
    endpoints: [etcdUrl],
    cluster,
    id,
    advertise: `http://127.0.0.1:${port}`,
    ttlSeconds: 2,
  });
  const redis = opts.redisPort
    ? [new Redis(opts.redisPort, '127.0.0.1'), new Redis(opts.redisPort, '127.0.0.1')]
    : undefined;
  const bus = redis
    ? new RedisBus({ publisher: redis[0]!, subscriber: redis[1]!, channel: `perf-kv:${cluster}` })
    : undefined;
  node = new ClusterNode({
    membership,
    local,
    secret: SECRET,
    timeoutMs: 3000,
    handoffBatch: opts.handoffBatch ?? 200,
    ...(bus ? { bus } : {}),
  });
  await node.start();
  const stop = async () => {
    for (const r of redis ?? []) r.disconnect();
    server.close();
    await local.close();
  };
  return {
    id,
    node,
    local,
    server,
    dir,
    port,
    async crash() {
      await node!.close();
      await stop();
    },
    async leave() {
      await node!.leave();
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 30_000) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every node has caught up with the same, newest epoch. */
export function settled(nodes: readonly TestNode[]): boolean {
  const epochs = nodes.map((n) => n.node.stats().epoch);
  return (
    epochs.every((e) => e === epochs[0]) &&
    nodes.every((n) => {
      const s = n.node.stats();
      return !s.handoff.running && s.handoff.caughtUpEpoch === s.epoch;
    })
  );
}
