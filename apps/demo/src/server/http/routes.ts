/**
 * perf-kv's HTTP API. Every input is validated here before it reaches storage; a bad request
 * gets a 4xx with a JSON body `{ error, message }` whose `error` is a stable code.
 *
 *   GET    /kv/:key                      value bytes, or 404
 *   PUT    /kv/:key                      204 once durable (group commit)
 *   DELETE /kv/:key                      204 once durable
 *   POST   /kv:batch                     { get?: [k], put?: {k: v}, delete?: [k], encoding? }
 *                                        writes atomic; values are UTF-8 text, or base64 with
 *                                        `encoding: "base64"` (binary-safe; used between peers)
 *   GET    /kv?gte=&gt=&lt=&lte=&limit=&reverse=&encoding=   { items: [{ key, value }] } in key order
 *   PUT    /vectors/:id                  [f32, …] (JSON) or raw little-endian float32 bytes
 *   POST   /vectors:batch                { put: { id: [f32, …] } }
 *   POST   /vectors/search               { vector: [f32, …], k } → { results: [{ id, score }] }
 *   GET    /metrics  /stats  /health  /  /events  /assets/*   POST /load/start
 */
import type { Config } from '../../config.js';
import { type Backend, FORWARDED, type ScanRange, type VectorIndex } from '../types.js';
import { HttpError } from './errors.js';
import { json, type Req, type Res } from './message.js';

export interface Extras {
  metrics(): Res | Promise<Res>;
  stats(): Res | Promise<Res>;
  dashboard(req: Req): Res | Promise<Res> | undefined;
}

const MAX_SCAN = 10_000;
const KNOWN_PATHS = new Set([
  '/kv',
  '/kv:batch',
  '/vectors/search',
  '/vectors:batch',
  '/metrics',
  '/stats',
  '/health',
  '/',
  '/events',
  '/load/start',
]);
const METHODS = new Set(['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS']);
const ROUTE_NAMES = new Map<string, Map<string, string>>();

export class Routes {
  readonly #cfg: Config;
  readonly #kv: Backend;
  readonly #local: Backend;
  readonly #vectors: VectorIndex;
  readonly #extras: Extras;

  /**
   * `kv` serves client requests; `local` (this node's own storage) serves requests a peer
   * forwarded, so that no request is routed twice. Without peers they are the same.
   */
  constructor(cfg: Config, kv: Backend, vectors: VectorIndex, extras: Extras, local: Backend = kv) {
    this.#cfg = cfg;
    this.#kv = kv;
    this.#local = local;
    this.#vectors = vectors;
    this.#extras = extras;
  }

  /** A low-cardinality name of the route for metrics (`GET /kv/:key`); interned, no allocation. */
  static routeName(method: string, path: string): string {
    const pattern = path.startsWith('/kv/')
      ? '/kv/:key'
      : path.startsWith('/vectors/') && path !== '/vectors/search'
        ? '/vectors/:id'
        : path.startsWith('/assets/')
          ? '/assets'
          : KNOWN_PATHS.has(path)
            ? path
            : 'other';
    let byMethod = ROUTE_NAMES.get(pattern);
    if (byMethod === undefined) ROUTE_NAMES.set(pattern, (byMethod = new Map()));
    // Unknown methods share one name so a client cannot grow the metric set without bound.
    const m = METHODS.has(method) ? method : 'OTHER';
    let name = byMethod.get(m);
    if (name === undefined) byMethod.set(m, (name = `${m} ${pattern}`));
    return name;
  }

