/**
 * One perf-kv node of a cluster: membership from etcd, Maglev placement over it, requests for
 * other nodes' keys forwarded to their owner, and key handoff when the placement changes.
 *
 *   client ─> any node ── owner is self ──> local shards (versioned records, record.ts)
 *                      └─ owner is B ─────> POST /cluster/rpc on B  (epoch + HMAC headers)
 *                                             B: older epoch than mine → 409 stale_epoch
 *                                                (the sender refreshes and retries once)
 *                                                newer epoch than mine → refresh, then serve
 *
 * Handoff. After every placement change each node scans its own records; a record whose owner
 * is now another node is sent to that owner (applied there only if newer than what it holds,
 * durably), then deleted here. A node that has no foreign record left records the epoch it
 * caught up with in etcd. Until every node has caught up, an owner answering a read also asks
 * the nodes that may still hold the key (`peek`) and keeps the newest version. A scan that a
 * crash cut short simply runs again on restart: sending twice is harmless, since only newer
 * versions are applied.
 *
 * Failures. An owner that is down keeps its keys (they are durable there and nowhere else):
 * requests for them fail at once with `owner_unavailable`, never a hang or an empty answer.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Cache, type InvalidationBus, type InvalidationMessage } from '@perf/cache';
import { Histogram } from '@perf/monitor';
import { Http2Pool } from '@perf/net';
import type { Backend, KvItem, ScanRange } from '../server/types.js';
import type { EtcdMembership, Member } from './membership.js';
import { Placement } from './placement.js';
import { decodeRecord, encodeRecord, VersionClock, type VersionedRecord } from './record.js';

export const RPC_PATH = '/cluster/rpc';
export const EPOCH_HEADER = 'x-perf-kv-epoch';
export const NODE_HEADER = 'x-perf-kv-node';
export const SIGNATURE_HEADER = 'x-perf-kv-signature';
/** How long a node waits for its view to reach a newer epoch it was told of, in ms. */
const CATCH_UP_MS = 2000;
/**
 * How often a node that took writes recounts the keys it holds (one pass over its records,
 * page by page, which also hands off any stray record).
 */
const RECOUNT_MS = 10_000;
/** Retries of a request answered `stale_epoch`, each only for a newer epoch than the last. */
const MAX_RETRIES = 4;

/** A key's owner is down, unreachable or timed out: the key is unavailable, not lost. */
export class OwnerUnavailableError extends Error {
  override readonly name = 'OwnerUnavailableError';
  readonly code = 'PERF_KV_OWNER_UNAVAILABLE';
  constructor(
    readonly node: string,
    options?: { cause?: unknown },
  ) {
    super(`the owner of the key, node ${node}, is unavailable`, options);
  }
}

/** The receiver's placement is newer than the sender's (after one refresh and retry). */
export class StaleEpochError extends Error {
  override readonly name = 'StaleEpochError';
  readonly code = 'PERF_KV_STALE_EPOCH';
  constructor(
    readonly epoch: number,
    readonly theirs: number,
  ) {
    super(`placement epoch ${epoch} is older than ${theirs}`);
  }
}

export interface ClusterNodeOptions {
  readonly membership: EtcdMembership;
  /** This node's storage (the sharded LSM behind the cache); holds encoded records. */
  readonly local: Backend;
  /** The cluster secret every node shares: forwarded requests are signed with it (HMAC). */
  readonly secret: string;
  /**
   * How long a request to another node may take, in ms.
   * @defaultValue 2000
   */
  readonly timeoutMs?: number;
  /**
   * Records per handoff message.
   * @defaultValue 500
   */
  readonly handoffBatch?: number;
  /**
   * The invalidation bus every node shares (`RedisBus` from `@perf/cache/redis`). With it, a
   * node keeps what it read from other owners in a small L1 (hot keys are then served on
   * every node), and owners publish every write they acknowledge. Without it, every read of
   * another node's key is forwarded.
   * @defaultValue none
   */
  readonly bus?: InvalidationBus;
  /**
   * Entries of that L1.
   * @defaultValue 10000
   */
  readonly hotKeys?: number;
}

