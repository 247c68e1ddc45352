/**
 * The vocabulary every layer of perf-kv shares. Nothing here imports another file of the demo,
 * so the layers import one way:
 *
 *   commands/ ──> dashboard/, load/ ──> server/http/ ──> server/storage/, server/vectors/ ──> server/types.ts
 *
 * The HTTP layer sees storage and vectors only through these interfaces; storage and vectors
 * never import the HTTP layer (their failures are errors with a `code`, which the HTTP layer
 * maps to statuses in http/errors.ts).
 */

/** A stored entry as a shard returns it: the key, and the value's bytes. */
export type Entry = [key: string, value: Uint8Array];

/** One key and value of a scan, as the backends return it. */
export interface KvItem {
  key: string;
  value: Buffer;
}

/** A range scan: bounds (UTF-8 byte order), a limit and a direction. */
export interface ScanRange {
  gt?: string;
  gte?: string;
  lt?: string;
  lte?: string;
  limit: number;
  reverse: boolean;
  /**
   * Stop once this many key and value bytes are collected (the entry that crosses it is
   * included, so a scan always makes progress). A backend that stopped early marks its result
   * with `MORE`; the caller continues after the last key.
   */
  maxBytes?: number;
}

/** Set on a scan result that stopped at `maxBytes` before the range or the limit ran out. */
export const MORE: unique symbol = Symbol('perf-kv.scan.more');

/** A scan's items; `[MORE]` is true when there are more within the range and limit. */
export type ScanResult = KvItem[] & { [MORE]?: boolean };

/** What the routes need from storage (sharded LSM + cache, or a peer set). */
export interface Backend {
  get(key: string): Promise<Buffer | undefined>;
  getMany(keys: readonly string[]): Promise<(Buffer | undefined)[]>;
  put(key: string, value: Buffer): Promise<void>;
  del(key: string): Promise<void>;
  /** All-or-nothing. */
  batch(puts: readonly [string, Buffer][], dels: readonly string[]): Promise<void>;
  scan(range: ScanRange): Promise<ScanResult>;
}

export interface ShardStats {
  keysWritten: number;
  requests: number;
  writes: number;
  syncs: number;
  memtableBytes: number;
  tableBytes: number;
  compactions: number;
}

/** A shard's scan: its entries, and whether it stopped at `maxBytes`. */
export interface ShardScan {
  entries: Entry[];
  more: boolean;
}

/** A storage shard: one store, in this thread or on a worker thread. */
export interface Shard {
  getMany(keys: readonly string[]): Promise<(Uint8Array | undefined)[]>;
  /** All-or-nothing within this shard. */
  write(puts: readonly Entry[], dels: readonly string[]): Promise<void>;
  scan(o: ScanRange): Promise<ShardScan>;
  stats(): Promise<ShardStats>;
  close(): Promise<void>;
}

/** What the routes need from the vector index. */
export interface VectorIndex {
  readonly dim: number;
  upsert(items: readonly [string, Float32Array][]): Promise<void>;
  search(query: Float32Array, k: number): Promise<{ id: string; score: number }[]>;
}

/** Searches rows of the index's matrix on other threads (vectors/parallel-search.ts). */
export interface RangeSearcher {
  search(
    matrix: Float32Array,
    rows: number,
    dim: number,
    query: Float32Array,
    k: number,
  ): Promise<{ row: number; score: number }[]>;
  close(): Promise<void>;
}