  async handle(req: Req): Promise<Res> {
    const { method, path } = req;
    const kv = req.headers[FORWARDED] === '1' ? this.#local : this.#kv;
    if (path.startsWith('/kv/')) {
      const key = this.#key(path.slice(4));
      switch (method) {
        case 'GET':
        case 'HEAD': {
          const v = await kv.get(key);
          if (v === undefined)
            return json(404, { error: 'not_found', message: 'no such key', key });
          return { status: 200, headers: { 'content-type': 'application/octet-stream' }, body: v };
        }
        case 'PUT':
          await kv.put(key, this.#value(req.body));
          return { status: 204 };
        case 'DELETE':
          await kv.del(key);
          return { status: 204 };
        default:
          return notAllowed('GET, PUT, DELETE');
      }
    }
    switch (path) {
      case '/kv:batch':
        return method === 'POST' ? this.#batch(req, kv) : notAllowed('POST');
      case '/kv':
        return method === 'GET' ? this.#scan(req, kv) : notAllowed('GET');
      case '/vectors/search':
        return method === 'POST' ? this.#search(req) : notAllowed('POST');
      case '/vectors:batch':
        return method === 'POST' ? this.#vectorBatch(req) : notAllowed('POST');
      case '/metrics':
        return this.#extras.metrics();
      case '/stats':
        return this.#extras.stats();
      case '/health':
        return json(200, { ok: true });
    }
    if (path.startsWith('/vectors/')) {
      if (method !== 'PUT') return notAllowed('PUT');
      const id = this.#key(path.slice(9));
      await this.#vectors.upsert([[id, this.#vectorBody(req)]]);
      return { status: 204 };
    }
    const extra = await this.#extras.dashboard(req);
    if (extra) return extra;
    throw new HttpError(404, 'no_route', `no route for ${method} ${path}`);
  }

  #key(key: string): string {
    if (key.length === 0) throw new HttpError(400, 'bad_key', 'key must not be empty');
    if (Buffer.byteLength(key) > this.#cfg.maxKeyBytes) {
      throw new HttpError(400, 'key_too_large', `key exceeds ${this.#cfg.maxKeyBytes} bytes`);
    }
    return key;
  }

