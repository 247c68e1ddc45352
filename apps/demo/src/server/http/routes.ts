/**
 * perf-kv's HTTP API. Every input is validated here before it reaches storage; a bad request
 * gets a 4xx with a JSON body `{ error, message }` whose `error` is a stable code.
 *
 *   GET    /kv/:key                      value bytes, or 404
 *   PUT    /kv/:key                      204 once durable (group commit)              [token]
 *   DELETE /kv/:key                      204 once durable                             [token]
 *   POST   /kv:batch                     { get?: [k], put?: {k: v}, delete?: [k], encoding? }
 *                                        writes atomic; values are UTF-8 text, or base64 with
 *                                        `encoding: "base64"` (binary-safe; used between peers).
 *                                        With put/delete: [token]. Gets that do not fit in
 *                                        --max-response-bytes are listed in `unread`.
 *   GET    /kv?gte=&gt=&lt=&lte=&limit=&reverse=&encoding=   { items: [{ key, value }], next? }
 *                                        in key order; `next` (the last key returned) is set
 *                                        when --max-response-bytes cut the answer short
 *   PUT    /vectors/:id                  [f32, …] (JSON) or raw little-endian float32 bytes [token]
 *   POST   /vectors:batch                { put: { id: [f32, …] } }                     [token]
 *   POST   /vectors/search               { vector: [f32, …], k } → { results: [{ id, score }] }
 *   GET    /metrics  /stats  /health  /  /events  /assets/*   POST /load/start [token]
 *
 * Security (see the README's "Limits and security"):
 * - [token] routes need `Authorization: Bearer <--token>`; reads are open;
 * - JSON routes need `Content-Type: application/json` (a cross-site form cannot send it);
 * - a request with an `Origin` must come from this server's own origin; the dashboard's
 *   routes also need a `Host` that names this server (no DNS rebinding);
 * - a forwarded request must carry a valid signature of the cluster secret (forwarding.ts).
 */
import { timingSafeEqual } from 'node:crypto';
import type { Config } from '../../config.js';
import { FORWARDED, verifyForward } from '../forwarding.js';
import { type Backend, MORE, type ScanRange, type ScanResult, type VectorIndex } from '../types.js';
import { HttpError } from './errors.js';
import { json, type Req, type Res } from './message.js';

export interface Extras {
  metrics(): Res | Promise<Res>;
  stats(): Res | Promise<Res>;
  dashboard(req: Req): Res | Promise<Res> | undefined;
}