export interface ClusterStats {
  epoch: number;
  members: { id: string; url: string; alive: boolean; leaving: boolean; share: number }[];
  localOps: number;
  forwardedOps: number;
  /** Reads of other nodes' keys answered from this node's L1. */
  hotKeyHits: number;
  /** Invalidations received from the bus, and their delivery latency (ms from the ack). */
  invalidations: { received: number; p50Ms: number; p99Ms: number; resyncs: number };
  staleEpochRetries: number;
  ownerUnavailable: number;
  handoff: {
    running: boolean;
    runs: number;
    keysSent: number;
    keysReceived: number;
    lastDurationMs: number;
    caughtUpEpoch: number;
  };
  /** Live records this node owns, as its last handoff pass counted them. */
  keysHeld: number;
}

type WireRecord = [version: number, value: string | null] | null;
type Rpc =
  | { op: 'get'; keys: string[] }
  | { op: 'peek'; keys: string[] }
  | { op: 'write'; puts: [string, string][]; dels: string[] }
  | { op: 'scan'; range: ScanRange }
  | { op: 'handoff'; records: [string, number, string | null][] }
  | { op: 'held' };

interface RpcReply {
  status: number;
  body: string;
}

const toWire = (r: VersionedRecord | undefined): WireRecord =>
  r ? [r.version, r.value === undefined ? null : r.value.toString('base64')] : null;
const fromWire = (w: WireRecord): VersionedRecord | undefined =>
  w ? { version: w[0], value: w[1] === null ? undefined : Buffer.from(w[1], 'base64') } : undefined;
const newer = (a: VersionedRecord | undefined, b: VersionedRecord | undefined) =>
  !a ? b : !b ? a : b.version > a.version ? b : a;

