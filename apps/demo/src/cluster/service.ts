/**
 * `perf-kv serve --etcd URL --cluster NAME --advertise URL`: the node's cluster part — its
 * etcd membership, the `ClusterNode` that becomes the routes' backend, and the `/cluster/rpc`
 * route the other nodes call.
 */
import { timingSafeEqual } from 'node:crypto';
import { RedisBus } from '@perf/cache/redis';
import { Redis } from 'ioredis';
import { json, type Req, type Res } from '../server/http/message.js';
import type { Backend } from '../server/types.js';
import { EtcdMembership } from './membership.js';
import { ClusterNode, RPC_PATH } from './node.js';

/** Admin route: the node hands its keys off and leaves the cluster (bearer token). */
export const LEAVE_PATH = '/cluster/leave';

function bearerMatches(header: string | string[] | undefined, token: string): boolean {
  const given = Buffer.from(typeof header === 'string' ? header.replace(/^Bearer /, '') : '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

export interface ClusterConfig {
  /** etcd client URLs. */
  readonly etcd: readonly string[];
  readonly cluster: string;
  /** This node's member id. */
  readonly nodeId: string;
  /** The URL the other nodes reach this one at. */
  readonly advertise: string;
  /** The shared cluster secret (HMAC of every node-to-node request). */
  readonly secret: string;
  /** Lease TTL in seconds. */
  readonly ttlSeconds: number;
  /** The bearer token of the admin routes (`POST /cluster/leave`). */
  readonly token: string;
  /**
   * Redis URL of the invalidation bus (`--redis`); without it, reads of other nodes' keys are
   * always forwarded (no hot-key L1).
   */
  readonly redis?: string;
}

export interface ClusterService {
  readonly node: ClusterNode;
  /**
   * Answers `POST /cluster/rpc` (signed by a node) and `POST /cluster/leave` (bearer token:
   * hands every key off, leaves, then calls `onLeft`); `undefined` for any other request.
   */
  route(req: Req): Promise<Res> | undefined;
  /** Registers the node: call once the HTTP front listens. */
  start(): Promise<void>;
  /** Hands every key off, then leaves the cluster for good. */
  leave(): Promise<void>;
  /** Stops (the registration stays: the node is down until it starts again). */
  close(): Promise<void>;
}

export async function startCluster(
  cfg: ClusterConfig,
  local: Backend,
  onLeft: () => void,
): Promise<ClusterService> {
  const membership = await EtcdMembership.connect({
    endpoints: cfg.etcd,
    cluster: cfg.cluster,
    id: cfg.nodeId,
    advertise: cfg.advertise,
    ttlSeconds: cfg.ttlSeconds,
  });
  const redis = cfg.redis
    ? [new Redis(cfg.redis, { lazyConnect: false }), new Redis(cfg.redis, { lazyConnect: false })]
    : [];
  const bus = cfg.redis
    ? new RedisBus({
        publisher: redis[0]!,
        subscriber: redis[1]!,
        channel: `perf-kv:${cfg.cluster}:invalidate`,
      })
    : undefined;
  const node = new ClusterNode({ membership, local, secret: cfg.secret, ...(bus ? { bus } : {}) });
  const closeRedis = () => {
    for (const r of redis) r.disconnect();
  };
  return {
    node,
    route(req) {
      if (req.path !== RPC_PATH && req.path !== LEAVE_PATH) return undefined;
      if (req.method !== 'POST') {
        return Promise.resolve({ status: 405, headers: { allow: 'POST' }, body: '' });
      }
      if (req.path === LEAVE_PATH) {
        if (!bearerMatches(req.headers.authorization, cfg.token)) {
          return Promise.resolve(json(401, { error: 'unauthorized' }));
        }
        return node.leave().then(() => {
          closeRedis();
          setImmediate(onLeft);
          return json(200, { left: true, keysSent: node.stats().handoff.keysSent });
        });
      }
      return node.handleRpc(req.headers, req.body).then((r) => ({
        status: r.status,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: r.body,
      }));
    },
    start: () => node.start(),
    leave: () => node.leave().finally(closeRedis),
    close: () => node.close().finally(closeRedis),
  };
}
