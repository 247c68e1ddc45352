/**
 * The figures of the README's "Limits and security" section, measured against a real server:
 *
 * 1. slow readers — 3 HTTP/2 connections that never open their receive window, each asking for
 *    streams of `/kv` scans over 64 values of 1 MiB: the server's peak RSS;
 * 2. overload — h2load against cached GETs at the concurrency where throughput peaks (4 × 32
 *    streams), at 10× that (40 × 32), and at 1,000 clients × 10 streams: served req/s, the
 *    share shed (503 + Retry-After), and P50/P99 of the served requests from h2load's
 *    per-request log.
 *
 * `pnpm --filter @perf/demo exec tsx bench/attack.ts` (needs h2load from nghttp2-client).
 * `PERF_KV_BASELINE_CLI=<an older build's dist/cli.js>` runs the same attacks against it in the
 * same run, for comparison (its slow-reader run is stopped once its RSS passes 2.5 GB).
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keyName, valueFor } from '../src/load/generator.js';
import { Rng, Zipf } from '../src/load/zipf.js';

const CLI = process.env.PERF_KV_CLI ?? fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const TOKEN = randomBytes(24).toString('hex');
const tmp = mkdtempSync(join(os.tmpdir(), 'perf-kv-attack-'));
const KILL_RSS = 2.5 * 2 ** 30;

interface Srv {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

function start(cli: string, dir: string, args: string[] = []): Promise<Srv> {
  const child = spawn(
    process.execPath,
    [cli, 'serve', '--port', '0', '--data-dir', dir, '--shards', '2', ...args],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, PERF_KV_TOKEN: TOKEN } },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (!m) return;
      child.stdout!.removeAllListeners('data');
      child.stdout!.resume();
      resolve({
        url: m[1]!,
        pid: child.pid!,
        stop: () =>
          new Promise((r) => {
            if (child.exitCode !== null || child.signalCode !== null) return r();
            child.once('exit', () => r());
            child.kill('SIGKILL');
          }),
      });
    });
    child.once('exit', (c) => reject(new Error(`server exited ${c}:\n${out}`)));
  });
}

/** The server's RSS from /proc (works whatever the server answers). */
function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

async function post(url: string, path: string, body: string): Promise<void> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body,
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
}

async function slowReaders(
  cli: string,
  streams: number,
): Promise<{ before: number; peak: number; killed: boolean }> {
  const s = await start(cli, mkdtempSync(join(tmp, 'slow-')));
  try {
    const mib = 'z'.repeat(1 << 20);
    for (let i = 0; i < 64; i += 4) {
      const put = Object.fromEntries(
        Array.from({ length: 4 }, (_, j) => [`big:${String(i + j).padStart(2, '0')}`, mib]),
      );
      await post(s.url, '/kv:batch', JSON.stringify({ put }));
    }
    await new Promise((r) => setTimeout(r, 1000));
    const before = rssOf(s.pid);
    let peak = before;
    let killed = false;
    const sessions = Array.from({ length: 3 }, () => {
      const x = http2.connect(s.url, { settings: { initialWindowSize: 0 } });
      x.on('error', () => {});
      return x;
    });
    for (const x of sessions) {
      for (let i = 0; i < streams; i++) {
        const st = x.request({ ':path': '/kv?gte=big:&limit=10000' });
        st.on('error', () => {});
      }
    }
    const until = Date.now() + 15_000;
    while (Date.now() < until) {
      await new Promise((r) => setTimeout(r, 200));
      const rss = rssOf(s.pid);
      peak = Math.max(peak, rss);
      if (rss > KILL_RSS) {
        killed = true;
        break;
      }
    }
    for (const x of sessions) x.destroy();
    return { before, peak, killed };
  } finally {
    await s.stop();
  }
}

