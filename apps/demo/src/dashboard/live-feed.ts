import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpError } from '../server/http/errors.js';
import { json, jsonError, type Req, type Res } from '../server/http/message.js';
import type { ClusterNode } from '../cluster/node.js';
import type { KvBackend } from '../server/storage/backend.js';
import type { Telemetry } from '../server/telemetry.js';
import type { Vectors } from '../server/vectors/vectors.js';

/**
 * The dashboard's feed: once a second, a snapshot (throughput, latency percentiles of the last
 * second, cache hit rate, per-shard request rate) to every `/events` subscriber.
 */
export class LiveFeed {
  readonly #subscribers = new Set<(chunk: string) => boolean>();
  #timer: NodeJS.Timeout | undefined;
  #lastShardRequests: number[] = [];
  #lastHits = 0;
  #lastMisses = 0;
  #load: 'idle' | 'running' = 'idle';
  #child: ChildProcess | undefined;

  constructor(
    readonly telemetry: Telemetry,
    readonly backend: KvBackend,
    readonly vectors: Vectors,
    readonly token: string,
    /** Cluster mode: the members, the epoch and the keys each node holds go into every snapshot. */
    readonly cluster?: ClusterNode,
  ) {}

  start(): void {
    this.#timer = setInterval(() => void this.#tick(), 1000);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#child?.kill('SIGTERM');
  }

  subscribe(): Res {
    return {
      status: 200,
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
      stream: (write, signal) => {
        write('retry: 1000\n\n');
        this.#subscribers.add(write);
        signal.addEventListener('abort', () => this.#subscribers.delete(write), { once: true });
      },
    };
  }

  startLoad(url: string, req: Req): Res {
    if (this.#load === 'running')
      return jsonError(409, 'load_running', 'a load run is already running');
    const duration = Number(req.query.get('duration') ?? '20');
    if (!Number.isInteger(duration) || duration < 1 || duration > 600) {
      throw new HttpError(400, 'bad_duration', 'duration must be 1 to 600 seconds');
    }
    const cli = fileURLToPath(new URL('./cli.js', import.meta.url));
    const child = spawn(
      process.execPath,
      [
        cli,
        'load',
        '--url',
        url,
        '--duration',
        String(duration),
        '--report-dir',
        join(process.cwd(), 'reports', 'dashboard'),
      ],
      // The run writes: it gets the token through the environment, not the command line.
      { stdio: 'ignore', env: { ...process.env, PERF_KV_TOKEN: this.token } },
    );
    this.#load = 'running';
    this.#child = child;
    const done = () => {
      this.#load = 'idle';
      this.#child = undefined;
    };
    child.once('exit', done);
    child.once('error', done);
    return json(202, { started: true, duration });
  }

  async #tick(): Promise<void> {
    const w = this.telemetry.takeWindow();
    if (this.#subscribers.size === 0) return;
    const shards = await this.backend.shardStats();
    const req = shards.map((s) => s.requests);
    const perShard = req.map((r, i) => Math.max(0, r - (this.#lastShardRequests[i] ?? r)));
    this.#lastShardRequests = req;
    const c = this.backend.cacheStats();
    const dh = c.hits - this.#lastHits;
    const dm = c.misses - this.#lastMisses;
    this.#lastHits = c.hits;
    this.#lastMisses = c.misses;
    const snap = {
      ...w,
      cache: { hitRate: dh + dm > 0 ? dh / (dh + dm) : c.hitRate, size: c.size },
      shards: perShard,
      keys: shards.reduce((a, s) => a + s.keysWritten, 0),
      vectors: this.vectors.size,
      load: this.#load,
      ...(this.cluster ? { cluster: await this.#clusterSnapshot(this.cluster) } : {}),
    };
    const line = `data: ${JSON.stringify(snap)}\n\n`;
    for (const write of this.#subscribers) write(line);
  }

  async #clusterSnapshot(c: ClusterNode) {
    const s = c.stats();
    const keys = await c.keysPerNode();
    return {
      self: c.id,
      epoch: s.epoch,
      handoff: s.handoff.running,
      members: s.members.map((m) => ({ ...m, keys: keys.get(m.id) ?? null })),
    };
  }
}
