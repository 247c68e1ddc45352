/**
 * One adapter per store, so every workload drives every library through the same calls.
 * Durability is matched: "nosync" writes reach the OS (survive a process crash, not a power
 * cut) — LevelDB without `sync`, LMDB with `noSync`, SQLite WAL with `synchronous=NORMAL`, our
 * store without `sync`; "sync" writes are fsynced before they are acknowledged.
 */
import { ClassicLevel } from 'classic-level';
import Database from 'better-sqlite3';
import { open as lmdbOpen } from 'lmdb';
import { LsmStore } from '../src/index.js';

export interface Adapter {
  readonly name: string;
  /** Applies a batch of puts atomically. */
  batch(entries: [Uint8Array, Uint8Array][], sync: boolean): Promise<void>;
  put(key: Uint8Array, value: Uint8Array, sync: boolean): Promise<void>;
  get(key: Uint8Array): Promise<Uint8Array | undefined>;
  getSync(key: Uint8Array): Uint8Array | undefined;
  /** Visits up to `limit` entries from `from` (or an end), returning bytes seen. */
  scan(reverse: boolean, limit: number, from?: Uint8Array): Promise<number>;
  /** Makes everything durable and settles background work between phases. */
  settle(): Promise<void>;
  close(): Promise<void>;
  /** Extra figures (write amplification, …) after a phase. */
  info?(): string;
}

export type Factory = (dir: string, sync: boolean) => Promise<Adapter>;

/** Iterator options of a level-style scan: from one end, or from `from` in either direction. */
function levelRange(reverse: boolean, limit: number, from?: Uint8Array) {
  if (from === undefined) return { reverse, limit };
  return reverse ? { lte: from, reverse, limit } : { gte: from, limit };
}

/** Pulls entries in chunks of 1000 until the end; returns the bytes seen. */
async function drain(
  next: (n: number) => [Uint8Array, Uint8Array][] | Promise<[Uint8Array, Uint8Array][]>,
): Promise<number> {
  let bytes = 0;
  for (;;) {
    const chunk = await next(1000);
    if (chunk.length === 0) return bytes;
    for (const [k, v] of chunk) bytes += k.length + v.length;
  }
}

export const lsm: Factory = async (dir) => {
  const db = await LsmStore.open(dir);
  return {
    name: '@perf/lsm',
    batch: (entries, sync) =>
      db.batch(
        entries.map(([key, value]) => ({ type: 'put', key, value })),
        { sync },
      ),
    put: (k, v, sync) => db.put(k, v, { sync }),
    get: (k) => db.get(k),
    getSync: (k) => db.getSync(k),
    async scan(reverse, limit, from) {
      const it = db.iterator(levelRange(reverse, limit, from));
      const bytes = await drain((n) => it.nextv(n));
      await it.close();
      return bytes;
    },
    async settle() {
      await db.flush();
    },
    close: () => db.close(),
    info() {
      const s = db.stats();
      return `write amplification ${s.writeAmplification.toFixed(2)}, ${s.compactions} compactions, stall ${Math.round(s.stallMs)} ms`;
    },
  };
};

export const classicLevel: Factory = async (dir) => {
  const db = new ClassicLevel<Uint8Array, Uint8Array>(dir, {
    keyEncoding: 'view',
    valueEncoding: 'view',
  });
  await db.open();
  return {
    name: 'classic-level',
    batch: (entries, sync) =>
      db.batch(
        entries.map(([key, value]) => ({ type: 'put' as const, key, value })),
        { sync },
      ),
    put: (k, v, sync) => db.put(k, v, { sync }),
    get: (k) => db.get(k),
    getSync: (k) => db.getSync(k),
    async scan(reverse, limit, from) {
      const it = db.iterator(
        from === undefined
          ? { reverse, limit }
          : reverse
            ? { lte: from, reverse, limit }
            : { gte: from, limit },
      );
      let bytes = 0;
      for (;;) {
        const chunk = await it.nextv(1000);
        if (chunk.length === 0) break;
        for (const [k, v] of chunk) bytes += k.length + v.length;
      }
      await it.close();
      return bytes;
    },
    async settle() {
      await db.put(new Uint8Array([0]), new Uint8Array(0), { sync: true });
      await db.del(new Uint8Array([0]), { sync: true });
    },
    close: () => db.close(),
  };
};

