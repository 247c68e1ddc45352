/**
 * The built-in load generator: closed-loop workers (each sends its next request when the last
 * one is answered) over one HTTP/2 client, a seeded Zipfian key mix, and latency recorded per
 * route into @perf/monitor histograms in microseconds. Phases run one after another:
 *
 *   preload (batch PUTs) → read-heavy mix (GET 90 %, PUT 5 %, batch GET 5 %) → durable writes
 *   → vector inserts and top-k searches
 */
import { Histogram } from '@perf/monitor';
import { Rng, Zipf } from './zipf.js';

export interface Client {
  request(
    method: string,
    path: string,
    body?: Buffer | string,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: Buffer; headers: Record<string, unknown> }>;
}

export interface Op {
  route: string;
  method: string;
  path: string;
  body?: string | Buffer;
  /** Keys this request reads or writes (batch routes), for keys/s. */
  keys?: number;
  /** Bulk loading (preload, vector inserts): reported, but not judged against the SLA. */
  bulk?: boolean;
}

export interface PhaseSpec {
  name: string;
  durationMs: number;
  concurrency: number;
  /** Stop after this many requests even if time remains (preload). */
  maxRequests?: number;
  next(rng: Rng, i: number): Op;
}

export interface RouteResult {
  route: string;
  bulk: boolean;
  requests: number;
  errors: number;
  keys: number;
  histogram: Histogram;
}

export interface PhaseResult {
  name: string;
  elapsedMs: number;
  routes: RouteResult[];
  /** Per second: requests and P99 (µs). */
  seconds: { requests: number; p99Us: number }[];
}

export interface MixOptions {
  keys: number;
  valueBytes: number;
  zipfS: number;
  /** Fractions of the read phase: get + put + batch = 1. */
  mix: { get: number; put: number; batch: number };
  batchSize: number;
  vectorDim: number;
  vectors: number;
  topK: number;
}

export const DEFAULT_MIX: MixOptions = {
  keys: 10_000,
  valueBytes: 256,
  zipfS: 0.99,
  mix: { get: 0.9, put: 0.05, batch: 0.05 },
  batchSize: 100,
  vectorDim: 64,
  vectors: 5_000,
  topK: 10,
};

export const keyName = (i: number) => `user:${String(i).padStart(8, '0')}`;

/** A value of `n` bytes that compresses like typical JSON (repetitive field names). */
export function valueFor(i: number, n: number): string {
  const base = `{"id":${i},"name":"user ${i}","plan":"standard","tags":["a","b"],"bio":"`;
  let s = base;
  while (s.length < n - 2) s += 'lorem ipsum dolor sit amet ';
  return `${s.slice(0, n - 2)}"}`;
}

export function vectorFor(rng: Rng, dim: number): number[] {
  const v = new Array<number>(dim);
  for (let i = 0; i < dim; i++) v[i] = rng.next() * 2 - 1;
  return v;
}

/** The phases of a standard run, scaled to `totalMs`. */
export function standardPhases(o: MixOptions, totalMs: number, concurrency: number): PhaseSpec[] {
  const zipfRng = new Rng(42);
  const zipf = new Zipf(o.keys, o.zipfS, zipfRng);
  const preloadBatch = 500;
  const batchPath = '/kv:batch';
  return [
    {
      name: 'preload',
      durationMs: Math.max(5_000, totalMs * 0.2),
      concurrency: Math.min(concurrency, 8),
      maxRequests: Math.ceil(o.keys / preloadBatch),
      next: (_rng, i) => {
        const put: Record<string, string> = {};
        for (let k = i * preloadBatch; k < Math.min(o.keys, (i + 1) * preloadBatch); k++) {
          put[keyName(k)] = valueFor(k, o.valueBytes);
        }
        return {
          route: 'POST /kv:batch (put)',
          method: 'POST',
          path: batchPath,
          body: JSON.stringify({ put }),
          keys: Object.keys(put).length,
          bulk: true,
        };
      },
    },
    {
      name: 'read',
      durationMs: totalMs * 0.45,
      concurrency,
      next: (rng) => {
        const r = rng.next();
        if (r < o.mix.get) {
          return { route: 'GET /kv/:key', method: 'GET', path: `/kv/${keyName(zipf.next())}` };
        }
        if (r < o.mix.get + o.mix.put) {
          const k = zipf.next();
          return {
            route: 'PUT /kv/:key',
            method: 'PUT',
            path: `/kv/${keyName(k)}`,
            body: valueFor(k, o.valueBytes),
          };
        }
        const get: string[] = [];
        for (let j = 0; j < o.batchSize; j++) get.push(keyName(zipf.next()));
        return {
          route: 'POST /kv:batch (get)',
          method: 'POST',
          path: batchPath,
          body: JSON.stringify({ get }),
          keys: get.length,
        };
      },
    },
    {
      name: 'write',
      durationMs: totalMs * 0.2,
      concurrency,
      next: (rng) => {
        const k = rng.int(o.keys);
        return {
          route: 'PUT /kv/:key',
          method: 'PUT',
          path: `/kv/${keyName(k)}`,
          body: valueFor(k, o.valueBytes),
        };
      },
    },
    {
      name: 'vectors',
      durationMs: totalMs * 0.15,
      concurrency: Math.max(1, Math.floor(concurrency / 2)),
      // Inserts interleave with searches (one in four requests, 100 vectors each, until
      // `o.vectors` are in), so even a short run measures both.
      next: (rng, i) => {
        if (i % 4 === 0 && (i / 4) * 100 < o.vectors) {
          const items: Record<string, number[]> = {};
          for (let j = 0; j < 100; j++)
            items[`v${(i / 4) * 100 + j}`] = vectorFor(rng, o.vectorDim);
          return {
            route: 'POST /vectors:batch',
            bulk: true,
            method: 'POST',
            path: '/vectors:batch',
            body: JSON.stringify({ put: items }),
            keys: 100,
          };
        }
        return {
          route: 'POST /vectors/search',
          method: 'POST',
          path: '/vectors/search',
          body: JSON.stringify({ vector: vectorFor(rng, o.vectorDim), k: o.topK }),
        };
      },
    },
  ];
}

