/**
 * `--peers`: one perf-kv spread over several nodes. Every node places each key on a node with
 * the same Maglev table (built from the sorted node URLs, so all nodes agree), serves its own
 * keys from its local backend, and forwards the rest to their owner over a @perf/net Http2Pool
 * (one multiplexed HTTP/2 connection set per peer). A forwarded request carries
 * `x-perf-kv-forwarded: 1` and is always served locally, so a request crosses at most one hop.
 *
 *   client ──> node A ── key owned by A ──> A's shards
 *                     └─ key owned by B ──> Http2Pool(B) ──> B's shards (forwarded: no re-route)
 */
import { Maglev } from '@perf/balance';
import { Http2Pool } from '@perf/net';
import { PeerError } from '../errors.js';
import { type Backend, FORWARDED, type KvItem, type ScanRange } from '../types.js';
import { mergeSorted } from './merge.js';

export class PeerRouter implements Backend {
  readonly #self: string;
  readonly #local: Backend;
  readonly #nodes: string[];
  readonly #placement: Maglev;
  readonly #pools = new Map<string, Http2Pool>();

  /** `timeoutMs`: how long a forwarded request may take before it fails with PERF_NET_TIMEOUT. */
  constructor(
    self: string,
    peers: readonly string[],
    local: Backend,
    opts: { timeoutMs?: number } = {},
  ) {
    this.#self = normalise(self);
    this.#local = local;
    this.#nodes = [...new Set([this.#self, ...peers.map(normalise)])].sort();
    this.#placement = new Maglev(this.#nodes);
    for (const p of this.#nodes) {
      if (p !== this.#self)
        this.#pools.set(
          p,
          new Http2Pool(p, { maxSessions: 2, timeoutMs: opts.timeoutMs ?? 10_000 }),
        );
    }
  }

  get nodes(): readonly string[] {
    return this.#nodes;
  }

  ownerOf(key: string): string {
    return this.#placement.pick(key);
  }

  async get(key: string): Promise<Buffer | undefined> {
    const [v] = await this.getMany([key]);
    return v;
  }

  async getMany(keys: readonly string[]): Promise<(Buffer | undefined)[]> {
    const out = new Array<Buffer | undefined>(keys.length);
    await Promise.all(
      [...this.#group(keys)].map(async ([node, idx]) => {
        const ks = idx.map((i) => keys[i]!);
        const values =
          node === this.#self ? await this.#local.getMany(ks) : await this.#remoteGet(node, ks);
        idx.forEach((i, j) => {
          out[i] = values[j];
        });
      }),
    );
    return out;
  }

  put(key: string, value: Buffer): Promise<void> {
    return this.batch([[key, value]], []);
  }

  del(key: string): Promise<void> {
    return this.batch([], [key]);
  }

  async batch(puts: readonly [string, Buffer][], dels: readonly string[]): Promise<void> {
    const byNode = new Map<string, { puts: [string, Buffer][]; dels: string[] }>();
    const slot = (n: string) => byNode.get(n) ?? byNode.set(n, { puts: [], dels: [] }).get(n)!;
    for (const p of puts) slot(this.ownerOf(p[0])).puts.push(p);
    for (const d of dels) slot(this.ownerOf(d)).dels.push(d);
    await Promise.all(
      [...byNode].map(([node, part]) =>
        node === this.#self
          ? this.#local.batch(part.puts, part.dels)
          : this.#remoteWrite(node, part.puts, part.dels),
      ),
    );
  }

  async scan(range: ScanRange): Promise<KvItem[]> {
    const parts = await Promise.all(
      this.#nodes.map((n) =>
        n === this.#self ? this.#local.scan(range) : this.#remoteScan(n, range),
      ),
    );
    return mergeSorted(
      parts.map((p) => p.map((e) => [e.key, e.value] as [string, Uint8Array])),
      range.reverse,
      range.limit,
    ).map(([key, value]) => ({
      key,
      value: Buffer.from(value.buffer, value.byteOffset, value.byteLength),
    }));
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((p) => p.close()));
  }

  #group(keys: readonly string[]): Map<string, number[]> {
    const m = new Map<string, number[]>();
    keys.forEach((k, i) => {
      const n = this.ownerOf(k);
      const list = m.get(n);
      if (list) list.push(i);
      else m.set(n, [i]);
    });
    return m;
  }

  async #call(node: string, method: string, path: string, body?: string): Promise<Buffer> {
    const res = await this.#pools.get(node)!.request({
      method,
      path,
      headers: { [FORWARDED]: '1', 'content-type': 'application/json' },
      ...(body !== undefined ? { body } : {}),
    });
    if (res.status >= 400) {
      throw new PeerError(node, res.status, `${method} ${path}`);
    }
    return res.body;
  }

  async #remoteGet(node: string, keys: string[]): Promise<(Buffer | undefined)[]> {
    const body = await this.#call(
      node,
      'POST',
      '/kv:batch',
      JSON.stringify({ get: keys, encoding: 'base64' }),
    );
    const { values } = JSON.parse(body.toString('utf8')) as {
      values: Record<string, string | null>;
    };
    return keys.map((k) => (values[k] == null ? undefined : Buffer.from(values[k]!, 'base64')));
  }

  async #remoteWrite(node: string, puts: [string, Buffer][], dels: string[]): Promise<void> {
    const put = Object.fromEntries(puts.map(([k, v]) => [k, v.toString('base64')]));
    await this.#call(
      node,
      'POST',
      '/kv:batch',
      JSON.stringify({ put, delete: dels, encoding: 'base64' }),
    );
  }

  async #remoteScan(node: string, r: ScanRange): Promise<KvItem[]> {
    const q = new URLSearchParams({
      limit: String(r.limit),
      reverse: String(r.reverse),
      encoding: 'base64',
    });
    for (const b of ['gt', 'gte', 'lt', 'lte'] as const) if (r[b] !== undefined) q.set(b, r[b]!);
    const body = await this.#call(node, 'GET', `/kv?${q}`);
    const { items } = JSON.parse(body.toString('utf8')) as {
      items: { key: string; value: string }[];
    };
    return items.map((e) => ({ key: e.key, value: Buffer.from(e.value, 'base64') }));
  }
}

function normalise(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}`;
}
