/**
 * What each @perf package buys, side by side in one run on this machine:
 *
 *   perf-kv            @perf/lsm shards + W-TinyLFU cache + h2c (this repo)
 *   perf-kv/leveldb    the same server with classic-level (LevelDB) shards
 *   map+node:http      a Map behind node:http — no durability, no cache (the naive baseline)
 *   node:http2 constant  node:http2 answering 256 fixed bytes: the stack's own ceiling
 *
 * External load generator on 127.0.0.1: h2load (Debian nghttp2-client, written in C, so it
 * takes less of the shared 2 cores than a JS one), HTTP/2 for perf-kv and HTTP/1.1 for the
 * Map server. Each target gets the same 10k preloaded keys and the same Zipf(0.99) key list.
 * Run: `pnpm --filter @perf/demo bench` (`apt-get install nghttp2-client` first).
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keyName, valueFor } from '../src/load/generator.js';
import { Rng, Zipf } from '../src/load/zipf.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const SECONDS = Number(process.env.PERF_BENCH_SECONDS ?? 8);
const KEYS = 10_000;
const tmp = mkdtempSync(join(os.tmpdir(), 'perf-kv-bench-'));

interface Target {
  name: string;
  args: string[];
  h2: boolean;
}
const targets: Target[] = [
  { name: 'perf-kv', args: ['serve', '--shards', '2'], h2: true },
  {
    name: 'perf-kv/leveldb',
    args: ['serve', '--shards', '2', '--engine', 'classic-level'],
    h2: true,
  },
  { name: 'map+node:http', args: ['baseline-map'], h2: false },
  { name: 'node:http2 constant (ceiling)', args: ['baseline-h2'], h2: true },
];

/** perf-kv's write token for the run (the baselines ignore it). */
const TOKEN = randomBytes(24).toString('hex');
const AUTH = ['-H', `authorization: Bearer ${TOKEN}`];
const JSON_BODY = ['-H', 'content-type: application/json'];

function start(t: Target, i: number): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    [CLI, ...t.args, '--port', '0', '--data-dir', join(tmp, String(i))],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, PERF_KV_TOKEN: TOKEN } },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (m) {
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        resolve({
          url: m[1]!,
          stop: () =>
            new Promise((r) => {
              child.once('exit', () => r());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (c) => reject(new Error(`${t.name} exited ${c}`)));
  });
}

async function preload(url: string): Promise<void> {
  for (let i = 0; i < KEYS; i += 500) {
    const put: Record<string, string> = {};
    for (let k = i; k < Math.min(KEYS, i + 500); k++) put[keyName(k)] = valueFor(k, 256);
    const res = await fetch(`${url}/kv:batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ put }),
    });
    if (!res.ok) throw new Error(`preload: ${res.status}`);
  }
}

const zipf = new Zipf(KEYS, 0.99, new Rng(7));
const hotPaths = Array.from({ length: 2000 }, () => `/kv/${keyName(zipf.next())}`);
const uriFile = (url: string) => {
  const f = join(tmp, `uris-${new URL(url).port}.txt`);
  writeFileSync(f, hotPaths.map((p) => `${url}${p}`).join('\n'));
  return f;
};
const batchBody = join(tmp, 'batch.json');
writeFileSync(
  batchBody,
  JSON.stringify({ get: Array.from({ length: 100 }, () => keyName(zipf.next())) }),
);

interface Row {
  target: string;
  workload: string;
  tool: string;
  rps: number;
  p50: number;
  p99: number;
  keysPerSec?: number;
}

/** h2load: -c clients, -m streams per client (HTTP/2) or pipelining off (--h1). */
function h2load(args: string[]): { rps: number; p50: number; p99: number } {
  const out = execFileSync('h2load', ['-D', String(SECONDS), '--warm-up-time=1', ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const rps = Number(/finished in [\d.]+s, ([\d.]+) req\/s/.exec(out)?.[1] ?? 0);
  const failed = Number(/(\d+) failed/.exec(out)?.[1] ?? 0);
  if (failed > 0) console.error(`h2load: ${failed} failed`);
  // "time for request:  min max mean sd +/-sd" — h2load has no percentiles; report mean and max.
  const m = /time for request:\s+(\S+)\s+(\S+)\s+(\S+)/.exec(out);
  return { rps, p50: ms(m?.[3]), p99: ms(m?.[2]) };
}
const ms = (s: string | undefined) =>
  s === undefined
    ? Number.NaN
    : s.endsWith('us')
      ? Number.parseFloat(s) / 1000
      : s.endsWith('ms')
        ? Number.parseFloat(s)
        : Number.parseFloat(s) * 1000;

const rows: Row[] = [];
try {
  execFileSync('h2load', ['--version']);
} catch {
  console.error('bench needs h2load: apt-get install nghttp2-client');
  process.exit(1);
}
const valueFile = join(tmp, 'value.txt');
writeFileSync(valueFile, valueFor(1, 256));

for (const [i, t] of targets.entries()) {
  const s = await start(t, i);
  try {
    const proto = t.h2 ? ['-c', '4', '-m', '32'] : ['--h1', '-c', '64'];
    const tool = t.h2 ? 'h2load h2' : 'h2load h1';
    if (t.args[0] !== 'baseline-h2') await preload(s.url);
    const get = h2load([...proto, '-i', uriFile(s.url)]);
    rows.push({ target: t.name, workload: 'GET /kv/:key (Zipf, cached)', tool, ...get });
    // The ceiling server has only the GET row: the cost of the HTTP/2 stack itself.
    if (t.args[0] === 'baseline-h2') continue;
    const batch = h2load([...proto, ...JSON_BODY, '-d', batchBody, `${s.url}/kv:batch`]);
    rows.push({
      target: t.name,
      workload: 'POST /kv:batch (100-key get)',
      tool,
      ...batch,
      keysPerSec: batch.rps * 100,
    });
    const putUris = join(tmp, `puts-${i}.txt`);
    writeFileSync(
      putUris,
      Array.from({ length: 2000 }, (_, k) => `${s.url}/kv/${keyName(k % KEYS)}`).join('\n'),
    );
    const put = h2load([...proto, ...AUTH, '-H', ':method: PUT', '-d', valueFile, '-i', putUris]);
    rows.push({ target: t.name, workload: 'PUT /kv/:key (durable)', tool, ...put });
  } finally {
    await s.stop();
  }
}
rmSync(tmp, { recursive: true, force: true });

const base = (w: string) =>
  rows.find((r) => r.target === 'map+node:http' && r.workload === w)?.rps ?? Number.NaN;
console.log(
  `\nperf-kv vs baselines — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model}, ${SECONDS} s per run, load generator on the same machine\n`,
);
console.log('| target | workload | tool | req/s | keys/s | mean ms | max ms | vs map+node:http |');
console.log('|---|---|---|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.target} | ${r.workload} | ${r.tool} | ${Math.round(r.rps).toLocaleString('en')} | ${r.keysPerSec ? Math.round(r.keysPerSec).toLocaleString('en') : ''} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${(r.rps / base(r.workload)).toFixed(2)}× |`,
  );
}
