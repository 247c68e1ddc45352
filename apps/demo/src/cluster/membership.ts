/**
 * Cluster membership from etcd.
 *
 * A node registers itself twice: once for good under `members/<id>` (the placement is built
 * over these), and once under `alive/<id>` on a lease with a short TTL that the client keeps
 * alive. Every node watches the cluster prefix, so a node that stops renewing (crashed, hung,
 * cut off) turns unavailable in every view within the lease TTL. Its keys stay placed on it:
 * they are durable there and nowhere else, so requests for them are answered
 * `owner_unavailable` until it is back, never with a wrong (empty) answer. A node leaves the
 * placement only by leaving on purpose: it marks itself `leaving`, hands its keys off, and
 * deletes its member key.
 *
 *   /perf-kv/<cluster>/members/<id>   {"id","url","leaving"}   persistent
 *   /perf-kv/<cluster>/alive/<id>     ""                       on the node's lease
 *   /perf-kv/<cluster>/epoch          revision                 written once per deletion
 *   /perf-kv/<cluster>/handoff/<id>   epoch                    the node holds no key it does
 *                                                              not own at that epoch
 *
 * The **epoch** of a view is the etcd revision of the newest change under the prefix: the
 * placement computed from a view is tagged with it, so two nodes can tell whose placement is
 * newer by comparing integers. A join is a put, whose `mod_revision` a later range read still
 * shows; a departure or an expiry is a delete, which a range read cannot see. So the first node
 * that sees a delete event records its revision in the epoch key (a compare-and-put, so one
 * write per deletion however many nodes see it), and a node that starts later still reads an
 * epoch at least as new as every node that watched the change happen. Handoff markers do not
 * count towards the epoch: they say how far a node's data has caught up with the placement.
 *
 * When etcd is unreachable the view stays as it was (`connected` is false): nodes keep serving
 * on the last epoch and no membership change can happen until etcd is back. A node whose lease
 * was lost (its process hung past the TTL) registers again on a new lease, at a new epoch.
 */
import { EventEmitter } from 'node:events';
import { Etcd3, type IKeyValue, type Lease, type Watcher } from 'etcd3';

export interface Member {
  readonly id: string;
  /** The URL other nodes and clients reach this node at. */
  readonly url: string;
  /** Whether its lease is live (it answers requests). */
  readonly alive: boolean;
  /** It is handing its keys off before it leaves: the placement no longer counts it. */
  readonly leaving: boolean;
}

export interface View {
  /** etcd revision of the newest membership change this view includes. */
  readonly epoch: number;
  /** Live members, sorted by id, so every node builds the same placement from them. */
  readonly members: readonly Member[];
}

export interface MembershipOptions {
  /** etcd client URLs, e.g. `['http://127.0.0.1:2379']`. */
  readonly endpoints: readonly string[];
  /** Cluster name: the key prefix `/perf-kv/<cluster>/`. */
  readonly cluster: string;
  /** This node's member id (unique in the cluster). */
  readonly id: string;
  /** This node's URL, as others reach it. */
  readonly advertise: string;
  /**
   * Lease TTL in seconds: how long a node that stops renewing stays in the views.
   * @defaultValue 5
   */
  readonly ttlSeconds?: number;
  /**
   * How long one etcd call may take before it fails, in ms.
   * @defaultValue 2000
   */
  readonly timeoutMs?: number;
}

export interface MembershipEvents {
  change: [view: View];
  /** etcd became unreachable (`false`) or reachable again (`true`). */
  connection: [connected: boolean];
  /** A node recorded the epoch its handoff has caught up with. */
  handoff: [id: string, epoch: number];
}

interface Registration {
  readonly id: string;
  readonly url: string;
  readonly leaving: boolean;
}

const ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export class EtcdMembership extends EventEmitter<MembershipEvents> {
  readonly #client: Etcd3;
  readonly #membersPrefix: string;
  readonly #alivePrefix: string;
  readonly #handoffPrefix: string;
  readonly #epochKey: string;
  readonly #prefix: string;
  readonly #self: Registration;
  readonly #ttl: number;
  #lease: Lease | undefined;
  #watcher: Watcher | undefined;
  #registered = new Map<string, Registration>();
  #alive = new Set<string>();
  #handoff = new Map<string, number>();
  #epoch = 0;
  #connected = true;
  #closed = false;

  private constructor(options: MembershipOptions) {
    super();
    for (const [name, v] of [
      ['id', options.id],
      ['cluster', options.cluster],
    ] as const) {
      if (typeof v !== 'string' || !ID_PATTERN.test(v)) {
        throw new TypeError(
          `Expected \`${name}\` to be 1-64 characters of [A-Za-z0-9._-], got \`${v}\``,
        );
      }
    }
    new URL(options.advertise); // throws a TypeError on a malformed URL
    this.#ttl = options.ttlSeconds ?? 5;
    if (!Number.isInteger(this.#ttl) || this.#ttl < 2) {
      throw new RangeError(`Expected \`ttlSeconds\` to be an integer from 2 up, got ${this.#ttl}`);
    }
    const timeout = options.timeoutMs ?? 2000;
    this.#client = new Etcd3({
      hosts: [...options.endpoints],
      dialTimeout: timeout,
      // Unary calls get a deadline so nothing hangs while etcd is away; the watch stream none.
      defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + timeout }),
    });
    this.#prefix = `/perf-kv/${options.cluster}/`;
    this.#membersPrefix = `${this.#prefix}members/`;
    this.#alivePrefix = `${this.#prefix}alive/`;
    this.#handoffPrefix = `${this.#prefix}handoff/`;
    this.#epochKey = `${this.#prefix}epoch`;
    this.#self = { id: options.id, url: options.advertise, leaving: false };
  }

  /**
   * Registers this node (or takes its registration back after a restart) and starts
   * watching; resolves once the first view, self included, is read.
   */
  static async join(options: MembershipOptions): Promise<EtcdMembership> {
    const m = await EtcdMembership.connect(options);
    try {
      await m.register();
    } catch (err) {
      m.close();
      throw err;
    }
    return m;
  }

  /**
   * Starts watching without registering: the node can get ready to serve (a node is placed
   * keys the moment it registers) and then call `register()`.
   */
  static async connect(options: MembershipOptions): Promise<EtcdMembership> {
    const m = new EtcdMembership(options);
    try {
      await m.#watch();
    } catch (err) {
      m.#client.close();
      throw err;
    }
    return m;
  }

  /** Registers this node: alive on its lease, then a member. Resolves once the view has it. */
  async register(): Promise<View> {
    // Alive first: a registered member without its alive key looks down to the others.
    await this.#renewAlive();
    await this.#client.put(this.#membersPrefix + this.#self.id).value(JSON.stringify(this.#self));
    return this.refresh();
  }

  get view(): View {
    const members = [...this.#registered.values()]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((r) => ({ ...r, alive: this.#alive.has(r.id) }));
    return { epoch: this.#epoch, members };
  }

  get self(): Member {
    return {
      ...this.#self,
      alive: this.#alive.has(this.#self.id),
      leaving: this.#registered.get(this.#self.id)?.leaving ?? false,
    };
  }

  /** Whether the watch stream to etcd is up. */
  get connected(): boolean {
    return this.#connected;
  }

  /** The newest epoch each node recorded as handed off, by id (0: none yet). */
  handoffEpoch(id: string): number {
    return this.#handoff.get(id) ?? 0;
  }

  /** Reads the membership again (a node that saw a newer epoch than its own calls this). */
  async refresh(): Promise<View> {
    const res = await this.#client.getAll().prefix(this.#prefix).exec();
    this.#applySnapshot(res.kvs);
    return this.view;
  }

  /** Records that this node holds no key it does not own at `epoch`. */
  async recordHandoff(epoch: number): Promise<void> {
    await this.#client.put(this.#handoffPrefix + this.#self.id).value(String(epoch));
  }

  /** Marks this node as leaving: the placement stops counting it, and it hands its keys off. */
  async markLeaving(): Promise<void> {
    const reg = { ...this.#self, leaving: true };
    await this.#client.put(this.#membersPrefix + this.#self.id).value(JSON.stringify(reg));
    await this.refresh();
  }

  /** Leaves the cluster for good (after handing off): its registration and lease go. */
  async leave(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // One transaction, so the others see one change (one revision) rather than three.
    await this.#client
      .if(this.#membersPrefix + this.#self.id, 'Create', '>', 0)
      .then(
        this.#client.delete().key(this.#membersPrefix + this.#self.id),
        this.#client.delete().key(this.#alivePrefix + this.#self.id),
        this.#client.delete().key(this.#handoffPrefix + this.#self.id),
      )
      .commit()
      .catch(() => {});
    await this.#lease?.revoke().catch(() => {});
    await this.#watcher?.cancel().catch(() => {});
    this.#client.close();
  }

  /** Stops watching and renewing, keeping the registration (what a crash looks like). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    void this.#watcher?.cancel().catch(() => {});
    this.#lease?.release();
    this.#client.close();
  }

  async #renewAlive(): Promise<void> {
    const lease = this.#client.lease(this.#ttl, { autoKeepAlive: true });
    this.#lease = lease;
    lease.on('lost', () => {
      if (this.#closed || this.#lease !== lease) return;
      // The lease expired while we could not renew it (the process hung, or etcd was away):
      // take a fresh one, which is a new epoch for everyone.
      this.#lease = undefined;
      const retry = (): void => {
        if (this.#closed) return;
        this.#renewAlive()
          .then(() => this.refresh())
          .catch(() => setTimeout(retry, 500).unref());
      };
      retry();
    });
    await lease.put(this.#alivePrefix + this.#self.id).value('');
  }

  async #watch(): Promise<void> {
    const res = await this.#client.getAll().prefix(this.#prefix).exec();
    this.#applySnapshot(res.kvs);
    const watcher = await this.#client
      .watch()
      .prefix(this.#prefix)
      .startRevision(String(Number(res.header.revision) + 1))
      .create();
    this.#watcher = watcher;
    watcher.on('put', (kv) => this.#onEvent(kv, false));
    watcher.on('delete', (kv) => this.#onEvent(kv, true));
    watcher.on('disconnected', () => this.#setConnected(false));
    watcher.on('connected', () => {
      this.#setConnected(true);
      this.refresh().catch(() => {});
    });
    watcher.on('error', () => this.#setConnected(false));
  }

  #setConnected(up: boolean): void {
    if (this.#connected === up) return;
    this.#connected = up;
    this.emit('connection', up);
  }

  #applySnapshot(kvs: readonly IKeyValue[]): void {
    const registered = new Map<string, Registration>();
    const alive = new Set<string>();
    let epoch = 0;
    for (const kv of kvs) {
      const key = kv.key.toString();
      if (key.startsWith(this.#handoffPrefix)) {
        this.#setHandoff(key.slice(this.#handoffPrefix.length), Number(kv.value.toString()));
        continue;
      }
      epoch = Math.max(epoch, Number(kv.mod_revision));
      if (key === this.#epochKey) epoch = Math.max(epoch, Number(kv.value.toString()));
      else if (key.startsWith(this.#alivePrefix)) alive.add(key.slice(this.#alivePrefix.length));
      else {
        const reg = this.#parse(kv);
        if (reg) registered.set(reg.id, reg);
      }
    }
    if (epoch < this.#epoch) return; // older than what the watch already applied
    const changed =
      epoch !== this.#epoch ||
      !sameRegistrations(registered, this.#registered) ||
      !sameSet(alive, this.#alive);
    this.#registered = registered;
    this.#alive = alive;
    this.#epoch = epoch;
    if (changed) this.emit('change', this.view);
  }

  #parse(kv: IKeyValue): Registration | undefined {
    const key = kv.key.toString();
    if (!key.startsWith(this.#membersPrefix)) return undefined;
    try {
      const r = JSON.parse(kv.value.toString()) as Partial<Registration>;
      if (
        typeof r.id === 'string' &&
        typeof r.url === 'string' &&
        key === this.#membersPrefix + r.id
      ) {
        return { id: r.id, url: r.url, leaving: r.leaving === true };
      }
    } catch {}
    return undefined; // a foreign or garbled entry is not a member
  }

  #setHandoff(id: string, epoch: number): void {
    if (!Number.isFinite(epoch) || epoch <= (this.#handoff.get(id) ?? 0)) return;
    this.#handoff.set(id, epoch);
    this.emit('handoff', id, epoch);
  }

  #onEvent(kv: IKeyValue, deleted: boolean): void {
    const key = kv.key.toString();
    const rev = Number(kv.mod_revision);
    if (key.startsWith(this.#handoffPrefix)) {
      const id = key.slice(this.#handoffPrefix.length);
      if (deleted) this.#handoff.delete(id);
      else this.#setHandoff(id, Number(kv.value.toString()));
      return;
    }
    if (key === this.#epochKey) {
      if (!deleted) this.#advance(Math.max(rev, Number(kv.value.toString())));
      return;
    }
    if (key.startsWith(this.#alivePrefix)) {
      const id = key.slice(this.#alivePrefix.length);
      if (deleted) this.#alive.delete(id);
      else this.#alive.add(id);
    } else if (key.startsWith(this.#membersPrefix)) {
      const id = key.slice(this.#membersPrefix.length);
      if (deleted) this.#registered.delete(id);
      else {
        const reg = this.#parse(kv);
        if (!reg) return;
        this.#registered.set(id, reg);
      }
    } else return;
    this.#advance(rev, true);
    if (deleted) {
      // Record the deletion's revision where a later range read sees it (one write per
      // deletion: only if no one has recorded this or a newer one yet).
      this.#client
        .if(this.#epochKey, 'Mod', '<', rev)
        .then(this.#client.put(this.#epochKey).value(String(rev)))
        .commit()
        .catch(() => {});
    }
  }

  #advance(epoch: number, membersChanged = false): void {
    if (epoch <= this.#epoch && !membersChanged) return;
    this.#epoch = Math.max(this.#epoch, epoch);
    this.emit('change', this.view);
  }
}

function sameRegistrations(a: Map<string, Registration>, b: Map<string, Registration>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, r] of a) {
    const o = b.get(id);
    if (o?.url !== r.url || o.leaving !== r.leaving) return false;
  }
  return true;
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}
