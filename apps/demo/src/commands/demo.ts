/**
 * `pnpm demo`: start perf-kv in a child process on a temp data dir (so server and load
 * generator each get a core, and the server's GC figures are its own), run the standard load
 * phases against it with a progress bar, then print the SLA report and write it as JSON and
 * HTML (with SVG charts).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSla, SEED_SLA_TARGETS } from '@perf/monitor';
import { int, str } from '../config.js';
import { makeClient } from '../load/client.js';
import {
  type Client,
  DEFAULT_MIX,
  type MixOptions,
  type PhaseResult,
  progressBar,
  runPhase,
  standardPhases,
} from '../load/generator.js';
import {
  type LoadReport,
  QUANTILES,
  renderHtml,
  renderText,
  type RouteReport,
} from '../load/report.js';

type Flags = Record<string, string | boolean>;

export interface LoadRunOptions {
  durationMs: number;
  concurrency: number;
  mix: MixOptions;
}

export function loadOptions(flags: Flags): LoadRunOptions {
  const mixRaw = str(flags, 'mix', '90,5,5');
  const parts = mixRaw.split(',').map(Number);
  if (
    parts.length !== 3 ||
    parts.some((n) => !Number.isFinite(n) || n < 0) ||
    parts.reduce((a, b) => a + b, 0) <= 0
  ) {
    throw new RangeError(
      `Expected \`--mix\` to be three weights get,put,batch like 90,5,5, got \`${mixRaw}\``,
    );
  }
  const total = parts.reduce((a, b) => a + b, 0);
  return {
    durationMs: int(flags, 'duration', 45, 1, 3600) * 1000,
    concurrency: int(flags, 'concurrency', 32, 1, 4096),
    mix: {
      ...DEFAULT_MIX,
      keys: int(flags, 'keys', DEFAULT_MIX.keys, 1, 10_000_000),
      vectorDim: int(flags, 'vector-dim', DEFAULT_MIX.vectorDim, 1, 4096),
      mix: { get: parts[0]! / total, put: parts[1]! / total, batch: parts[2]! / total },
    },
  };
}

/** Runs the phases against `client`, drawing a progress bar on a TTY (a line per phase otherwise). */
export async function runLoad(
  client: Client,
  o: LoadRunOptions,
  quiet = false,
): Promise<PhaseResult[]> {
  const results: PhaseResult[] = [];
  const phases = standardPhases(o.mix, o.durationMs, o.concurrency);
  const tty = process.stdout.isTTY && !quiet;
  for (const [i, phase] of phases.entries()) {
    const label = `phase ${i + 1}/${phases.length}: ${phase.name}`;
    if (!quiet && !tty) console.log(`${label} …`);
    const r = await runPhase(client, phase, (f) => {
      if (tty) process.stdout.write(`\r${progressBar(f, label)}`);
    });
    if (tty) process.stdout.write(`\r${progressBar(1, label)}\n`);
    results.push(r);
  }
  return results;
}

