/**
 * The load generator's client: @perf/net's Http2Pool, which multiplexes every in-flight
 * request over as few HTTP/2 sessions as the server's stream limit allows.
 */
import { Http2Pool } from '@perf/net';
import type { Client } from './generator.js';

export interface ClosableClient extends Client {
  close(): Promise<void>;
}

export function makeClient(url: string, sessions = 1): ClosableClient {
  const pool = new Http2Pool(url, { maxSessions: sessions, timeoutMs: 30_000 });
  return {
    async request(method, path, body, headers) {
      const res = await pool.request({
        method,
        path,
        ...(body !== undefined ? { body } : {}),
        ...(headers ? { headers } : {}),
      });
      return { status: res.status, body: res.body, headers: res.headers };
    },
    close: () => pool.close(),
  };
}
