/**
 * The load generator's client: @perf/net's Http2Pool, which multiplexes every in-flight
 * request over as few HTTP/2 sessions as the server's stream limit allows.
 */
import { Http2Pool } from '@perf/net';
import type { Client } from './generator.js';

export interface ClosableClient extends Client {
  close(): Promise<void>;
}

/**
 * `token` is sent on every request (writes need it); POST bodies and JSON vectors are sent as
 * `application/json`, which the server requires of its JSON routes.
 */
export function makeClient(url: string, sessions = 1, token = ''): ClosableClient {
  const pool = new Http2Pool(url, { maxSessions: sessions, timeoutMs: 30_000 });
  const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const jsonAuth: Record<string, string> = { ...auth, 'content-type': 'application/json' };
  return {
    async request(method, path, body, headers) {
      const base = method === 'POST' || path.startsWith('/vectors/') ? jsonAuth : auth;
      const res = await pool.request({
        method,
        path,
        ...(body !== undefined ? { body } : {}),
        headers: headers ? { ...base, ...headers } : base,
      });
      return { status: res.status, body: res.body, headers: res.headers };
    },
    close: () => pool.close(),
  };
}
