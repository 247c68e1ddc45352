/**
 * perf-kv's configuration: flags first, then `PERF_KV_*` environment variables, then defaults.
 * Every value is validated here, once, so the rest of the service can trust it.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

export interface Config {
  /** Port to listen on; 0 picks a free one. */
  port: number;
  host: string;
  /** Where the LSM shards keep their files. */
  dataDir: string;
  /** Storage engine of the shards: ours, or LevelDB for the side-by-side comparison. */
  engine: 'lsm' | 'classic-level';
  /** Storage shards (worker threads); 1 keeps storage in the main thread. */
  shards: number;
  /** Other perf-kv nodes to route keys to (`--peers URL,URL`). */
  peers: string[];
  /** This node's URL as its peers know it (`--advertise`); defaults to http://host:port. */
  advertise: string;
  /** Cache writes and flush them in the background (and on shutdown) instead of writing through. */
  writeBack: boolean;
  /** Cache capacity in bytes (keys, values and a per-entry overhead; @perf/cache weights). */
  cacheBytes: number;
  /** Dimension of stored vectors. */
  vectorDim: number;
  /** Collections at least this large are searched on worker threads. */
  parallelSearchMin: number;
  maxKeyBytes: number;
  maxValueBytes: number;
  maxBodyBytes: number;
  maxBatch: number;
  requestTimeoutMs: number;
  maxConcurrentStreams: number;
  /** Responses at least this large are compressed when the client accepts it. */
  compressMinBytes: number;
  /** Largest response body; scans and batch gets stop there and say where to continue. */
  maxResponseBytes: number;
  /** An HTTP/1.1 request's headers must arrive within this time. */
  headersTimeoutMs: number;
  /** A request body must arrive in full within this time (408, then the connection closes). */
  bodyTimeoutMs: number;
  /** A connection with no request in flight is closed after this long. */
  idleTimeoutMs: number;
  /** Open connections; beyond it new ones get 503 (HTTP/1.1) or GOAWAY (HTTP/2) and are closed. */
  maxConnections: number;
  /** Response bytes an HTTP/2 session may have produced but not yet had read by the client. */
  maxSessionBufferBytes: number;
  /** Response bytes all connections together may hold unread. */
  maxBufferedBytes: number;
  /** A response that makes no progress (the client does not read) for this long is reset. */
  stallTimeoutMs: number;
  /** Shed load (503 + Retry-After) once requests have queued longer than this. */
  shedTargetMs: number;
  /** Nesting depth a JSON body may have; deeper ones are refused before parsing. */
  maxJsonDepth: number;
  /** Bearer token for writes and the load/admin routes (`--token` or PERF_KV_TOKEN). */
  token: string;
  /** True when `token` was generated at start (it is printed). */
  tokenGenerated: boolean;
  /** Secret the nodes of a `--peers` cluster sign forwarded requests with (HMAC-SHA256). */
  clusterSecret: string;
}

export const DEFAULTS: Omit<Config, 'dataDir'> = {
  port: 7070,
  host: '127.0.0.1',
  engine: 'lsm',
  shards: 1,
  peers: [],
  advertise: '',
  writeBack: false,
  cacheBytes: 64 << 20,
  vectorDim: 64,
  parallelSearchMin: 20_000,
  maxKeyBytes: 1024,
  maxValueBytes: 1 << 20,
  maxBodyBytes: 8 << 20,
  maxBatch: 10_000,
  requestTimeoutMs: 10_000,
  maxConcurrentStreams: 256,
  compressMinBytes: 1024,
  maxResponseBytes: 16 << 20,
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 10_000,
  idleTimeoutMs: 15_000,
  maxConnections: 1024,
  maxSessionBufferBytes: 8 << 20,
  maxBufferedBytes: 256 << 20,
  stallTimeoutMs: 10_000,
  shedTargetMs: 50,
  maxJsonDepth: 64,
  token: '',
  tokenGenerated: false,
  clusterSecret: '',
};

type Flags = Record<string, string | boolean>;

/** Splits `--name value`, `--name=value` and bare `--switch` into a map. */
export function parseFlags(argv: string[]): { positional: string[]; flags: Flags } {
  const positional: string[] = [];
  const flags: Flags = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    if (eq > 0) flags[a.slice(2, eq)] = a.slice(eq + 1);
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--'))
      flags[a.slice(2)] = argv[++i]!;
    else flags[a.slice(2)] = true;
  }
  return { positional, flags };
}

const ENV_PREFIX = 'PERF_KV_';

function raw(flags: Flags, name: string, env: NodeJS.ProcessEnv): string | boolean | undefined {
  if (flags[name] !== undefined) return flags[name];
  return env[ENV_PREFIX + name.toUpperCase().replace(/-/g, '_')];
}

export function int(
  flags: Flags,
  name: string,
  def: number,
  min: number,
  max: number,
  env = process.env,
): number {
  const v = raw(flags, name, env);
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new RangeError(
      `Expected \`--${name}\` to be an integer from ${min} to ${max}, got \`${String(v)}\``,
    );
  }
  return n;
}

export function bool(flags: Flags, name: string, env = process.env): boolean {
  const v = raw(flags, name, env);
  return v === true || v === 'true' || v === '1';
}

