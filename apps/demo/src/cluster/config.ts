/**
 * The cluster flags of `perf-kv serve`:
 *
 *   --etcd URL[,URL]        etcd client URLs: turns cluster mode on
 *   --cluster NAME          cluster name (key prefix /perf-kv/NAME/), default `perf-kv`
 *   --node-id ID            this node's member id, default derived from --advertise
 *   --advertise URL         how the other nodes reach this one (needs a fixed --port otherwise)
 *   --cluster-secret S      shared secret of node-to-node requests (PERF_KV_CLUSTER_SECRET)
 *   --lease-ttl SECONDS     how long a silent node stays live, default 5
 *   --redis URL             invalidation bus for the hot-key L1 (optional)
 */
import { type Config, int, str } from '../config.js';
import type { ClusterConfig } from './service.js';

type Flags = Record<string, string | boolean>;

export function clusterConfigFrom(
  flags: Flags,
  cfg: Config,
  env = process.env,
): ClusterConfig | undefined {
  const etcd = str(flags, 'etcd', '', env)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (etcd.length === 0) return undefined;
  for (const u of etcd) {
    if (!/^https?:$/.test(new URL(u).protocol)) {
      throw new TypeError(`Expected \`--etcd\` to be http(s) URLs, got \`${u}\``);
    }
  }
  if (cfg.peers.length > 0) {
    throw new TypeError('Expected either `--etcd` (membership from etcd) or `--peers`, not both');
  }
  if (cfg.port === 0 && str(flags, 'advertise', '', env) === '') {
    throw new RangeError('Expected a fixed `--port` or `--advertise` with `--etcd`');
  }
  if (cfg.clusterSecret.length < 16) {
    throw new TypeError(
      'Expected `--cluster-secret` (or PERF_KV_CLUSTER_SECRET, at least 16 characters) with `--etcd`: nodes sign the requests they send each other with it',
    );
  }
  const advertise = new URL(cfg.advertise);
  const redis = str(flags, 'redis', '', env);
  if (redis !== '' && new URL(redis).protocol !== 'redis:') {
    throw new TypeError(`Expected \`--redis\` to be a redis:// URL, got \`${redis}\``);
  }
  return {
    etcd,
    cluster: str(flags, 'cluster', 'perf-kv', env),
    nodeId: str(flags, 'node-id', `${advertise.hostname}-${advertise.port}`, env),
    advertise: cfg.advertise,
    secret: cfg.clusterSecret,
    ttlSeconds: int(flags, 'lease-ttl', 5, 2, 3600, env),
    token: cfg.token,
    ...(redis ? { redis } : {}),
  };
}
