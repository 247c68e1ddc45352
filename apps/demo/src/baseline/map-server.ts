/**
 * The naive baseline the README compares perf-kv with: a `Map` behind `node:http`, no
 * durability, no cache, no compression — what a quick key-value service looks like without
 * @perf. Same routes for GET/PUT/DELETE /kv/:key and POST /kv:batch.
 */
import http from 'node:http';
import http2 from 'node:http2';

export function startMapServer(
  port = 0,
  host = '127.0.0.1',
): Promise<{ url: string; close: () => Promise<void> }> {
  const map = new Map<string, Buffer>();
  const server = http.createServer({ keepAlive: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '/';
      const body = Buffer.concat(chunks);
      if (url.startsWith('/kv/')) {
        const key = decodeURIComponent(url.slice(4));
        if (req.method === 'GET') {
          const v = map.get(key);
          if (v === undefined) {
            res.writeHead(404).end();
          } else {
            res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(v);
          }
        } else if (req.method === 'PUT') {
          map.set(key, body);
          res.writeHead(204).end();
        } else if (req.method === 'DELETE') {
          map.delete(key);
          res.writeHead(204).end();
        } else res.writeHead(405).end();
        return;
      }
      if (url === '/kv:batch' && req.method === 'POST') {
        const b = JSON.parse(body.toString()) as { get?: string[]; put?: Record<string, string> };
        for (const [k, v] of Object.entries(b.put ?? {})) map.set(k, Buffer.from(v));
        const values: Record<string, string | null> = {};
        for (const k of b.get ?? []) values[k] = map.get(k)?.toString() ?? null;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ values }));
        return;
      }
      res.writeHead(404).end();
    });
  });
  return listen(server, port, host);
}

/**
 * The ceiling, not a competitor: node:http2 answering every request with the same 256 bytes,
 * no routing, no storage. What the runtime's HTTP/2 stack costs on its own, on this machine.
 */
export function startRawH2Server(
  port = 0,
  host = '127.0.0.1',
): Promise<{ url: string; close: () => Promise<void> }> {
  const body = Buffer.alloc(256, 'x');
  const server = http2.createServer();
  server.on('stream', (stream) => {
    stream.on('error', () => {});
    stream.respond({ ':status': 200, 'content-type': 'application/octet-stream' });
    stream.end(body);
  });
  return listen(server, port, host);
}

/** Listens on host:port and resolves with the URL and a close function. */
function listen(
  server: http.Server | http2.Http2Server,
  port: number,
  host: string,
): Promise<{ url: string; close: () => Promise<void> }> {
  return new Promise((resolve) => {
    server.listen(port, host, () => {
      const addr = server.address() as import('node:net').AddressInfo;
      resolve({
        url: `http://${host}:${addr.port}`,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}
