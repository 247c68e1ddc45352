// Http2Pool against a hand-tuned raw node:http2 client with the same number of sessions and
// against undici's HTTP/2 client (H2CClient), N requests in flight per iteration; plus the
// HTTP/1.1 keep-alive clients people use (undici Pool, node:http Agent) for reference. Each
// table runs twice: wall-clock time per request (throughput), and this process's CPU time per
// request (the client's own cost; the server runs in a child process).
import { fork } from 'node:child_process';
import http from 'node:http';
import http2 from 'node:http2';
import { type Dispatcher, H2CClient, Pool } from 'undici';
import { Http2Pool } from '../src/index.js';
import { printBench } from '@perf/monitor/bench';

const SESSIONS = 4;

type Send = () => Promise<unknown>;
interface Client {
  name: string;
  make(inflight: number): Promise<{ send: Send; close: () => Promise<void> | void }>;
}

function undiciSend(dispatcher: Dispatcher): Send {
  return async () => {
    const res = await dispatcher.request({ path: '/', method: 'GET' });
    return Buffer.from(await res.body.arrayBuffer());
  };
}

/** `inflight` requests at once, all awaited: one iteration of a case. */
function burst(send: Send, inflight: number): () => Promise<unknown> {
  return () => {
    const all = new Array<Promise<unknown>>(inflight);
    for (let i = 0; i < inflight; i++) all[i] = send();
    return Promise.all(all);
  };
}

export async function run(): Promise<void> {
  const child = fork(new URL('./servers.mjs', import.meta.url), { stdio: 'inherit' });
  const ports = await new Promise<{ h2: number; h1: number }>((resolve) =>
    child.once('message', resolve as never),
  );
  const h2Origin = `http://127.0.0.1:${ports.h2}`;
  const h1Origin = `http://127.0.0.1:${ports.h1}`;

  const clients: Client[] = [
    {
      name: `raw node:http2 (${SESSIONS} sessions, hand-tuned)`,
      async make() {
        const sessions = Array.from({ length: SESSIONS }, () => http2.connect(h2Origin));
        await Promise.all(sessions.map((s) => new Promise((r) => s.once('remoteSettings', r))));
        let rr = 0;
        const send: Send = () =>
          new Promise((resolve, reject) => {
            const stream = sessions[rr++ % SESSIONS]!.request(
              { ':path': '/' },
              { endStream: true },
            );
            const chunks: Buffer[] = [];
            stream.on('data', (c: Buffer) => chunks.push(c));
            stream.on('end', () =>
              resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)),
            );
            stream.on('error', reject);
          });
        return {
          send,
          close: () => {
            for (const s of sessions) s.close();
          },
        };
      },
    },
    {
      name: `@perf/net Http2Pool (${SESSIONS} sessions)`,
      async make(inflight) {
        const pool = new Http2Pool(h2Origin, {
          maxSessions: SESSIONS,
          maxStreamsPerSession: Math.ceil(inflight / SESSIONS),
        });
        const options = { path: '/' };
        return { send: () => pool.request(options).then((r) => r.body), close: () => pool.close() };
      },
    },
    {
      name: 'undici H2CClient (HTTP/2)',
      async make() {
        const client = new H2CClient(h2Origin, { maxConcurrentStreams: 1000, pipelining: 1000 });
        return { send: undiciSend(client), close: () => client.close() };
      },
    },
    {
      name: 'undici Pool (HTTP/1.1 keep-alive)',
      async make(inflight) {
        const pool = new Pool(h1Origin, { connections: inflight });
        return { send: undiciSend(pool), close: () => pool.close() };
      },
    },
    {
      name: 'node:http Agent (HTTP/1.1 keep-alive)',
      async make(inflight) {
        const agent = new http.Agent({ keepAlive: true, maxSockets: inflight });
        const send: Send = () =>
          new Promise((resolve, reject) => {
            const req = http.get(`${h1Origin}/`, { agent }, (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () => resolve(Buffer.concat(chunks)));
            });
            req.on('error', reject);
          });
        return { send, close: () => agent.destroy() };
      },
    },
  ];

  // BENCH_CLIENTS=2 runs only the first two rows (raw vs pool) for quick A/B checks.
  const picked = clients.slice(0, Number(process.env.BENCH_CLIENTS ?? clients.length));
  for (const inflight of [50, 200]) {
    const made = await Promise.all(picked.map(async (c) => ({ c, h: await c.make(inflight) })));
    for (const { h } of made) await burst(h.send, inflight)(); // sessions and sockets exist
    const cases = made.map(({ c, h }) => ({
      name: c.name,
      fn: burst(h.send, inflight),
      ops: inflight,
    }));
    const title = `${inflight} in flight (server in a child process)`;
    await printBench(`HTTP on loopback, wall time per request, ${title}`, cases, { clock: 'wall' });
    // Wall-clock time on a shared 2-core machine mostly measures who got scheduled; the
    // client's own CPU per request is what the library controls.
    await printBench(`HTTP on loopback, client CPU per request, ${title}`, cases, { clock: 'cpu' });
    for (const { h } of made) await h.close();
  }
  child.disconnect();
}