// Like a real client, ask for compressed responses: the report shows the bytes it saves.
const ACCEPT_HEADERS = { 'accept-encoding': 'gzip' };
const JSON_HEADERS = { 'content-type': 'application/json', 'accept-encoding': 'gzip' };

const newHistogram = () => new Histogram({ lowest: 1, highest: 60_000_000, significantDigits: 3 });

/**
 * Runs one phase. `onTick` is called about every 100 ms with the fraction done, so a caller can
 * draw a progress bar. Vector inserts are issued in order before searches (i counts globally).
 */
export async function runPhase(
  client: Client,
  spec: PhaseSpec,
  onTick: (fraction: number) => void = () => {},
  seed = 1,
): Promise<PhaseResult> {
  const routes = new Map<string, RouteResult>();
  const seconds: PhaseResult['seconds'] = [];
  let secondHist = newHistogram();
  let secondCount = 0;
  const t0 = performance.now();
  const deadline = t0 + spec.durationMs;
  let issued = 0;
  let secondStart = t0;
  const rng = new Rng(seed);
  const max = spec.maxRequests ?? Number.POSITIVE_INFINITY;

  const tick = setInterval(() => {
    const now = performance.now();
    if (now - secondStart >= 1000) {
      seconds.push({
        requests: secondCount,
        p99Us: secondHist.count ? secondHist.percentile(99) : 0,
      });
      secondHist = newHistogram();
      secondCount = 0;
      secondStart = now;
    }
    onTick(
      spec.maxRequests ? issued / spec.maxRequests : Math.min(1, (now - t0) / spec.durationMs),
    );
  }, 100);

  const worker = async () => {
    while (issued < max && performance.now() < deadline) {
      const op = spec.next(rng, issued++);
      let r = routes.get(op.route);
      if (!r) {
        r = {
          route: op.route,
          bulk: op.bulk === true,
          requests: 0,
          errors: 0,
          keys: 0,
          histogram: newHistogram(),
        };
        routes.set(op.route, r);
      }
      const start = performance.now();
      let ok = false;
      try {
        const res = await client.request(
          op.method,
          op.path,
          op.body,
          op.body ? JSON_HEADERS : ACCEPT_HEADERS,
        );
        ok = res.status < 400 || (res.status === 404 && op.method === 'GET');
      } catch {
        ok = false;
      }
      const us = Math.max(1, Math.round((performance.now() - start) * 1000));
      r.histogram.record(us);
      secondHist.record(us);
      secondCount++;
      r.requests++;
      r.keys += op.keys ?? 1;
      if (!ok) r.errors++;
    }
  };
  try {
    await Promise.all(Array.from({ length: spec.concurrency }, worker));
  } finally {
    clearInterval(tick);
  }
  if (secondCount > 0) {
    const frac = (performance.now() - secondStart) / 1000;
    if (frac > 0.2)
      seconds.push({ requests: Math.round(secondCount / frac), p99Us: secondHist.percentile(99) });
  }
  onTick(1);
  return {
    name: spec.name,
    elapsedMs: performance.now() - t0,
    routes: [...routes.values()],
    seconds,
  };
}

/** A one-line progress bar: `[#####.....]  45%  read`. */
export function progressBar(fraction: number, label: string, width = 30): string {
  const f = Math.max(0, Math.min(1, fraction));
  const done = Math.round(f * width);
  return `[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${String(Math.round(f * 100)).padStart(3)}%  ${label}`;
}
