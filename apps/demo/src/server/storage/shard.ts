/**
 * A storage shard: one @perf/lsm store. `LocalShard` runs it in this thread; `WorkerShard`
 * runs a `LocalShard` on a worker thread (see shard-worker.ts) and talks to it by messages, so
 * N shards use N threads for WAL encoding, SSTable reads and compaction.
 *
 * Every write is acknowledged only after the store's group commit has fsynced it (`sync: true`):
 * concurrent writers to a shard share one fsync.
 */
import { Worker } from 'node:worker_threads';
import { LsmStore } from '@perf/lsm';
import { fromWire, toWire, type WireError } from '../errors.js';
import type { Entry, ScanRange, Shard, ShardScan, ShardStats } from '../types.js';
import { attachLsmRecorder, type LsmMetricsHandle, type LsmRecorder } from './lsm-metrics.js';

const dec = new TextDecoder();

/** Records nothing (reshard's shards, tests). */
const NO_METRICS: LsmRecorder = { get() {}, write() {} };

export class LocalShard implements Shard {
  readonly #store: LsmStore;
  readonly #metrics: LsmRecorder;
  #requests = 0;
  /** Puts since open: with distinct keys (the preload) this shows how placement spread them. */
  #keysWritten = 0;

  private constructor(store: LsmStore, metrics: LsmRecorder) {
    this.#store = store;
    this.#metrics = metrics;
  }

  /** Opens the store in `dir`; `metrics` records each successful get and write call. */
  static async open(dir: string, metrics: LsmRecorder = NO_METRICS): Promise<LocalShard> {
    return new LocalShard(await LsmStore.open(dir, { sync: true }), metrics);
  }

  async getMany(keys: readonly string[]): Promise<(Uint8Array | undefined)[]> {
    this.#requests++;
    const t0 = performance.now();
    const values = await this.#store.getMany(keys as string[]);
    this.#metrics.get(keys.length, (performance.now() - t0) * 1000);
    return values;
  }

  async write(puts: readonly Entry[], dels: readonly string[]): Promise<void> {
    this.#requests++;
    const ops = [
      ...puts.map(([key, value]) => ({ type: 'put' as const, key, value })),
      ...dels.map((key) => ({ type: 'del' as const, key })),
    ];
    const t0 = performance.now();
    await this.#store.batch(ops);
    this.#metrics.write(puts.length, dels.length, (performance.now() - t0) * 1000);
    this.#keysWritten += puts.length;
  }

  async scan(o: ScanRange): Promise<ShardScan> {
    this.#requests++;
    const entries: Entry[] = [];
    const max = o.maxBytes ?? Number.POSITIVE_INFINITY;
    let bytes = 0;
    const { maxBytes: _, ...range } = o;
    // One entry at a time: the store's async iteration reads 256 entries ahead (copies), which
    // is up to 256 MiB of 1 MiB values for a scan that wants 1 MiB.
    const it = this.#store.iterator(range);
    try {
      for (let e = it.nextSync(); e !== undefined; e = it.nextSync()) {
        const [k, v] = e;
        const key = typeof k === 'string' ? k : dec.decode(k);
        entries.push([key, v]);
        bytes += key.length + v.byteLength;
        if (bytes >= max) return { entries, more: entries.length < o.limit };
      }
      return { entries, more: false };
    } finally {
      it.close();
    }
  }

  async stats(): Promise<ShardStats> {
    const s = this.#store.stats();
    return {
      keysWritten: this.#keysWritten,
      requests: this.#requests,
      writes: s.writes,
      syncs: s.syncs,
      memtableBytes: s.memtableBytes,
      tableBytes: s.tableBytes,
      compactions: s.compactions,
    };
  }

  close(): Promise<void> {
    return this.#store.close();
  }
}

type Call = { id: number; op: 'getMany' | 'write' | 'scan' | 'stats' | 'close'; args: unknown[] };
type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError };

/** A shard on its own worker thread. Requests are matched to replies by id. */
export class WorkerShard implements Shard {
  readonly #worker: Worker;
  readonly #pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  #next = 0;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (replies: Reply[]) => {
      for (const r of replies) {
        const p = this.#pending.get(r.id);
        if (!p) continue;
        this.#pending.delete(r.id);
        if (r.ok) p.resolve(r.value);
        else p.reject(fromWire(r.error));
      }
    });
    worker.on('error', (err) => {
      for (const p of this.#pending.values()) p.reject(err);
      this.#pending.clear();
    });
  }

  /**
   * Starts the worker; with `metrics`, it attaches to that shared registry and records its
   * store calls there (see lsm-metrics.ts), so /metrics reads them without a message.
   */
  static open(dir: string, metrics?: LsmMetricsHandle): Promise<WorkerShard> {
    const worker = new Worker(new URL('./shard-worker.js', import.meta.url), {
      workerData: { dir, metrics } satisfies ShardWorkerData,
    });
    return new Promise((resolve, reject) => {
      worker.once('message', (m: { ready?: true; error?: WireError }) => {
        if (m.ready) resolve(new WorkerShard(worker));
        else reject(fromWire(m.error!));
      });
      worker.once('error', reject);
    });
  }

  /**
   * Calls of one tick travel in one message (and their replies in one message back): a
   * postMessage costs far more than the small calls it carries, and the writes of one tick
   * reach the shard's group commit together.
   */
  #call<T>(op: Call['op'], ...args: unknown[]): Promise<T> {
    const id = this.#next++;
    if (this.#outbox.length === 0) process.nextTick(this.#flush);
    this.#outbox.push({ id, op, args });
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    });
  }

  #outbox: Call[] = [];
  readonly #flush = (): void => {
    const calls = this.#outbox;
    this.#outbox = [];
    this.#worker.postMessage(calls);
  };

  getMany(keys: readonly string[]) {
    return this.#call<(Uint8Array | undefined)[]>('getMany', keys);
  }
  write(puts: readonly Entry[], dels: readonly string[]) {
    return this.#call<void>('write', puts, dels);
  }
  scan(o: ScanRange) {
    return this.#call<ShardScan>('scan', o);
  }
  stats() {
    return this.#call<ShardStats>('stats');
  }
  async close(): Promise<void> {
    await this.#call<void>('close');
    await this.#worker.terminate();
  }
}

/** What a shard's worker thread starts with. */
export interface ShardWorkerData {
  dir: string;
  metrics?: LsmMetricsHandle | undefined;
}

/** Serves a LocalShard to the parent thread; the body of shard-worker.ts. */
export async function serveShard(
  port: import('node:worker_threads').MessagePort,
  data: ShardWorkerData,
): Promise<void> {
  let shard: LocalShard;
  try {
    shard = await LocalShard.open(
      data.dir,
      data.metrics ? attachLsmRecorder(data.metrics) : undefined,
    );
  } catch (err) {
    port.postMessage({ error: toWire(err) });
    return;
  }
  port.postMessage({ ready: true });
  let outbox: Reply[] = [];
  const flush = () => {
    const replies = outbox;
    outbox = [];
    port.postMessage(replies);
  };
  const reply = (r: Reply) => {
    if (outbox.length === 0) process.nextTick(flush);
    outbox.push(r);
  };
  port.on('message', (calls: Call[]) => {
    for (const c of calls) {
      (shard[c.op] as (...a: unknown[]) => Promise<unknown>).apply(shard, c.args).then(
        (value) => reply({ id: c.id, ok: true, value }),
        (err: unknown) => reply({ id: c.id, ok: false, error: toWire(err) }),
      );
    }
  });
}

/**
 * The same shard over classic-level (LevelDB), for the README's side-by-side comparison:
 * `perf-kv serve --engine classic-level`. Writes use `sync: true`, like ours.
 */
export class ClassicLevelShard implements Shard {
  readonly #db: import('classic-level').ClassicLevel<string, Uint8Array>;
  #requests = 0;
  #keysWritten = 0;

  private constructor(db: import('classic-level').ClassicLevel<string, Uint8Array>) {
    this.#db = db;
  }

  static async open(dir: string): Promise<ClassicLevelShard> {
    const { ClassicLevel } = await import('classic-level');
    const db = new ClassicLevel<string, Uint8Array>(dir, { valueEncoding: 'view' });
    await db.open();
    return new ClassicLevelShard(db);
  }

  async getMany(keys: readonly string[]): Promise<(Uint8Array | undefined)[]> {
    this.#requests++;
    return this.#db.getMany(keys as string[]);
  }

  async write(puts: readonly Entry[], dels: readonly string[]): Promise<void> {
    this.#requests++;
    await this.#db.batch(
      [
        ...puts.map(([key, value]) => ({ type: 'put' as const, key, value })),
        ...dels.map((key) => ({ type: 'del' as const, key })),
      ],
      { sync: true },
    );
    this.#keysWritten += puts.length;
  }

  async scan(o: ScanRange): Promise<ShardScan> {
    this.#requests++;
    const entries: Entry[] = [];
    const max = o.maxBytes ?? Number.POSITIVE_INFINITY;
    let bytes = 0;
    const { maxBytes: _, ...range } = o;
    for await (const [k, v] of this.#db.iterator(range)) {
      entries.push([k, v]);
      bytes += k.length + v.byteLength;
      if (bytes >= max) return { entries, more: entries.length < o.limit };
    }
    return { entries, more: false };
  }

  async stats(): Promise<ShardStats> {
    return {
      keysWritten: this.#keysWritten,
      requests: this.#requests,
      writes: 0,
      syncs: 0,
      memtableBytes: 0,
      tableBytes: 0,
      compactions: 0,
    };
  }

  close(): Promise<void> {
    return this.#db.close();
  }
}