const MAX_SCAN = 10_000;
/** Raw bytes of values a scan page or a batch-get group reads from storage at a time. */
const PAGE_BYTES = 1 << 20;
/** Keys of a batch get's first group; later groups are sized from the values seen. */
const FIRST_GROUP = 16;
const MAX_GROUP = 4096;
/** A streamed response is written in chunks of about this many bytes. */
const CHUNK_BYTES = 64 << 10;
/** Room kept for the closing `]` and `"next"` (whose key is counted separately). */
const TAIL_RESERVE = 64;
/** Room kept for a batch get's `"unread"` list header. */
const UNREAD_RESERVE = 64;
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
  readonly #token: Buffer;
  /** Host names this server answers to: loopback names, --host and --advertise's. */
  readonly #hosts: Set<string>;

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
    this.#token = Buffer.from(cfg.token);
    this.#hosts = new Set(['localhost', '127.0.0.1', '[::1]', cfg.host.toLowerCase()]);
    if (cfg.advertise) this.#hosts.add(new URL(cfg.advertise).hostname.toLowerCase());
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
    const forwarded = this.#forwarded(req);
    const kv = forwarded ? this.#local : this.#kv;
    if (!forwarded) this.#checkOrigin(req);
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
          if (!forwarded) this.#authorize(req);
          await kv.put(key, this.#value(req.body));
          return { status: 204 };
        case 'DELETE':
          if (!forwarded) this.#authorize(req);
          await kv.del(key);
          return { status: 204 };
        default:
          return notAllowed('GET, PUT, DELETE');
      }
    }
    switch (path) {
      case '/kv:batch':
        return method === 'POST' ? this.#batch(req, kv, forwarded) : notAllowed('POST');
      case '/kv':
        return method === 'GET' ? this.#scan(req, kv) : notAllowed('GET');
      case '/vectors/search':
        return method === 'POST' ? this.#search(req) : notAllowed('POST');
      case '/vectors:batch':
        if (method !== 'POST') return notAllowed('POST');
        this.#authorize(req);
        return this.#vectorBatch(req);
      case '/metrics':
        return this.#extras.metrics();
      case '/stats':
        return this.#extras.stats();
      case '/health':
        return json(200, { ok: true });
    }
    if (path.startsWith('/vectors/')) {
      if (method !== 'PUT') return notAllowed('PUT');
      this.#authorize(req);
      const id = this.#key(path.slice(9));
      await this.#vectors.upsert([[id, this.#vectorBody(req)]]);
      return { status: 204 };
    }
    // The dashboard's routes: only under this server's own name, and starting a load needs
    // the token like a write.
    this.#checkHost(req);
    if (path === '/load/start') this.#authorize(req);
    const extra = await this.#extras.dashboard(req);
    if (extra) return extra;
    throw new HttpError(404, 'no_route', `no route for ${method} ${path}`);
  }

  /**
   * A request that says it was forwarded by a peer must prove it (HMAC of the cluster secret);
   * anything else in the header is refused, never silently served as forwarded.
   */
  #forwarded(req: Req): boolean {
    const h = req.headers[FORWARDED];
    if (h === undefined) return false;
    const ok =
      typeof h === 'string' &&
      verifyForward(
        this.#cfg.clusterSecret,
        h,
        req.method,
        req.path,
        (req as { rawQuery?: string }).rawQuery ?? '',
        req.body,
      );
    if (!ok) throw new HttpError(403, 'bad_forward', 'forwarded request without a valid signature');
    return true;
  }

  #authorize(req: Req): void {
    const h = req.headers.authorization;
    const given =
      typeof h === 'string' && h.startsWith('Bearer ') ? Buffer.from(h.slice(7)) : undefined;
    if (
      given === undefined ||
      given.length !== this.#token.length ||
      !timingSafeEqual(given, this.#token)
    ) {
      throw new HttpError(401, 'unauthorized', 'this route needs `Authorization: Bearer <token>`', {
        'www-authenticate': 'Bearer',
      });
    }
  }

  /** A browser names the page that sent the request in `Origin`: it must be this server. */
  #checkOrigin(req: Req): void {
    const origin = req.headers.origin;
    if (origin === undefined || (origin === 'null' && req.method === 'GET')) return;
    let host = '';
    try {
      host = new URL(String(origin)).host.toLowerCase();
    } catch {}
    if (!this.#allowedHost(host)) {
      throw new HttpError(403, 'bad_origin', 'requests from other origins are refused');
    }
  }

  /** DNS rebinding: a foreign name resolving to us must not reach the dashboard. */
  #checkHost(req: Req): void {
    const host = req.headers.host;
    if (typeof host !== 'string' || !this.#allowedHost(host.toLowerCase())) {
      throw new HttpError(403, 'bad_host', 'the dashboard answers only to its own host name');
    }
  }

  #allowedHost(hostPort: string): boolean {
    const name = hostPort.startsWith('[')
      ? hostPort.slice(0, hostPort.indexOf(']') + 1)
      : hostPort.split(':')[0]!;
    return name !== '' && this.#hosts.has(name);
  }

  #key(key: string): string {
    if (key.length === 0) throw new HttpError(400, 'bad_key', 'key must not be empty');
    if (!isWellFormed(key)) {
      throw new HttpError(400, 'bad_key', 'key is not well-formed Unicode (a lone surrogate)');
    }
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
    const v = this.#parse(req);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      throw new HttpError(400, 'bad_json', 'body must be a JSON object');
    }
    return v as Record<string, unknown>;
  }

  /** Content-Type first, then nesting depth (a linear scan), then JSON.parse. */
  #parse(req: Req): unknown {
    const ct = req.headers['content-type'];
    if (typeof ct !== 'string' || !/^application\/json\s*(;|$)/i.test(ct)) {
      throw new HttpError(
        415,
        'unsupported_media_type',
        'expected `Content-Type: application/json`',
      );
    }
    if (jsonDepth(req.body, this.#cfg.maxJsonDepth) > this.#cfg.maxJsonDepth) {
      throw new HttpError(
        400,
        'json_too_deep',
        `JSON nests deeper than ${this.#cfg.maxJsonDepth} levels`,
      );
    }
    try {
      return JSON.parse(req.body.toString('utf8'));
    } catch {
      throw new HttpError(400, 'bad_json', 'body is not valid JSON');
    }
  }

  #keys(v: unknown, field: string): string[] {
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((k) => typeof k !== 'string')) {
      throw new HttpError(400, 'bad_batch', `\`${field}\` must be an array of strings`);
    }
    return (v as string[]).map((k) => this.#key(k));
  }

  async #batch(req: Req, kv: Backend, forwarded: boolean): Promise<Res> {
    const body = this.#json(req);
    const encoding = encodingOf(body.encoding);
    const get = this.#keys(body.get, 'get');
    const dels = this.#keys(body.delete, 'delete');
    const putObj = body.put ?? {};
    if (typeof putObj !== 'object' || putObj === null || Array.isArray(putObj)) {
      throw new HttpError(400, 'bad_batch', '`put` must be an object of string values');
    }
    // JSON.parse makes every key an own property, `__proto__` included; Object.entries reads
    // them all (no prototype lookups).
    const puts: [string, Buffer][] = [];
    for (const [k, v] of Object.entries(putObj)) {
      if (typeof v !== 'string')
        throw new HttpError(400, 'bad_batch', '`put` values must be strings');
      puts.push([this.#key(k), this.#value(decodeValue(v, encoding))]);
    }
    if (get.length + puts.length + dels.length > this.#cfg.maxBatch) {
      throw new HttpError(
        413,
        'batch_too_large',
        `a batch holds at most ${this.#cfg.maxBatch} keys`,
      );
    }
    if ((puts.length || dels.length) && !forwarded) this.#authorize(req);
    if (puts.length || dels.length) await kv.batch(puts, dels);
    if (!get.length) return json(200, { written: puts.length, deleted: dels.length });
    return this.#batchGet(kv, get, encoding, puts.length, dels.length);
  }

  /**
   * The values of a batch get, at most --max-response-bytes of JSON. Keys are fetched in
   * groups sized to about a page of values, so a batch of large values never sits in memory at
   * once; keys that did not fit are listed in `unread` for the client to ask again.
   */
  /**
   * A batch get that fits in one chunk is answered as a plain body (so it can be compressed,
   * and costs no streaming); a larger one streams the rest, a group of keys per chunk.
   */
  async #batchGet(
    kv: Backend,
    keys: string[],
    encoding: Encoding,
    written: number,
    deleted: number,
  ): Promise<Res> {
    const gen = batchGetChunks(kv, keys, encoding, this.#cfg.maxResponseBytes, written, deleted);
    const headers = { 'content-type': 'application/json; charset=utf-8' };
    const first = await gen.next();
    if (first.done) return { status: 200, headers, body: '' };
    const second = await gen.next();
    if (second.done) return { status: 200, headers, body: first.value };
    return {
      status: 200,
      headers,
      chunks: async function* () {
        yield first.value;
        yield second.value;
        yield* gen;
      },
    };
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
      if (v !== null) range[b] = this.#bound(v);
    }
    const max = this.#cfg.maxResponseBytes;
    const pageBytes = Math.min(PAGE_BYTES, max);
    // Streamed: every page is read from storage only when the client has taken the last one
    // (the front produces the next chunk only then); a failure before the first chunk is
    // still answered with its status.
    return {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      chunks: () => scanChunks(kv, range, encoding, max, pageBytes),
    };
  }

  /** A scan bound: a key, but it may be empty. */
  #bound(v: string): string {
    if (!isWellFormed(v)) throw new HttpError(400, 'bad_key', 'bound is not well-formed Unicode');
    return v;
  }

  #vector(v: unknown): Float32Array {
    const dim = this.#vectors.dim;
    // Finite as float32: 1e39 is a finite double but Infinity once stored.
    if (
      !Array.isArray(v) ||
      v.length !== dim ||
      v.some((x) => typeof x !== 'number' || !Number.isFinite(Math.fround(x)))
    ) {
      throw new HttpError(
        400,
        'bad_vector',
        `a vector is an array of ${dim} finite float32 numbers`,
      );
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
    return this.#vector(this.#parse(req));
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

type Encoding = 'utf8' | 'base64';

/**
 * No lone surrogates: such a string has no UTF-8 form (it would be stored as U+FFFD and alias
 * another key). `String#isWellFormed` is in Node 20; TypeScript's ES2023 lib lacks its type.
 */
function isWellFormed(s: string): boolean {
  return (s as unknown as { isWellFormed(): boolean }).isWellFormed();
}

function encodingOf(v: unknown): Encoding {
  if (v === undefined || v === 'utf8') return 'utf8';
  if (v === 'base64') return 'base64';
  throw new HttpError(400, 'bad_encoding', '`encoding` must be "utf8" or "base64"');
}

/** Canonical base64 (RFC 4648 §4, padded): Buffer.from would silently skip anything else. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeValue(v: string, encoding: Encoding): Buffer {
  if (encoding === 'base64' && !BASE64.test(v)) {
    throw new HttpError(400, 'bad_encoding', 'value is not valid base64');
  }
  return Buffer.from(v, encoding);
}

/**
 * The deepest nesting of `[`/`{` in a JSON text, outside strings, counted without parsing and
 * stopping as soon as it passes `limit`: a 4 MB `[[[[…` costs a linear byte scan, not a parse.
 */
export function jsonDepth(body: Uint8Array, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/**
 * The values of a batch get as JSON chunks, at most `max` bytes in all. Keys are fetched in
 * groups sized to about a page of values (the first group is small, later ones sized from the
 * values seen), so a batch of large values never sits in memory at once; keys that did not fit
 * are listed in `unread` for the client to ask again.
 */
async function* batchGetChunks(
  kv: Backend,
  keys: string[],
  encoding: Encoding,
  max: number,
  written: number,
  deleted: number,
): AsyncGenerator<string> {
  const tail = `,"written":${written},"deleted":${deleted}}`;
  let chunk = '{"values":{';
  let bytes = chunk.length + tail.length + UNREAD_RESERVE;
  let first = true;
  let group = Math.min(keys.length, FIRST_GROUP);
  let i = 0;
  let full = false;
  while (i < keys.length && !full) {
    const ks = keys.slice(i, i + group);
    const values = await kv.getMany(ks);
    let valueBytes = 0;
    for (let j = 0; j < ks.length; j++) {
      const v = values[j];
      valueBytes += v?.length ?? 0;
      const item = `${first ? '' : ','}${JSON.stringify(ks[j])}:${v === undefined ? 'null' : JSON.stringify(v.toString(encoding))}`;
      const n = Buffer.byteLength(item);
      if (!first && bytes + n + Buffer.byteLength(ks[j]!) * 6 > max) {
        full = true;
        break;
      }
      chunk += item;
      bytes += n;
      first = false;
      i++;
    }
    if (chunk.length >= CHUNK_BYTES) {
      yield chunk;
      chunk = '';
    }
    const avg = Math.max(1, valueBytes / ks.length);
    group = Math.max(1, Math.min(MAX_GROUP, Math.floor(PAGE_BYTES / avg)));
  }
  chunk += '}';
  if (i < keys.length) chunk += `,"unread":${JSON.stringify(keys.slice(i))}`;
  yield chunk + tail;
}

/**
 * A scan as JSON chunks of about CHUNK_BYTES, page after page, until the limit, the range or
 * --max-response-bytes runs out; in the last case `next` is the last key sent.
 */
async function* scanChunks(
  kv: Backend,
  range: ScanRange,
  encoding: Encoding,
  max: number,
  pageBytes: number,
): AsyncGenerator<string> {
  let sent = '{"items":['.length;
  let chunk = '{"items":[';
  let count = 0;
  let last: string | undefined;
  let truncated = false;
  let page: ScanResult = await kv.scan({ ...range, maxBytes: pageBytes });
  for (;;) {
    for (const e of page) {
      const item = `${count ? ',' : ''}{"key":${JSON.stringify(e.key)},"value":${JSON.stringify(e.value.toString(encoding))}}`;
      const n = Buffer.byteLength(item);
      if (count > 0 && sent + n + TAIL_RESERVE + Buffer.byteLength(e.key) * 6 > max) {
        truncated = true;
        break;
      }
      chunk += item;
      sent += n;
      count++;
      last = e.key;
      if (chunk.length >= CHUNK_BYTES) {
        yield chunk;
        chunk = '';
      }
    }
    if (truncated || count >= range.limit || page[MORE] !== true || last === undefined) break;
    const next: ScanRange = { ...range, limit: range.limit - count, maxBytes: pageBytes };
    if (range.reverse) {
      delete next.lte;
      next.lt = last;
    } else {
      delete next.gte;
      next.gt = last;
    }
    page = await kv.scan(next);
    if (page.length === 0) break;
  }
  yield `${chunk}]${truncated ? `,"next":${JSON.stringify(last)}` : ''}}`;
}

function notAllowed(allow: string): Res {
  return {
    status: 405,
    headers: { 'content-type': 'application/json; charset=utf-8', allow },
    body: JSON.stringify({ error: 'method_not_allowed', message: `allowed: ${allow}` }),
  };
}