export const lmdb: Factory = async (dir, sync) => {
  const db = lmdbOpen<Uint8Array, Uint8Array>({
    path: dir,
    compression: false,
    keyEncoding: 'binary',
    encoding: 'binary',
    noSync: !sync,
  });
  return {
    name: 'lmdb',
    async batch(entries) {
      await db.transaction(() => {
        for (const [k, v] of entries) db.put(k, v);
      });
    },
    put: (k, v) => db.put(k, v).then(() => {}),
    get: async (k) => db.get(k),
    getSync: (k) => db.get(k),
    async scan(reverse, limit, from) {
      let bytes = 0;
      const opts = from === undefined ? { reverse, limit } : { start: from, reverse, limit };
      for (const { key, value } of db.getRange(opts))
        bytes += (key as Uint8Array).length + (value as Uint8Array).length;
      return bytes;
    },
    async settle() {
      await db.flushed;
    },
    close: () => db.close(),
  };
};

export const sqlite: Factory = async (dir, sync) => {
  const db = new Database(`${dir}/db.sqlite`);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${sync ? 'FULL' : 'NORMAL'}`);
  db.exec('CREATE TABLE IF NOT EXISTS kv (k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID');
  const put = db.prepare('INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)');
  const get = db.prepare('SELECT v FROM kv WHERE k = ?').pluck();
  const many = db.transaction((entries: [Uint8Array, Uint8Array][]) => {
    for (const [k, v] of entries) put.run(k, v);
  });
  const fwd = db.prepare('SELECT k, v FROM kv ORDER BY k LIMIT ?').raw();
  const rev = db.prepare('SELECT k, v FROM kv ORDER BY k DESC LIMIT ?').raw();
  const fwdFrom = db.prepare('SELECT k, v FROM kv WHERE k >= ? ORDER BY k LIMIT ?').raw();
  const revFrom = db.prepare('SELECT k, v FROM kv WHERE k <= ? ORDER BY k DESC LIMIT ?').raw();
  return {
    name: 'better-sqlite3',
    async batch(entries) {
      many(entries);
    },
    async put(k, v) {
      put.run(k, v);
    },
    get: async (k) => get.get(k) as Uint8Array | undefined,
    getSync: (k) => get.get(k) as Uint8Array | undefined,
    async scan(reverse, limit, from) {
      const n = Number.isFinite(limit) ? limit : -1;
      const stmt = from === undefined ? (reverse ? rev : fwd) : reverse ? revFrom : fwdFrom;
      let bytes = 0;
      const args = from === undefined ? [n] : [from, n];
      for (const row of stmt.iterate(...args) as Iterable<[Uint8Array, Uint8Array]>)
        bytes += row[0].length + row[1].length;
      return bytes;
    },
    async settle() {
      db.pragma('wal_checkpoint(TRUNCATE)');
    },
    async close() {
      db.close();
    },
  };
};

/** The baseline: a JavaScript Map of hex keys — no durability, no order; the cost floor of the loop. */
export const vanilla: Factory = async () => {
  const m = new Map<string, Uint8Array>();
  const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');
  return {
    name: '_vanilla (Map)',
    async batch(entries) {
      for (const [k, v] of entries) m.set(hex(k), v);
    },
    async put(k, v) {
      m.set(hex(k), v);
    },
    get: async (k) => m.get(hex(k)),
    getSync: (k) => m.get(hex(k)),
    async scan(_reverse, limit) {
      let bytes = 0;
      let n = 0;
      for (const [k, v] of m) {
        if (n++ >= limit) break;
        bytes += k.length + v.length;
      }
      return bytes;
    },
    async settle() {},
    async close() {},
  };
};
