/**
 * The read and write paths of perf-kv, over N storage shards.
 *
 *   GET  ─> Cache.getOrLoad (W-TinyLFU, @perf/cache) ─hit─> value
 *                 └─miss─> one load per key ─> Loader (@perf/net: one getMany per shard per
 *                          tick) ─> shard (Maglev placement, @perf/balance)
 *   PUT  ─> shard.write (durable: group commit) ─> cache.set          (write-through, default)
 *        └> WriteBack (@perf/cache): cache + dirty set, flushed in batches (--write-back)
 *
 * A load that overlaps a write to the same key must not put the older value into the cache
 * after the write's newer one: `Cache.getOrLoad` shares one load per key, and a `set` or
 * `delete` of the key while it runs makes its result stale (returned, but not cached).
 */
import { Maglev } from '@perf/balance';
import { Cache, WriteBack, type WriteOp } from '@perf/cache';
import { Loader } from '@perf/net';
import {
  type Backend,
  type Entry,
  MORE,
  type ScanRange,
  type ScanResult,
  type Shard,
  type ShardStats,
} from '../types.js';
import { mergeRuns } from './merge.js';

/**
 * Bytes an entry costs beyond its key and value: the Buffer object and its backing-store record,
 * the cache's slot arrays and its Map entry. An estimate of V8's layout, not a measurement; it
 * keeps a cache of many tiny values from being bounded by their value bytes alone.
 */
const ENTRY_OVERHEAD = 160;

/** Which of `n` shards owns a key: Maglev over the shard numbers (reshard uses the same). */
export function shardPlacement(n: number): Maglev {
  return new Maglev(Array.from({ length: n }, (_, i) => String(i)));
}

export class KvBackend implements Backend {
  readonly #shards: readonly Shard[];
  readonly #placement: Maglev;
  readonly #cache: Cache<string, Buffer>;
  readonly #writeBack: WriteBack<string, Buffer> | undefined;
  readonly #loader: Loader<string, Buffer | undefined>;
  /** The cache's loader: misses of one tick go to the shards together. */
  readonly #loadOne = (key: string): Promise<Buffer | undefined> => this.#loader.load(key);