export function str(flags: Flags, name: string, def: string, env = process.env): string {
  const v = raw(flags, name, env);
  if (v === undefined) return def;
  if (typeof v !== 'string') throw new TypeError(`Expected \`--${name}\` to have a value`);
  return v;
}

export function configFrom(flags: Flags, env = process.env): Config {
  const peers = str(flags, 'peers', '', env)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const p of peers) {
    const u = new URL(p);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      throw new TypeError(`Expected \`--peers\` to be http(s) URLs, got \`${p}\``);
    }
  }
  const port = int(flags, 'port', DEFAULTS.port, 0, 65535, env);
  const host = str(flags, 'host', DEFAULTS.host, env);
  if (peers.length > 0 && port === 0) {
    throw new RangeError('Expected a fixed `--port` with `--peers`: peers must know each other');
  }
  let token = str(flags, 'token', '', env);
  const tokenGenerated = token === '';
  if (tokenGenerated) {
    if (!isLoopback(host)) {
      throw new TypeError(
        `Expected \`--token\` (or PERF_KV_TOKEN) when binding beyond loopback (\`--host ${host}\`): writes would be open to the network`,
      );
    }
    token = randomBytes(24).toString('hex');
  } else if (token.length < 16) {
    throw new RangeError('Expected `--token` to be at least 16 characters');
  }
  const clusterSecret = str(flags, 'cluster-secret', '', env);
  if (peers.length > 0 && clusterSecret.length < 16) {
    throw new TypeError(
      'Expected `--cluster-secret` (or PERF_KV_CLUSTER_SECRET, at least 16 characters) with `--peers`: nodes sign the requests they forward with it',
    );
  }
  return {
    port,
    host,
    token,
    tokenGenerated,
    clusterSecret,
    advertise: str(flags, 'advertise', `http://${host}:${port}`, env),
    dataDir: str(flags, 'data-dir', join(process.cwd(), 'data'), env),
    engine: engineOf(str(flags, 'engine', DEFAULTS.engine, env)),
    shards: int(flags, 'shards', DEFAULTS.shards, 1, 64, env),
    peers,
    writeBack: bool(flags, 'write-back', env),
    cacheBytes: int(flags, 'cache-bytes', DEFAULTS.cacheBytes, 1 << 16, 2 ** 40, env),
    vectorDim: int(flags, 'vector-dim', DEFAULTS.vectorDim, 1, 4096, env),
    parallelSearchMin: int(flags, 'parallel-search-min', DEFAULTS.parallelSearchMin, 1, 1e9, env),
    maxKeyBytes: int(flags, 'max-key-bytes', DEFAULTS.maxKeyBytes, 1, 65536, env),
    maxValueBytes: int(flags, 'max-value-bytes', DEFAULTS.maxValueBytes, 1, 64 << 20, env),
    maxBodyBytes: int(flags, 'max-body-bytes', DEFAULTS.maxBodyBytes, 1024, 256 << 20, env),
    maxBatch: int(flags, 'max-batch', DEFAULTS.maxBatch, 1, 1e6, env),
    requestTimeoutMs: int(flags, 'request-timeout-ms', DEFAULTS.requestTimeoutMs, 10, 600_000, env),
    maxConcurrentStreams: int(flags, 'max-streams', DEFAULTS.maxConcurrentStreams, 1, 65535, env),
    compressMinBytes: int(flags, 'compress-min-bytes', DEFAULTS.compressMinBytes, 0, 1 << 30, env),
    maxResponseBytes: int(
      flags,
      'max-response-bytes',
      DEFAULTS.maxResponseBytes,
      64 << 10,
      2 ** 31,
      env,
    ),
    headersTimeoutMs: int(
      flags,
      'headers-timeout-ms',
      DEFAULTS.headersTimeoutMs,
      100,
      600_000,
      env,
    ),
    bodyTimeoutMs: int(flags, 'body-timeout-ms', DEFAULTS.bodyTimeoutMs, 100, 600_000, env),
    idleTimeoutMs: int(flags, 'idle-timeout-ms', DEFAULTS.idleTimeoutMs, 100, 3_600_000, env),
    maxConnections: int(flags, 'max-connections', DEFAULTS.maxConnections, 1, 1e6, env),
    maxSessionBufferBytes: int(
      flags,
      'max-session-buffer-bytes',
      DEFAULTS.maxSessionBufferBytes,
      64 << 10,
      2 ** 31,
      env,
    ),
    maxBufferedBytes: int(
      flags,
      'max-buffered-bytes',
      DEFAULTS.maxBufferedBytes,
      1 << 20,
      2 ** 40,
      env,
    ),
    stallTimeoutMs: int(flags, 'stall-timeout-ms', DEFAULTS.stallTimeoutMs, 100, 600_000, env),
    shedTargetMs: int(flags, 'shed-target-ms', DEFAULTS.shedTargetMs, 1, 60_000, env),
    maxJsonDepth: int(flags, 'max-json-depth', DEFAULTS.maxJsonDepth, 2, 10_000, env),
  };
}

/** True for the loopback names and addresses (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::ffff:127.0.0.1'
  );
}

function engineOf(v: string): Config['engine'] {
  if (v !== 'lsm' && v !== 'classic-level') {
    throw new TypeError(`Expected \`--engine\` to be lsm or classic-level, got \`${v}\``);
  }
  return v;
}