export class ClusterNode implements Backend {
  readonly #m: EtcdMembership;
  readonly #local: Backend;
  readonly #secret: string;
  readonly #timeoutMs: number;
  readonly #batch: number;
  readonly #clock = new VersionClock();
  readonly #pools = new Map<string, Http2Pool>();
  /** Placements seen since start, oldest first: which node owned a key at which epoch. */
  readonly #history: Placement[] = [];
  #placement: Placement;
  /** Per-key chains: a handoff apply and a write of the same key never interleave. */
  readonly #locks = new Map<string, Promise<unknown>>();
  #handoffRunning = false;
  #handoffAgain = false;
  #handoffTimer: NodeJS.Timeout | undefined;
  /** Recounts `keysHeld` (a handoff pass) now and then while writes keep coming. */
  #recountTimer: NodeJS.Timeout | undefined;
  #writtenSinceCount = false;
  #closed = false;
  /** Other owners' records read recently (only with a bus: it is what keeps them fresh). */
  readonly #hot: Cache<string, VersionedRecord> | undefined;
  readonly #bus: InvalidationBus | undefined;
  /**
   * When each key was last invalidated here (a count of invalidations received), so a read
   * that was sent before an invalidation and answered after it is not cached.
   */
  readonly #invalidated: Cache<string, number>;
  #invalidationSeq = 0;
  /** The sequence number of the last time the whole L1 was dropped. */
  #clearedSeq = 0;
  #unsubscribe: (() => void) | undefined;
  /** Microseconds from an owner's ack to the invalidation arriving here. */
  readonly #delivery = new Histogram();
  readonly #stats = {
    localOps: 0,
    forwardedOps: 0,
    hotKeyHits: 0,
    invalidations: 0,
    resyncs: 0,
    staleEpochRetries: 0,
    ownerUnavailable: 0,
    runs: 0,
    keysSent: 0,
    keysReceived: 0,
    lastDurationMs: 0,
    caughtUpEpoch: 0,
    keysHeld: 0,
  };

  constructor(options: ClusterNodeOptions) {
    if (typeof options.secret !== 'string' || options.secret.length < 16) {
      throw new TypeError('Expected `secret` to be a string of at least 16 characters');
    }
    this.#m = options.membership;
    this.#local = options.local;
    this.#secret = options.secret;
    this.#timeoutMs = options.timeoutMs ?? 2000;
    this.#batch = options.handoffBatch ?? 500;
    this.#placement = new Placement(this.#m.view);
    this.#history.push(this.#placement);
    this.#bus = options.bus;
    this.#hot = options.bus ? new Cache({ maximumSize: options.hotKeys ?? 10_000 }) : undefined;
    this.#invalidated = new Cache({ maximumSize: options.hotKeys ?? 10_000, policy: 'lru' });
    this.#unsubscribe = options.bus?.subscribe({
      message: (msg) => this.#onInvalidation(msg),
      invalid: () => {},
      disconnect: () => this.#dropHot(),
      resync: () => {
        this.#stats.resyncs++;
        this.#dropHot();
      },
    });
    this.#m.on('change', () => this.#onChange());
    this.#m.on('handoff', () => this.#trimHistory());
  }

  /**
   * Registers the node (its membership is connected, not yet registered: the RPC route must
   * be able to reach this object first) and starts the first handoff pass — a restarted node
   * resumes its handoff here.
   */
  async start(): Promise<void> {
    await this.#m.register();
    this.#onChange();
    this.#scheduleHandoff(0);
    this.#recountTimer = setInterval(() => {
      if (!this.#writtenSinceCount) return;
      this.#writtenSinceCount = false;
      this.#scheduleHandoff(0);
    }, RECOUNT_MS);
    this.#recountTimer.unref();
  }

  get id(): string {
    return this.#m.self.id;
  }

  get placement(): Placement {
    return this.#placement;
  }

  stats(): ClusterStats {
    const shares = this.#placement.shares();
    const s = this.#stats;
    return {
      epoch: this.#placement.epoch,
      members: this.#placement.members.map((m) => ({
        id: m.id,
        url: m.url,
        alive: m.alive,
        leaving: m.leaving,
        share: shares.get(m.id) ?? 0,
      })),
      localOps: s.localOps,
      forwardedOps: s.forwardedOps,
      hotKeyHits: s.hotKeyHits,
      invalidations: {
        received: s.invalidations,
        p50Ms: this.#delivery.percentile(50) / 1000,
        p99Ms: this.#delivery.percentile(99) / 1000,
        resyncs: s.resyncs,
      },
      staleEpochRetries: s.staleEpochRetries,
      ownerUnavailable: s.ownerUnavailable,
      handoff: {
        running: this.#handoffRunning,
        runs: s.runs,
        keysSent: s.keysSent,
        keysReceived: s.keysReceived,
        lastDurationMs: s.lastDurationMs,
        caughtUpEpoch: s.caughtUpEpoch,
      },
      keysHeld: s.keysHeld,
    };
  }

  /**
   * The keys each live member holds (its last handoff pass's count), asked of every member;
   * `undefined` for one that is down or did not answer. For the dashboard and `/stats`.
   */
  async keysPerNode(): Promise<Map<string, number | undefined>> {
    const out = new Map<string, number | undefined>();
    await Promise.all(
      this.#placement.members.map(async (m) => {
        if (m.id === this.id) out.set(m.id, this.#stats.keysHeld);
        else if (!m.alive) out.set(m.id, undefined);
        else {
          const r = await this.#call<{ keys: number }>(m, this.#placement.epoch, {
            op: 'held',
          }).catch(() => undefined);
          out.set(m.id, r?.keys);
        }
      }),
    );
    return out;
  }

  // ---- Backend -------------------------------------------------------------------------

  async get(key: string): Promise<Buffer | undefined> {
    const [v] = await this.getMany([key]);
    return v;
  }

  async getMany(keys: readonly string[]): Promise<(Buffer | undefined)[]> {
    const out = new Array<Buffer | undefined>(keys.length);
    const hot = this.#hot;
    let todo = keys.map((_, i) => i);
    if (hot) {
      // Hot keys of other owners are answered here; what the L1 holds is kept fresh by the
      // owners' invalidations.
      todo = todo.filter((i) => {
        const k = keys[i]!;
        const rec = this.#placement.ownerOf(k)?.id === this.id ? undefined : hot.get(k);
        if (rec === undefined) return true;
        this.#stats.hotKeyHits++;
        out[i] = rec.value;
        return false;
      });
    }
    const sub = todo.map((i) => keys[i]!);
    await this.#byOwner(sub, async (owner, idx, epoch) => {
      const ks = idx.map((i) => sub[i]!);
      let recs: (VersionedRecord | undefined)[];
      if (owner.id === this.id) recs = await this.#ownerRead(ks);
      else {
        const sent = this.#invalidationSeq;
        recs = (
          await this.#call<{ records: WireRecord[] }>(owner, epoch, { op: 'get', keys: ks })
        ).records.map(fromWire);
        if (hot) {
          ks.forEach((k, j) => {
            const rec = recs[j] ?? { version: 0, value: undefined };
            if (this.#clearedSeq <= sent && (this.#invalidated.get(k) ?? 0) <= sent) {
              hot.set(k, rec);
            }
          });
        }
      }
      idx.forEach((i, j) => {
        out[todo[i]!] = recs[j]?.value;
      });
    });
    return out;
  }

  put(key: string, value: Buffer): Promise<void> {
    return this.batch([[key, value]], []);
  }

  del(key: string): Promise<void> {
    return this.batch([], [key]);
  }

  async batch(puts: readonly [string, Buffer][], dels: readonly string[]): Promise<void> {
    const keys = [...puts.map((p) => p[0]), ...dels];
    await this.#byOwner(keys, async (owner, idx, epoch) => {
      const mine = new Set(idx);
      const p = puts.filter((_, i) => mine.has(i));
      const d = dels.filter((_, i) => mine.has(puts.length + i));
      if (owner.id === this.id) await this.#ownerWrite(p, d);
      else {
        await this.#call(owner, epoch, {
          op: 'write',
          puts: p.map(([k, v]) => [k, v.toString('base64')]),
          dels: d,
        });
        // Read-your-writes through this node: its own L1 forgets at once.
        for (const k of [...p.map((x) => x[0]), ...d]) this.#hot?.delete(k);
      }
    });
  }

  async scan(range: ScanRange): Promise<KvItem[]> {
    const members = this.#placement.members;
    const down = members.find((m) => !m.alive && m.id !== this.id);
    if (down) throw new OwnerUnavailableError(down.id);
    const parts = await Promise.all(
      members.map(async (m) =>
        m.id === this.id
          ? await this.#localScan(range)
          : (
              await this.#call<{ items: [string, number, string | null][] }>(
                m,
                this.#placement.epoch,
                { op: 'scan', range },
              )
            ).items.map(([k, v, b]) => [k, fromWire([v, b])!] as const),
      ),
    );
    // The newest version of each key wins (a key being handed off can sit on two nodes).
    const best = new Map<string, VersionedRecord>();
    for (const part of parts)
      for (const [k, rec] of part) {
        const cur = best.get(k);
        if (!cur || rec.version > cur.version) best.set(k, rec);
      }
    const keys = [...best.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    if (range.reverse) keys.reverse();
    const items: KvItem[] = [];
    for (const k of keys) {
      const v = best.get(k)!.value;
      if (v === undefined) continue;
      items.push({ key: k, value: v });
      if (items.length >= range.limit) break;
    }
    return items;
  }

  // ---- serving other nodes ---------------------------------------------------------------

  /** Serves `POST /cluster/rpc`: checks the signature and the epoch, then the operation. */
  async handleRpc(
    headers: Record<string, string | string[] | undefined>,
    body: Buffer,
  ): Promise<RpcReply> {
    const epoch = Number(headers[EPOCH_HEADER]);
    const from = String(headers[NODE_HEADER] ?? '');
    const sig = String(headers[SIGNATURE_HEADER] ?? '');
    if (!Number.isSafeInteger(epoch) || !this.#verify(epoch, from, body, sig)) {
      return reply(401, { error: 'unauthorized' });
    }
    let msg: Rpc;
    try {
      msg = JSON.parse(body.toString('utf8')) as Rpc;
    } catch {
      return reply(400, { error: 'bad_request' });
    }
    if (epoch > this.#placement.epoch) await this.#catchUp(epoch);
    try {
      switch (msg.op) {
        case 'get':
        case 'write': {
          const keys = msg.op === 'get' ? msg.keys : [...msg.puts.map((p) => p[0]), ...msg.dels];
          // Only the owner serves: a sender behind on the placement learns it here.
          if (
            epoch < this.#placement.epoch ||
            keys.some((k) => this.#placement.ownerOf(k)?.id !== this.id)
          ) {
            return reply(409, { error: 'stale_epoch', epoch: this.#placement.epoch });
          }
          if (msg.op === 'get')
            return reply(200, { records: (await this.#ownerRead(msg.keys)).map(toWire) });
          await this.#ownerWrite(
            msg.puts.map(([k, v]) => [k, Buffer.from(v, 'base64')] as [string, Buffer]),
            msg.dels,
          );
          return reply(200, { ok: true });
        }
        case 'peek':
          return reply(200, { records: (await this.#localRecords(msg.keys)).map(toWire) });
        case 'scan':
          return reply(200, {
            items: (await this.#localScan(msg.range)).map(([k, r]) => [k, ...toWire(r)!]),
          });
        case 'handoff':
          return reply(200, { applied: await this.#applyHandoff(msg.records) });
        case 'held':
          return reply(200, { keys: this.#stats.keysHeld });
        default:
          return reply(400, { error: 'bad_request' });
      }
    } catch (err) {
      if (err instanceof OwnerUnavailableError) {
        return reply(503, { error: 'owner_unavailable', node: err.node });
      }
      throw err;
    }
  }

  /**
   * Leaves the cluster without losing a key: marks this node leaving (the placement stops
   * counting it), hands every record to its new owner, then deletes the registration.
   */
  async leave(timeoutMs = 300_000): Promise<void> {
    await this.#m.markLeaving();
    this.#onChange();
    const deadline = Date.now() + timeoutMs;
    while (this.#stats.caughtUpEpoch < this.#placement.epoch || this.#handoffRunning) {
      if (Date.now() > deadline) throw new Error('handoff did not finish before leaving');
      await new Promise((r) => setTimeout(r, 50));
    }
    this.#closed = true;
    clearTimeout(this.#handoffTimer);
    clearInterval(this.#recountTimer);
    await this.#m.leave();
    await this.#closePools();
  }

  /** Stops this node (keeps its registration: it is down until it starts again). */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#handoffTimer);
    clearInterval(this.#recountTimer);
    this.#m.close();
    await this.#closePools();
  }

  // ---- internals -------------------------------------------------------------------------

  #onChange(): void {
    const view = this.#m.view;
    if (view.epoch === this.#placement.epoch && sameMembers(view.members, this.#placement.members))
      return;
    this.#placement = new Placement(view);
    this.#history.push(this.#placement);
    this.#trimHistory();
    // Owners changed: what the L1 holds may come from a node that no longer publishes it.
    this.#dropHot();
    this.#scheduleHandoff(0);
  }

  async #refresh(): Promise<void> {
    await this.#m.refresh().catch(() => {});
    this.#onChange();
  }

  /**
   * Reads the membership until this node's epoch reaches `epoch` (another node's), for at
   * most `CATCH_UP_MS`. A range read can lag a watcher for a moment: a deletion's revision is
   * visible to a read only once the epoch key records it, a few milliseconds after the event.
   */
  async #catchUp(epoch: number): Promise<void> {
    const deadline = Date.now() + CATCH_UP_MS;
    for (;;) {
      await this.#refresh();
      if (this.#placement.epoch >= epoch || Date.now() > deadline) return;
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Forgets placements older than every node's caught-up epoch (at most 64 are kept). */
  #trimHistory(): void {
    const min = Math.min(...this.#placement.members.map((m) => this.#m.handoffEpoch(m.id)));
    while (
      this.#history.length > 1 &&
      (this.#history[1]!.epoch <= min || this.#history.length > 64)
    ) {
      this.#history.shift();
    }
  }

  /** Groups keys by owner and runs `fn` per owner; a stale placement is refreshed once. */
  async #byOwner(
    keys: readonly string[],
    fn: (owner: Member, idx: number[], epoch: number) => Promise<void>,
  ): Promise<void> {
    const run = async (idx: number[], retries: number, seen: number): Promise<void> => {
      const placement = this.#placement;
      const groups = new Map<Member, number[]>();
      for (const i of idx) {
        const owner = placement.ownerOf(keys[i]!);
        if (!owner) throw new OwnerUnavailableError('(none)');
        const g = groups.get(owner);
        if (g) g.push(i);
        else groups.set(owner, [i]);
      }
      await Promise.all(
        [...groups].map(async ([owner, g]) => {
          if (owner.id !== this.id && !owner.alive) {
            this.#stats.ownerUnavailable++;
            throw new OwnerUnavailableError(owner.id);
          }
          try {
            if (owner.id === this.id) this.#stats.localOps++;
            else this.#stats.forwardedOps++;
            await fn(owner, g, placement.epoch);
          } catch (err) {
            // Refresh and retry once per newer epoch we are told of (membership can move
            // several times in a burst: a leave is a few revisions), at most MAX_RETRIES.
            if (!(err instanceof StaleEpochError) || retries === 0 || err.theirs <= seen) throw err;
            this.#stats.staleEpochRetries++;
            await this.#catchUp(err.theirs);
            await run(g, retries - 1, err.theirs);
          }
        }),
      );
    };
    await run(
      keys.map((_, i) => i),
      MAX_RETRIES,
      0,
    );
  }

  async #call<T>(member: Member, epoch: number, msg: Rpc): Promise<T> {
    const body = JSON.stringify(msg);
    let pool = this.#pools.get(member.url);
    if (!pool) {
      pool = new Http2Pool(member.url, { maxSessions: 2, timeoutMs: this.#timeoutMs });
      this.#pools.set(member.url, pool);
    }
    let res: { status: number; body: Buffer };
    try {
      res = await pool.request({
        method: 'POST',
        path: RPC_PATH,
        headers: {
          'content-type': 'application/json',
          [EPOCH_HEADER]: String(epoch),
          [NODE_HEADER]: this.id,
          [SIGNATURE_HEADER]: this.#sign(epoch, this.id, Buffer.from(body)),
        },
        body,
      });
    } catch (err) {
      this.#stats.ownerUnavailable++;
      throw new OwnerUnavailableError(member.id, { cause: err });
    }
    const text = res.body.toString('utf8');
    if (res.status === 409) {
      const theirs = Number((JSON.parse(text) as { epoch?: number }).epoch);
      throw new StaleEpochError(epoch, theirs);
    }
    if (res.status === 503) throw new OwnerUnavailableError(member.id);
    if (res.status !== 200)
      throw new Error(`node ${member.id} answered ${res.status}: ${text.slice(0, 200)}`);
    return JSON.parse(text) as T;
  }

  #sign(epoch: number, from: string, body: Buffer): string {
    return createHmac('sha256', this.#secret)
      .update(`${epoch}\n${from}\n`)
      .update(body)
      .digest('hex');
  }

  #verify(epoch: number, from: string, body: Buffer, sig: string): boolean {
    const want = Buffer.from(this.#sign(epoch, from, body), 'hex');
    const got = Buffer.from(sig, 'hex');
    return got.length === want.length && timingSafeEqual(got, want);
  }

  async #withKeys<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
    const prior = keys.map((k) => this.#locks.get(k)).filter(Boolean);
    const p = Promise.all(prior).then(fn);
    const done = p.catch(() => {});
    for (const k of keys) this.#locks.set(k, done);
    try {
      return await p;
    } finally {
      for (const k of keys) if (this.#locks.get(k) === done) this.#locks.delete(k);
    }
  }

  async #localRecords(keys: readonly string[]): Promise<(VersionedRecord | undefined)[]> {
    const raw = await this.#local.getMany(keys);
    return raw.map((b) => (b === undefined ? undefined : decodeRecord(b)));
  }

  async #localScan(range: ScanRange): Promise<(readonly [string, VersionedRecord])[]> {
    const items = await this.#local.scan(range);
    return items.map((it) => [it.key, decodeRecord(it.value)] as const);
  }

  /**
   * The owner's read: its own record, and while a handoff is still running, the newest of
   * that and the records of every node that may still hold the key.
   */
  async #ownerRead(keys: readonly string[]): Promise<(VersionedRecord | undefined)[]> {
    const recs = await this.#localRecords(keys);
    const sources = new Map<Member, number[]>();
    keys.forEach((k, i) => {
      for (const m of this.#mayHold(k)) {
        const g = sources.get(m);
        if (g) g.push(i);
        else sources.set(m, [i]);
      }
    });
    await Promise.all(
      [...sources].map(async ([m, idx]) => {
        if (!m.alive) throw new OwnerUnavailableError(m.id);
        const { records } = await this.#call<{ records: WireRecord[] }>(m, this.#placement.epoch, {
          op: 'peek',
          keys: idx.map((i) => keys[i]!),
        });
        idx.forEach((i, j) => {
          recs[i] = newer(recs[i], fromWire(records[j] ?? null));
        });
      }),
    );
    return recs;
  }

  /** Other nodes that may still hold `key`: not caught up, and its owner at some epoch since. */
  #mayHold(key: string): Member[] {
    const out: Member[] = [];
    const epoch = this.#placement.epoch;
    for (const m of this.#placement.members) {
      if (m.id === this.id) continue;
      const caughtUp = this.#m.handoffEpoch(m.id);
      if (caughtUp >= epoch) continue;
      const known = this.#history[0]!.epoch <= caughtUp;
      if (!known || this.#history.some((p) => p.epoch >= caughtUp && p.ownerOf(key)?.id === m.id)) {
        out.push(m);
      }
    }
    return out;
  }

  async #ownerWrite(puts: readonly [string, Buffer][], dels: readonly string[]): Promise<void> {
    const keys = [...puts.map((p) => p[0]), ...dels];
    await this.#withKeys(keys, async () => {
      const recs: [string, Buffer][] = [
        ...puts.map(
          ([k, v]) =>
            [k, encodeRecord({ version: this.#clock.next(), value: v })] as [string, Buffer],
        ),
        // A delete leaves a tombstone, so an older handed-off copy cannot come back.
        ...dels.map(
          (k) =>
            [k, encodeRecord({ version: this.#clock.next(), value: undefined })] as [
              string,
              Buffer,
            ],
        ),
      ];
      await this.#local.batch(recs, []);
      this.#writtenSinceCount = true;
      this.#publish(
        recs.map((r) => r[0]),
        this.#clock.last,
      );
    });
  }

  /** Tells every other node's L1 to drop keys this owner just acknowledged writes of. */
  #publish(keys: string[], version: number): void {
    const bus = this.#bus;
    if (!bus || keys.length === 0) return;
    const msg: InvalidationMessage = {
      keys,
      version,
      origin: this.id,
      kind: 'set',
      sentAt: performance.timeOrigin + performance.now(),
    };
    // Not awaited: the write is durable and acknowledged either way; a lost message is what
    // the bus's resync on reconnect (every L1 dropped) covers.
    bus.publish(msg).catch(() => {});
  }

  /** Drops the whole L1, and any read already on its way back from being cached. */
  #dropHot(): void {
    if (!this.#hot) return;
    this.#clearedSeq = ++this.#invalidationSeq;
    this.#hot.invalidateAll();
  }

  #onInvalidation(msg: InvalidationMessage): void {
    if (msg.origin === this.id || !this.#hot) return;
    this.#stats.invalidations++;
    const lag = performance.timeOrigin + performance.now() - msg.sentAt;
    if (lag >= 0) this.#delivery.record(Math.round(lag * 1000));
    const seq = ++this.#invalidationSeq;
    if (msg.keys === null) this.#dropHot();
    else
      for (const k of msg.keys) {
        this.#hot.delete(String(k));
        this.#invalidated.set(String(k), seq);
      }
  }

  /** Applies handed-off records that are newer than ours, durably, before answering. */
  async #applyHandoff(records: [string, number, string | null][]): Promise<number> {
    const keys = records.map((r) => r[0]);
    return this.#withKeys(keys, async () => {
      const mine = await this.#localRecords(keys);
      const apply: [string, Buffer][] = [];
      records.forEach(([k, version, b64], i) => {
        this.#clock.observe(version);
        if ((mine[i]?.version ?? -1) >= version) return;
        const value = b64 === null ? undefined : Buffer.from(b64, 'base64');
        apply.push([k, encodeRecord({ version, value })]);
      });
      if (apply.length) await this.#local.batch(apply, []);
      this.#stats.keysReceived += apply.length;
      return apply.length;
    });
  }

  #scheduleHandoff(delayMs: number): void {
    if (this.#closed) return;
    if (this.#handoffRunning) {
      this.#handoffAgain = true;
      return;
    }
    clearTimeout(this.#handoffTimer);
    this.#handoffTimer = setTimeout(() => void this.#handoff(), delayMs);
    this.#handoffTimer.unref();
  }

  /** One pass over this node's records under the current placement (see the file comment). */
  async #handoff(): Promise<void> {
    this.#handoffRunning = true;
    this.#handoffAgain = false;
    const t0 = performance.now();
    const placement = this.#placement;
    let blocked = false;
    try {
      let cursor: string | undefined;
      let held = 0;
      const everyoneCaughtUp = placement.members.every(
        (m) => m.id === this.id || this.#m.handoffEpoch(m.id) >= placement.epoch,
      );
      for (;;) {
        if (this.#closed || this.#placement !== placement) break;
        const page = await this.#local.scan({
          ...(cursor === undefined ? {} : { gt: cursor }),
          limit: this.#batch,
          reverse: false,
        });
        if (page.length === 0) break;
        cursor = page[page.length - 1]!.key;
        const byOwner = new Map<Member, [string, VersionedRecord][]>();
        const purge: [string, number][] = [];
        for (const it of page) {
          const rec = decodeRecord(it.value);
          const owner = placement.ownerOf(it.key);
          if (!owner) continue;
          if (owner.id === this.id) {
            if (rec.value !== undefined) held++;
            // Once every node has caught up, no older copy can arrive: tombstones can go.
            if (rec.value === undefined && everyoneCaughtUp) purge.push([it.key, rec.version]);
            continue;
          }
          const g = byOwner.get(owner);
          if (g) g.push([it.key, rec]);
          else byOwner.set(owner, [[it.key, rec]]);
        }
        for (const [owner, recs] of byOwner) {
          if (!owner.alive) {
            blocked = true;
            continue;
          }
          try {
            await this.#call(owner, placement.epoch, {
              op: 'handoff',
              records: recs.map(([k, r]) => [
                k,
                r.version,
                r.value === undefined ? null : r.value.toString('base64'),
              ]),
            });
          } catch {
            blocked = true;
            continue;
          }
          await this.#deleteIfUnchanged(recs.map(([k, r]) => [k, r.version]));
          this.#stats.keysSent += recs.length;
        }
        if (purge.length) await this.#deleteIfUnchanged(purge);
      }
      if (!this.#closed && !blocked && this.#placement === placement) {
        // One etcd write per epoch: a recount pass at the same epoch records nothing new.
        if (this.#stats.caughtUpEpoch !== placement.epoch) {
          await this.#m.recordHandoff(placement.epoch);
        }
        this.#stats.caughtUpEpoch = placement.epoch;
        this.#stats.keysHeld = held;
      }
    } catch {
      blocked = true;
    } finally {
      this.#stats.runs++;
      this.#stats.lastDurationMs = performance.now() - t0;
      this.#handoffRunning = false;
    }
    if (this.#handoffAgain || this.#placement !== placement) this.#scheduleHandoff(0);
    else if (blocked) this.#scheduleHandoff(1000);
  }

  async #deleteIfUnchanged(sent: readonly [string, number][]): Promise<void> {
    const keys = sent.map((s) => s[0]);
    await this.#withKeys(keys, async () => {
      const now = await this.#localRecords(keys);
      const dels = keys.filter((_, i) => now[i]?.version === sent[i]![1]);
      if (dels.length) await this.#local.batch([], dels);
    });
  }

  async #closePools(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await Promise.all([...this.#pools.values()].map((p) => p.close().catch(() => {})));
    this.#pools.clear();
  }
}

function reply(status: number, body: unknown): RpcReply {
  return { status, body: JSON.stringify(body) };
}

function sameMembers(a: readonly Member[], b: readonly Member[]): boolean {
  return (
    a.length === b.length &&
    a.every((m, i) => {
      const o = b[i]!;
      return o.id === m.id && o.url === m.url && o.alive === m.alive && o.leaving === m.leaving;
    })
  );
}
