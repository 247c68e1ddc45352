/**
 * perf-kv's configuration: flags first, then `PERF_KV_*` environment variables, then defaults.
 * Every value is validated here, once, so the rest of the service can trust it.
 */
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
  /** Cache capacity, in entries. */
  cacheEntries: number;
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
}

export const DEFAULTS: Omit<Config, 'dataDir'> = {
  port: 7070,
  host: '127.0.0.1',
  engine: 'lsm',
  shards: 1,
  peers: [],
  advertise: '',
  writeBack: false,
  cacheEntries: 100_000,
  vectorDim: 64,
  parallelSearchMin: 20_000,
  maxKeyBytes: 1024,
  maxValueBytes: 1 << 20,
  maxBodyBytes: 8 << 20,
  maxBatch: 10_000,
  requestTimeoutMs: 10_000,
  maxConcurrentStreams: 256,
  compressMinBytes: 1024,
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
  return {
    port,
    host,
    advertise: str(flags, 'advertise', `http://${host}:${port}`, env),
    dataDir: str(flags, 'data-dir', join(process.cwd(), 'data'), env),
    engine: engineOf(str(flags, 'engine', DEFAULTS.engine, env)),
    shards: int(flags, 'shards', DEFAULTS.shards, 1, 64, env),
    peers,
    writeBack: bool(flags, 'write-back', env),
    cacheEntries: int(flags, 'cache-entries', DEFAULTS.cacheEntries, 16, 1e8, env),
    vectorDim: int(flags, 'vector-dim', DEFAULTS.vectorDim, 1, 4096, env),
    parallelSearchMin: int(flags, 'parallel-search-min', DEFAULTS.parallelSearchMin, 1, 1e9, env),
    maxKeyBytes: int(flags, 'max-key-bytes', DEFAULTS.maxKeyBytes, 1, 65536, env),
    maxValueBytes: int(flags, 'max-value-bytes', DEFAULTS.maxValueBytes, 1, 64 << 20, env),
    maxBodyBytes: int(flags, 'max-body-bytes', DEFAULTS.maxBodyBytes, 1024, 256 << 20, env),
    maxBatch: int(flags, 'max-batch', DEFAULTS.maxBatch, 1, 1e6, env),
    requestTimeoutMs: int(flags, 'request-timeout-ms', DEFAULTS.requestTimeoutMs, 10, 600_000, env),
    maxConcurrentStreams: int(flags, 'max-streams', DEFAULTS.maxConcurrentStreams, 1, 65535, env),
    compressMinBytes: int(flags, 'compress-min-bytes', DEFAULTS.compressMinBytes, 0, 1 << 30, env),
  };
}

function engineOf(v: string): Config['engine'] {
  if (v !== 'lsm' && v !== 'classic-level') {
    throw new TypeError(`Expected \`--engine\` to be lsm or classic-level, got \`${v}\``);
  }
  return v;
}