  #value(v: Buffer): Buffer {
    if (v.length > this.#cfg.maxValueBytes) {
      throw new HttpError(413, 'value_too_large', `value exceeds ${this.#cfg.maxValueBytes} bytes`);
    }
    return v;
  }

  #json(req: Req): Record<string, unknown> {
    let v: unknown;
    try {
      v = JSON.parse(req.body.toString('utf8'));
    } catch {
      throw new HttpError(400, 'bad_json', 'body is not valid JSON');
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      throw new HttpError(400, 'bad_json', 'body must be a JSON object');
    }
    return v as Record<string, unknown>;
  }

  #keys(v: unknown, field: string): string[] {
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((k) => typeof k !== 'string')) {
      throw new HttpError(400, 'bad_batch', `\`${field}\` must be an array of strings`);
    }
    return (v as string[]).map((k) => this.#key(k));
  }

  async #batch(req: Req, kv: Backend): Promise<Res> {
    const body = this.#json(req);
    const encoding = encodingOf(body.encoding);
    const get = this.#keys(body.get, 'get');
    const dels = this.#keys(body.delete, 'delete');
    const putObj = body.put ?? {};
    if (typeof putObj !== 'object' || putObj === null || Array.isArray(putObj)) {
      throw new HttpError(400, 'bad_batch', '`put` must be an object of string values');
    }
    const puts: [string, Buffer][] = [];
    for (const [k, v] of Object.entries(putObj)) {
      if (typeof v !== 'string')
        throw new HttpError(400, 'bad_batch', '`put` values must be strings');
      puts.push([this.#key(k), this.#value(Buffer.from(v, encoding))]);
    }
    if (get.length + puts.length + dels.length > this.#cfg.maxBatch) {
      throw new HttpError(
        413,
        'batch_too_large',
        `a batch holds at most ${this.#cfg.maxBatch} keys`,
      );
    }
    if (puts.length || dels.length) await kv.batch(puts, dels);
    if (!get.length) return json(200, { written: puts.length, deleted: dels.length });
    const values = await kv.getMany(get);
    const out: Record<string, string | null> = {};
    get.forEach((k, i) => {
      out[k] = values[i]?.toString(encoding) ?? null;
    });
    return json(200, { values: out, written: puts.length, deleted: dels.length });
  }

  async #scan(req: Req, kv: Backend): Promise<Res> {
    const q = req.query;
    const encoding = encodingOf(q.get('encoding') ?? undefined);
    const limitRaw = q.get('limit') ?? '100';
    const limit = Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SCAN) {
      throw new HttpError(400, 'bad_limit', `limit must be an integer from 1 to ${MAX_SCAN}`);
    }
    const range: ScanRange = {
      limit,
      reverse: q.get('reverse') === 'true' || q.get('reverse') === '1',
    };
    for (const b of ['gt', 'gte', 'lt', 'lte'] as const) {
      const v = q.get(b);
      if (v !== null) range[b] = v;
    }
    const items = await kv.scan(range);
    return json(200, {
      items: items.map((e) => ({ key: e.key, value: e.value.toString(encoding) })),
    });
  }

  #vector(v: unknown): Float32Array {
    const dim = this.#vectors.dim;
    if (
      !Array.isArray(v) ||
      v.length !== dim ||
      v.some((x) => typeof x !== 'number' || !Number.isFinite(x))
    ) {
      throw new HttpError(400, 'bad_vector', `a vector is an array of ${dim} finite numbers`);
    }
    return Float32Array.from(v as number[]);
  }

  #vectorBody(req: Req): Float32Array {
    const ct = String(req.headers['content-type'] ?? '');
    if (ct.startsWith('application/octet-stream')) {
      if (req.body.length !== this.#vectors.dim * 4) {
        throw new HttpError(400, 'bad_vector', `a raw vector is ${this.#vectors.dim * 4} bytes`);
      }
      const out = new Float32Array(this.#vectors.dim);
      new Uint8Array(out.buffer).set(req.body);
      if (out.some((x) => !Number.isFinite(x)))
        throw new HttpError(400, 'bad_vector', 'not finite');
      return out;
    }
    let v: unknown;
    try {
      v = JSON.parse(req.body.toString('utf8'));
    } catch {
      throw new HttpError(400, 'bad_json', 'body is not valid JSON');
    }
    return this.#vector(v);
  }

  async #vectorBatch(req: Req): Promise<Res> {
    const body = this.#json(req);
    const put = body.put;
    if (typeof put !== 'object' || put === null || Array.isArray(put)) {
      throw new HttpError(400, 'bad_batch', '`put` must be an object of vectors');
    }
    const items = Object.entries(put).map(
      ([id, v]) => [this.#key(id), this.#vector(v)] as [string, Float32Array],
    );
    if (items.length > this.#cfg.maxBatch) {
      throw new HttpError(
        413,
        'batch_too_large',
        `a batch holds at most ${this.#cfg.maxBatch} vectors`,
      );
    }
    await this.#vectors.upsert(items);
    return json(200, { written: items.length });
  }

  async #search(req: Req): Promise<Res> {
    const body = this.#json(req);
    const query = this.#vector(body.vector);
    const k = body.k ?? 10;
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > 1000) {
      throw new HttpError(400, 'bad_k', '`k` must be an integer from 1 to 1000');
    }
    return json(200, { results: await this.#vectors.search(query, k) });
  }
}

function encodingOf(v: unknown): 'utf8' | 'base64' {
  if (v === undefined || v === 'utf8') return 'utf8';
  if (v === 'base64') return 'base64';
  throw new HttpError(400, 'bad_encoding', '`encoding` must be "utf8" or "base64"');
}

function notAllowed(allow: string): Res {
  return {
    status: 405,
    headers: { 'content-type': 'application/json; charset=utf-8', allow },
    body: JSON.stringify({ error: 'method_not_allowed', message: `allowed: ${allow}` }),
  };
}