  /**
   * `cacheBytes` bounds the cache by weight: each entry weighs its value's bytes, its key's
   * (UTF-16) bytes and ENTRY_OVERHEAD. `cacheEntries` bounds it by count instead (tests only).
   */
  constructor(
    shards: readonly Shard[],
    opts: { cacheBytes?: number; cacheEntries?: number; writeBack: boolean },
  ) {
    this.#shards = shards;
    this.#placement = shardPlacement(shards.length);
    this.#cache =
      opts.cacheEntries !== undefined && opts.cacheBytes === undefined
        ? new Cache<string, Buffer>({ maximumSize: opts.cacheEntries })
        : new Cache<string, Buffer>({
            maximumWeight: opts.cacheBytes ?? 64 << 20,
            weigher: (key, value) => value.byteLength + key.length * 2 + ENTRY_OVERHEAD,
          });
    // `dedupe`: a key asked twice in one tick is fetched once (Loader's default follows
    // DataLoader, which repeats it when its cache is off).
    this.#loader = new Loader((keys: readonly string[]) => this.#fetch(keys), {
      cache: false,
      dedupe: true,
    });
    this.#writeBack = opts.writeBack
      ? new WriteBack<string, Buffer>({
          cache: this.#cache,
          backend: { write: (ops) => this.#writeOps(ops) },
          flushInterval: 200,
        })
      : undefined;
  }

  /** Index of the shard that owns `key`. */
  shardOf(key: string): number {
    return Number(this.#placement.pick(key));
  }

  get(key: string): Promise<Buffer | undefined> {
    const wb = this.#writeBack;
    // A dirty key (even a dirty delete) is answered from the write-back set, never from storage.
    if (wb?.isDirty(key)) return Promise.resolve(wb.get(key));
    return this.#cache.getOrLoad(key, this.#loadOne);
  }

  /** Hits are answered synchronously; only the misses wait, together, for their loads. */
  async getMany(keys: readonly string[]): Promise<(Buffer | undefined)[]> {
    const out = new Array<Buffer | undefined>(keys.length);
    const wb = this.#writeBack;
    let missing: number[] | undefined;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (wb?.isDirty(k)) {
        out[i] = wb.get(k);
        continue;
      }
      const hit = this.#cache.get(k);
      if (hit !== undefined) out[i] = hit;
      else (missing ??= []).push(i);
    }
    if (missing !== undefined) {
      const loaded = await Promise.all(
        missing.map((i) => this.#cache.getOrLoad(keys[i]!, this.#loadOne)),
      );
      missing.forEach((i, j) => {
        out[i] = loaded[j];
      });
    }
    return out;
  }

  async put(key: string, value: Buffer): Promise<void> {
    await this.batch([[key, value]], []);
  }

  async del(key: string): Promise<void> {
    await this.batch([], [key]);
  }

  async batch(puts: readonly [string, Buffer][], dels: readonly string[]): Promise<void> {
    if (this.#writeBack) {
      for (const [k, v] of puts) this.#writeBack.set(k, v);
      for (const k of dels) this.#writeBack.delete(k);
      return;
    }
    const ops: WriteOp<string, Buffer>[] = [
      ...puts.map(([key, value]) => ({ type: 'set' as const, key, value })),
      ...dels.map((key) => ({ type: 'delete' as const, key })),
    ];
    await this.#writeOps(ops);
    // Cache.set/delete also make a load of the key that is still running stale.
    for (const [k, v] of puts) this.#cache.set(k, v);
    for (const k of dels) this.#cache.delete(k);
  }

  async scan(range: ScanRange): Promise<ScanResult> {
    // Unflushed write-back entries must be visible to a scan: flush them first.
    if (this.#writeBack) await this.#writeBack.flush();
    const parts = await Promise.all(this.#shards.map((s) => s.scan(range)));
    const merged = mergeRuns(parts, range.reverse, range.limit);
    const out: ScanResult = merged.entries.map(([key, value]) => ({
      key,
      value: Buffer.from(value.buffer, value.byteOffset, value.byteLength),
    }));
    if (merged.more) out[MORE] = true;
    return out;
  }

  cacheStats(): { hits: number; misses: number; hitRate: number; size: number; bytes: number } {
    const s = this.#cache.stats();
    return {
      hits: s.hits,
      misses: s.misses,
      hitRate: s.hitRate,
      size: s.size,
      bytes: s.weightedSize,
    };
  }

  shardStats(): Promise<ShardStats[]> {
    return Promise.all(this.#shards.map((s) => s.stats()));
  }

  /** Flushes write-back entries (if any) and closes every shard. */
  async close(): Promise<void> {
    if (this.#writeBack) await this.#writeBack.close();
    await Promise.all(this.#shards.map((s) => s.close()));
  }

  /** The Loader's batch function: one getMany per shard for all the keys of a tick. */
  async #fetch(keys: readonly string[]): Promise<(Buffer | undefined)[]> {
    const byShard = this.#group(keys);
    const out = new Array<Buffer | undefined>(keys.length);
    await Promise.all(
      byShard.map(async (idx, s) => {
        if (idx.length === 0) return;
        const values = await this.#shards[s]!.getMany(idx.map((i) => keys[i]!));
        idx.forEach((i, j) => {
          const v = values[j];
          out[i] = v === undefined ? undefined : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
        });
      }),
    );
    return out;
  }

  /** Writes ops grouped by shard; each shard's part is atomic (one LSM batch). */
  async #writeOps(ops: ReadonlyArray<WriteOp<string, Buffer>>): Promise<void> {
    const byShard = this.#group(ops.map((o) => o.key));
    await Promise.all(
      byShard.map((idx, s) => {
        if (idx.length === 0) return undefined;
        const puts: Entry[] = [];
        const dels: string[] = [];
        for (const i of idx) {
          const op = ops[i]!;
          if (op.type === 'set') puts.push([op.key, op.value]);
          else dels.push(op.key);
        }
        return this.#shards[s]!.write(puts, dels);
      }),
    );
  }

  #group(keys: readonly string[]): number[][] {
    const groups: number[][] = this.#shards.map(() => []);
    for (let i = 0; i < keys.length; i++) groups[this.shardOf(keys[i]!)]!.push(i);
    return groups;
  }
}