interface LoadRow {
  label: string;
  served: number;
  shed: number;
  failed: number;
  rps: number;
  p50: number;
  p99: number;
  peakRss: number;
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function overload(cli: string): Promise<LoadRow[]> {
  const s = await start(cli, mkdtempSync(join(tmp, 'load-')));
  const rows: LoadRow[] = [];
  try {
    for (let i = 0; i < 10_000; i += 500) {
      const put: Record<string, string> = {};
      for (let k = i; k < i + 500; k++) put[keyName(k)] = valueFor(k, 256);
      await post(s.url, '/kv:batch', JSON.stringify({ put }));
    }
    const zipf = new Zipf(10_000, 0.99, new Rng(7));
    const uris = join(tmp, 'uris.txt');
    writeFileSync(
      uris,
      Array.from({ length: 2000 }, () => `${s.url}/kv/${keyName(zipf.next())}`).join('\n'),
    );
    for (const [label, c, m] of [
      ['peak (4 × 32 streams)', 4, 32],
      ['10× (40 × 32 streams)', 40, 32],
      ['1,000 clients × 10 streams', 1000, 10],
    ] as const) {
      const log = join(tmp, `h2load-${c}.log`);
      let peakRss = 0;
      const sampler = setInterval(() => {
        peakRss = Math.max(peakRss, rssOf(s.pid));
      }, 250);
      const seconds = 10;
      // Run h2load as a child without blocking this loop: the RSS sampler keeps running.
      await new Promise<void>((resolve) => {
        const h = spawn(
          'h2load',
          [
            '-D',
            String(seconds),
            '-c',
            String(c),
            '-m',
            String(m),
            '-t',
            '1',
            `--log-file=${log}`,
            '-i',
            uris,
          ],
          { stdio: 'ignore' },
        );
        h.once('exit', () => resolve());
        h.once('error', (err) => {
          console.error(`h2load ${label}:`, err.message);
          resolve();
        });
      });
      clearInterval(sampler);
      const served: number[] = [];
      let shed = 0;
      let failed = 0;
      for (const line of readFileSync(log, 'utf8').split('\n')) {
        if (!line) continue;
        const [, status, us] = line.split('\t');
        if (status === '200') served.push(Number(us) / 1000);
        else if (status === '503') shed++;
        else failed++;
      }
      served.sort((a, b) => a - b);
      rows.push({
        label,
        served: served.length,
        shed,
        failed,
        rps: served.length / seconds,
        p50: pct(served, 50),
        p99: pct(served, 99),
        peakRss,
      });
      await new Promise((r) => setTimeout(r, 2000));
    }
  } finally {
    await s.stop();
  }
  return rows;
}

const mib = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
const builds: [string, string][] = [['perf-kv', CLI]];
if (process.env.PERF_KV_BASELINE_CLI)
  builds.push(['before the hardening', process.env.PERF_KV_BASELINE_CLI]);

console.log(
  `# ${new Date().toISOString()} · Node ${process.version} · ${os.cpus()[0]?.model} × ${os.cpus().length} · load average ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
try {
  execFileSync('h2load', ['--version']);
} catch {
  console.error('needs h2load: apt-get install nghttp2-client');
  process.exit(1);
}
console.log('\n| build | slow readers | RSS before | peak RSS |\n|---|---|---:|---:|');
for (const [name, cli] of builds) {
  for (const streams of name === 'perf-kv' ? [10, 100] : [10]) {
    const r = await slowReaders(cli, streams);
    console.log(
      `| ${name} | 3 × ${streams} streams | ${mib(r.before)} | ${r.killed ? `> ${mib(KILL_RSS)} (stopped)` : mib(r.peak)} |`,
    );
  }
}
console.log(
  `\nload average now ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
console.log(
  '\n| build | offered | served req/s | shed (503) | failed | P50 ms | P99 ms (served) | peak RSS |\n|---|---|---:|---:|---:|---:|---:|---:|',
);
for (const [name, cli] of builds) {
  for (const r of await overload(cli)) {
    const total = r.served + r.shed + r.failed;
    console.log(
      `| ${name} | ${r.label} | ${Math.round(r.rps).toLocaleString('en')} | ${((100 * r.shed) / Math.max(1, total)).toFixed(1)} % | ${r.failed} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${mib(r.peakRss)} |`,
    );
  }
}
console.log(
  `\nload average at the end ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
rmSync(tmp, { recursive: true, force: true });
