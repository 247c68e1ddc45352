/**
 * Cluster membership from etcd.
 *
 * Every node registers itself under `/perf-kv/<cluster>/members/<id>` on a lease with a short
 * TTL that the client keeps alive. Every node watches the cluster prefix, so a node that stops
 * renewing (crashed, hung, cut off) drops out of every view within the lease TTL.
 *
 *   /perf-kv/<cluster>/members/<id>   {"id","url"}   (on the node's lease)
 *   /perf-kv/<cluster>/epoch          revision       (written once per departure, see below)
 *
 * The **epoch** of a view is the etcd revision of the newest change under the prefix: the
 * placement computed from a view is tagged with it, so two nodes can tell whose placement is
 * newer by comparing integers. A join is a put, whose `mod_revision` a later range read still
 * shows; a departure is a delete, which a range read cannot see. So the first node that sees a
 * delete event records its revision in the epoch key (a compare-and-put, so one write per
 * departure however many nodes see it), and a node that starts later still reads an epoch at
 * least as new as every node that watched the change happen.
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
}

const ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export class EtcdMembership extends EventEmitter<MembershipEvents> {
  readonly #client: Etcd3;
  readonly #prefix: string;
  readonly #membersPrefix: string;
  readonly #epochKey: string;
  readonly #self: Member;
  readonly #ttl: number;
  #lease: Lease | undefined;
  #watcher: Watcher | undefined;
  #members = new Map<string, Member>();
  #epoch = 0;
  #connected = true;
  #closed = false;

  private constructor(options: MembershipOptions) {
    super();
    if (!ID_PATTERN.test(options.id)) {
      throw new TypeError(
        `Expected \`id\` to be 1-64 characters of [A-Za-z0-9._-], got \`${options.id}\``,
      );
    }
    if (!ID_PATTERN.test(options.cluster)) {
      throw new TypeError(
        `Expected \`cluster\` to be 1-64 characters of [A-Za-z0-9._-], got \`${options.cluster}\``,
      );
    }
    new URL(options.advertise); // throws TypeError on a malformed URL
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
    this.#epochKey = `${this.#prefix}epoch`;
    this.#self = { id: options.id, url: options.advertise };
  }

  /** Registers this node and starts watching; resolves with the first view (self included). */
  static async join(options: MembershipOptions): Promise<EtcdMembership> {
    const m = new EtcdMembership(options);
    try {
      await m.#register();
      await m.#watch();
    } catch (err) {
      m.#client.close();
      throw err;
    }
    return m;
  }

  get view(): View {
    const members = [...this.#members.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    return { epoch: this.#epoch, members };
  }

  get self(): Member {
    return this.#self;
  }

  /** Whether the watch stream to etcd is up. */
  get connected(): boolean {
    return this.#connected;
  }

  /** Reads the membership again (a node that saw a newer epoch than its own calls this). */
  async refresh(): Promise<View> {
    const res = await this.#client.getAll().prefix(this.#prefix).exec();
    this.#applySnapshot(res.kvs);
    return this.view;
  }

  /** Leaves the cluster: revokes the lease, so the others drop this node at once. */
  async leave(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#watcher?.cancel().catch(() => {});
    await this.#lease?.revoke().catch(() => {});
    this.#client.close();
  }

  /** Stops watching and closes the client without revoking (the lease then expires). */
  close(): void {
    this.#closed = true;
    void this.#watcher?.cancel().catch(() => {});
    this.#lease?.release();
    this.#client.close();
  }

  async #register(): Promise<void> {
    const lease = this.#client.lease(this.#ttl, { autoKeepAlive: true });
    this.#lease = lease;
    lease.on('lost', () => {
      if (this.#closed || this.#lease !== lease) return;
      // The lease expired while we could not renew it (the process hung, or etcd was away):
      // register again on a fresh lease, which gives a new epoch.
      this.#lease = undefined;
      const retry = (): void => {
        if (this.#closed) return;
        this.#register()
          .then(() => this.refresh())
          .catch(() => setTimeout(retry, 500).unref());
      };
      retry();
    });
    await lease.put(this.#membersPrefix + this.#self.id).value(JSON.stringify(this.#self));
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
    watcher.on('put', (kv) => this.#onPut(kv));
    watcher.on('delete', (kv) => this.#onDelete(kv));
    watcher.on('disconnected', () => this.#setConnected(false));
    watcher.on('connected', () => {
      this.#setConnected(true);
      // Events missed while disconnected are replayed by the watch from its last revision,
      // but a fresh read also picks up a lease that expired meanwhile.
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
    const members = new Map<string, Member>();
    let epoch = 0;
    for (const kv of kvs) {
      epoch = Math.max(epoch, Number(kv.mod_revision));
      const key = kv.key.toString();
      if (key === this.#epochKey) epoch = Math.max(epoch, Number(kv.value.toString()));
      const member = this.#parseMember(kv);
      if (member) members.set(member.id, member);
    }
    if (epoch < this.#epoch) return; // an older read than what the watch already applied
    const changed = epoch !== this.#epoch || !sameMembers(members, this.#members);
    this.#members = members;
    this.#epoch = epoch;
    if (changed) this.emit('change', this.view);
  }

  #parseMember(kv: IKeyValue): Member | undefined {
    const key = kv.key.toString();
    if (!key.startsWith(this.#membersPrefix)) return undefined;
    try {
      const m = JSON.parse(kv.value.toString()) as Partial<Member>;
      if (typeof m.id === 'string' && typeof m.url === 'string' && key.endsWith(`/${m.id}`)) {
        return { id: m.id, url: m.url };
      }
    } catch {}
    return undefined; // a foreign or garbled entry is not a member
  }

  #onPut(kv: IKeyValue): void {
    const rev = Number(kv.mod_revision);
    const key = kv.key.toString();
    if (key === this.#epochKey) {
      this.#advance(Math.max(rev, Number(kv.value.toString())));
      return;
    }
    const member = this.#parseMember(kv);
    if (!member) return;
    this.#members.set(member.id, member);
    this.#advance(rev, true);
  }

  #onDelete(kv: IKeyValue): void {
    const rev = Number(kv.mod_revision);
    const key = kv.key.toString();
    if (!key.startsWith(this.#membersPrefix)) return;
    this.#members.delete(key.slice(this.#membersPrefix.length));
    this.#advance(rev, true);
    // Record the departure's revision where a later range read sees it (one write per
    // departure: only if no one has recorded this or a newer one yet).
    this.#client
      .if(this.#epochKey, 'Mod', '<', rev)
      .then(this.#client.put(this.#epochKey).value(String(rev)))
      .commit()
      .catch(() => {});
  }

  #advance(epoch: number, membersChanged = false): void {
    if (epoch <= this.#epoch && !membersChanged) return;
    this.#epoch = Math.max(this.#epoch, epoch);
    this.emit('change', this.view);
  }
}

function sameMembers(a: Map<string, Member>, b: Map<string, Member>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, m] of a) if (b.get(id)?.url !== m.url) return false;
  return true;
}
