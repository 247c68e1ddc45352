/**
 * A request and a response as the routes see them, whichever protocol carried them.
 */

export interface Req {
  method: string;
  path: string;
  /** Parsed on first use: most requests have no query string. */
  readonly query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  protocol: 'h2' | 'http/1.1';
  /** The client's address (loopback checks). */
  remoteAddress?: string | undefined;
}

export interface Res {
  status: number;
  headers?: Record<string, string | number>;
  body?: Buffer | string;
  /**
   * A streaming response (server-sent events); `body` is ignored when set. `signal` aborts when
   * the client goes away or the server shuts down.
   */
  stream?: (write: (chunk: string) => boolean, signal: AbortSignal) => void;
  /**
   * A body produced chunk by chunk (large scans): the front asks for the next chunk only when
   * the client's socket or stream has taken the last one.
   */
  chunks?: () => AsyncIterable<Buffer | string>;
}

export type Handler = (req: Req) => Promise<Res> | Res;

export function jsonError(status: number, code: string, message: string): Res {
  return json(status, { error: code, message });
}

export function json(status: number, value: unknown): Res {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(value),
  };
}
