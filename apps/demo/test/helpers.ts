// Test helpers: run the built perf-kv CLI as a real child process and talk to it over real
// sockets, HTTP/2 (prior knowledge) and HTTP/1.1.
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import http2 from 'node:http2';
import { fileURLToPath } from 'node:url';

/** The built CLI under test; `PERF_KV_CLI` points the suite at another build (e.g. an older one). */
export const CLI =
  process.env.PERF_KV_CLI ?? fileURLToPath(new URL('../dist/cli.js', import.meta.url));

export interface Server {
  url: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: no shutdown, no flush. */
  kill(): Promise<void>;
}

/** The write token every test server is started with (`--token`); `h2`/`h1` send it. */
export const TOKEN = 'test-token-0123456789abcdef';

export function startServer(args: string[], opts: { token?: boolean } = {}): Promise<Server> {
  const auth = opts.token === false ? [] : ['--token', TOKEN];
  // These machines are shared and loaded: a functional test must not see load shedding,
  // so its bound is far away unless a test sets it (the overload test does).
  const shed = args.includes('--shed-target-ms') ? [] : ['--shed-target-ms', '10000'];
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...auth, ...shed, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000);
    const check = () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', check);
      resolve({
        url: m[1]!,
        port: Number(m[2]),
        child,
        output: () => out,
        stop: () =>
          new Promise((r) => {
            if (child.exitCode !== null) return r(child.exitCode);
            child.once('exit', (code) => r(code));
            child.kill('SIGTERM');
          }),
        kill: () =>
          new Promise((r) => {
            if (child.exitCode !== null || child.signalCode !== null) return r();
            child.once('exit', () => r());
            child.kill('SIGKILL');
          }),
      });
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`server exited ${code}:\n${out}`)));
  });
}

export interface Reply {
  status: number;
  headers: Record<string, unknown>;
  body: Buffer;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read fields of arbitrary JSON replies
  json: () => any;
}

/**
 * Headers a well-behaved client sends: the write token, and `application/json` on POST bodies
 * (the JSON routes refuse anything else). A test overrides them by passing its own.
 */
function defaults(method: string, headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { authorization: `Bearer ${TOKEN}` };
  if (method === 'POST') out['content-type'] = 'application/json';
  for (const [k, v] of Object.entries(headers)) {
    if (v === '') delete out[k];
    else out[k] = v;
  }
  return out;
}

/** One HTTP/2 session per test file; `h2(url)` returns a request function. */
export function h2(url: string, options: http2.SecureClientSessionOptions = {}) {
  const session = http2.connect(url, options);
  session.on('error', () => {});
  const request = (
    method: string,
    path: string,
    body?: string | Buffer,
    headers: Record<string, string> = {},
  ): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const req = session.request({
        ':method': method,
        ':path': path,
        ...defaults(method, headers),
      });
      const chunks: Buffer[] = [];
      let status = 0;
      let h: Record<string, unknown> = {};
      req.on('response', (r) => {
        status = Number(r[':status']);
        h = r;
      });
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const b = Buffer.concat(chunks);
        resolve({
          status,
          headers: h,
          body: b,
          text: b.toString('utf8'),
          json: () => JSON.parse(b.toString('utf8')),
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  return Object.assign(request, { close: () => session.close(), session });
}

/** A plain HTTP/1.1 request, as a browser or curl would send. */
export function h1(
  url: string,
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const options = { method, agent: false, headers: defaults(method, headers) };
    const req = http.request(new URL(path, url), options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const b = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: b,
          text: b.toString(),
          json: () => JSON.parse(b.toString()),
        });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
