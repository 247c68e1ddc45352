/**
 * `--peers`: one perf-kv spread over several nodes. Every node places each key on a node with
 * the same Maglev table (built from the sorted node URLs, so all nodes agree), serves its own
 * keys from its local backend, and forwards the rest to their owner over a @perf/net Http2Pool
 * (one multiplexed HTTP/2 connection set per peer). A forwarded request is signed with the
 * cluster secret (forwarding.ts) and always served locally, so a request crosses at most one hop.
 *
 *   client ──> node A ── key owned by A ──> A's shards
 *                     └─ key owned by B ──> Http2Pool(B) ──> B's shards (forwarded: no re-route)
 */
import { Maglev } from '@perf/balance';
import { Http2Pool } from '@perf/net';
import { PeerError } from '../errors.js';
import { FORWARDED, signForward } from '../forwarding.js';
import { type Backend, type Entry, MORE, type ScanRange, type ScanResult } from '../types.js';
import { mergeRuns } from './merge.js';

export class PeerRouter implements Backend {
  readonly #self: string;
  readonly #local: Backend;
  readonly #nodes: string[];
  readonly #placement: Maglev;
  readonly #pools = new Map<string, Http2Pool>();
  readonly #secret: string;

  /**
   * `secret` signs every forwarded request; `timeoutMs`: how long a forwarded request may take
   * before it fails with PERF_NET_TIMEOUT.
   */
  constructor(
    self: string,
    peers: readonly string[],
    local: Backend,
    opts: { timeoutMs?: number; secret?: string } = {},
  ) {
    this.#secret = opts.secret ?? '';
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

  async scan(range: ScanRange): Promise<ScanResult> {
    const parts = await Promise.all(
      this.#nodes.map((n) =>
        n === this.#self ? this.#local.scan(range) : this.#remoteScan(n, range),
      ),
    );
    const merged = mergeRuns(
      parts.map((p) => ({
        entries: p.map((e) => [e.key, e.value] as Entry),
        more: p[MORE] === true,
      })),
      range.reverse,
      range.limit,
    );
    const out: ScanResult = merged.entries.map(([key, value]) => ({
      key,
      value: Buffer.from(value.buffer, value.byteOffset, value.byteLength),
    }));
    if (merged.more) out[MORE] = true;
    return out;
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

  async #call(
    node: string,
    method: string,
    path: string,
    query: string,
    body?: string,
  ): Promise<Buffer> {
    const bytes = Buffer.from(body ?? '');
    const res = await this.#pools.get(node)!.request({
      method,
      path: query ? `${path}?${query}` : path,
      headers: {
        [FORWARDED]: signForward(this.#secret, method, path, query, bytes),
        'content-type': 'application/json',
      },
      ...(body !== undefined ? { body: bytes } : {}),
    });
    if (res.status >= 400) {
      throw new PeerError(node, res.status, `${method} ${path}`);
    }
    return res.body;
  }

  async #remoteGet(node: string, keys: string[]): Promise<(Buffer | undefined)[]> {
    const found = new Map<string, Buffer | undefined>();
    let ask = keys;
    // A peer answers at most its response-size limit and lists what did not fit as `unread`.
    while (ask.length > 0) {
      const body = await this.#call(
        node,
        'POST',
        '/kv:batch',
        '',
        JSON.stringify({ get: ask, encoding: 'base64' }),
      );
      const { values, unread } = JSON.parse(body.toString('utf8')) as {
        values: Record<string, string | null>;
        unread?: string[];
      };
      for (const k of ask) {
        if (!Object.hasOwn(values, k)) continue;
        const v = values[k];
        found.set(k, v == null ? undefined : Buffer.from(v, 'base64'));
      }
      if (!unread || unread.length === 0 || unread.length >= ask.length) break;
      ask = unread;
    }
    return keys.map((k) => found.get(k));
  }

  async #remoteWrite(node: string, puts: [string, Buffer][], dels: string[]): Promise<void> {
    const put = Object.fromEntries(puts.map(([k, v]) => [k, v.toString('base64')]));
    await this.#call(
      node,
      'POST',
      '/kv:batch',
      '',
      JSON.stringify({ put, delete: dels, encoding: 'base64' }),
    );
  }

  async #remoteScan(node: string, r: ScanRange): Promise<ScanResult> {
    const q = new URLSearchParams({
      limit: String(r.limit),
      reverse: String(r.reverse),
      encoding: 'base64',
    });
    for (const b of ['gt', 'gte', 'lt', 'lte'] as const) if (r[b] !== undefined) q.set(b, r[b]!);
    const body = await this.#call(node, 'GET', '/kv', q.toString());
    const { items, next } = JSON.parse(body.toString('utf8')) as {
      items: { key: string; value: string }[];
      next?: string;
    };
    const out: ScanResult = items.map((e) => ({
      key: e.key,
      value: Buffer.from(e.value, 'base64'),
    }));
    if (next !== undefined) out[MORE] = true;
    return out;
  }
}

function normalise(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}`;
}