export function buildReport(
  phases: PhaseResult[],
  stats: ServerStats,
  config: Record<string, unknown>,
  startedAt: Date,
): LoadReport {
  const routes: RouteReport[] = [];
  const timeline: LoadReport['timeline'] = [];
  let t = 0;
  for (const p of phases) {
    const secs = p.elapsedMs / 1000;
    for (const r of p.routes) {
      // The SLA verdict comes from @perf/monitor's checkSla over the route's histogram (µs).
      const check = checkSla(r.histogram, SEED_SLA_TARGETS, { unitsPerMs: 1000 });
      const at = (q: number) => check.results.find((x) => x.percentile === q)!;
      const key = { 50: 'p50', 95: 'p95', 99: 'p99', 99.9: 'p999' } as const;
      const latencyMs = {} as RouteReport['latencyMs'];
      const sla = {} as RouteReport['sla'];
      for (const [q, k] of Object.entries(key)) {
        latencyMs[k] = at(Number(q)).measuredMs;
        sla[k] = at(Number(q)).pass;
      }
      routes.push({
        route: r.route,
        bulk: r.bulk,
        phase: p.name,
        requests: r.requests,
        errors: r.errors,
        rps: r.requests / secs,
        ...(r.keys > r.requests ? { keysPerSec: r.keys / secs } : {}),
        latencyMs,
        sla,
      });
    }
    for (const s of p.seconds) timeline.push({ t: ++t, rps: s.requests, p99Ms: s.p99Us / 1000 });
  }
  const keys = stats.shards.map((s) => s.keys);
  const requests = stats.shards.map((s) => s.requests);
  const mean = requests.reduce((a, b) => a + b, 0) / Math.max(1, requests.length);
  return {
    startedAt: startedAt.toISOString(),
    durationSec: phases.reduce((a, p) => a + p.elapsedMs, 0) / 1000,
    node: process.version,
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()}`,
    config,
    routes,
    timeline,
    cache: stats.cache,
    compression: stats.compression,
    shards: { keys, requests, maxOverMean: mean ? Math.max(...requests) / mean : 1 },
    gc: stats.gc,
    slaPassed: routes.every((r) => r.bulk || QUANTILES.every((q) => r.sla[q])),
  };
}

/** What the load report reads from the server's `/stats`. */
export interface ServerStats {
  cache: LoadReport['cache'];
  compression: LoadReport['compression'];
  shards: { keys: number; requests: number }[];
  gc: LoadReport['gc'];
}

async function fetchStats(client: Client): Promise<ServerStats> {
  const res = await client.request('GET', '/stats');
  if (res.status !== 200) throw new Error(`/stats answered ${res.status}`);
  return JSON.parse(res.body.toString('utf8')) as ServerStats;
}

function writeReport(report: LoadReport, dir: string): { json: string; html: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'report.json');
  const html = join(dir, 'report.html');
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(html, renderHtml(report));
  return { json, html };
}

/** Starts `perf-kv serve` as a child process and resolves with its URL once it listens. */
export function startServer(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ url: string; stop: () => Promise<number | null> }> {
  const cli = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [cli, 'serve', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  return new Promise((resolveStart, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolveStart({
          url: m[1]!,
          stop: () =>
            new Promise((r) => {
              child.once('exit', (code) => r(code));
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`perf-kv exited with ${code} before listening:\n${out}`)),
    );
  });
}

export async function demo(flags: Flags): Promise<number> {
  const o = loadOptions(flags);
  const dataDir = mkdtempSync(join(os.tmpdir(), 'perf-kv-demo-'));
  const reportDir = resolve(str(flags, 'report-dir', 'reports'));
  const shards = int(flags, 'shards', 2, 1, 64);
  // A cache for a fifth of the key space: misses reach storage, and W-TinyLFU has to choose.
  // (An entry weighs its value, its key and the 160-byte overhead the backend counts.)
  const cacheBytes = Math.max(1 << 16, Math.floor(o.mix.keys / 5) * (o.mix.valueBytes + 200));
  // The child server's write token: generated here, handed over through the environment.
  const token = randomBytes(24).toString('hex');
  const serverArgs = [
    '--port',
    '0',
    '--data-dir',
    dataDir,
    '--shards',
    String(shards),
    '--cache-bytes',
    String(cacheBytes),
  ];
  if (flags['write-back']) serverArgs.push('--write-back');
  console.log(
    `perf-kv demo: ${shards} shard(s), ${o.mix.keys.toLocaleString('en')} keys, ${o.concurrency} in flight, ~${o.durationMs / 1000} s of load`,
  );
  const server = await startServer(serverArgs, { PERF_KV_TOKEN: token });
  console.log(`server: ${server.url} (data in ${dataDir})`);
  const startedAt = new Date();
  const client = makeClient(server.url, Math.max(1, Math.ceil(o.concurrency / 128)), token);
  let code = 0;
  try {
    const phases = await runLoad(client, o);
    const stats = await fetchStats(client);
    const report = buildReport(
      phases,
      stats,
      {
        shards,
        concurrency: o.concurrency,
        keys: o.mix.keys,
        mix: o.mix.mix,
        writeBack: Boolean(flags['write-back']),
      },
      startedAt,
    );
    console.log(`\n${renderText(report)}\n`);
    const files = writeReport(report, reportDir);
    console.log(`report: ${files.json}\n        ${files.html}`);
  } catch (err) {
    console.error('perf-kv demo failed:', err);
    code = 1;
  } finally {
    await client.close();
    const exit = await server.stop();
    if (exit !== 0) {
      console.error(`server exited with ${exit}`);
      code = 1;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
  return code;
}

export async function loadCommand(flags: Flags): Promise<number> {
  const url = str(flags, 'url', 'http://127.0.0.1:7070');
  const o = loadOptions(flags);
  const token = str(flags, 'token', '');
  const client = makeClient(url, Math.max(1, Math.ceil(o.concurrency / 128)), token);
  try {
    const phases = await runLoad(client, o);
    const report = buildReport(
      phases,
      await fetchStats(client),
      { url, concurrency: o.concurrency },
      new Date(),
    );
    console.log(`\n${renderText(report)}`);
    writeReport(report, resolve(str(flags, 'report-dir', 'reports')));
  } finally {
    await client.close();
  }
  return 0;
}
