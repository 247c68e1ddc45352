// The server of the undici bench, in its own process: HTTP/2 over TLS (undici's Agent speaks
// HTTP/2 only after ALPN), a throwaway self-signed certificate made with openssl, a 2-byte body
// per request, SETTINGS_MAX_CONCURRENT_STREAMS from argv[2]. It reports its port and the
// certificate over IPC, and answers { sessions } (TLS sessions accepted so far) when asked.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http2 from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'perf-net-bench-tls-'));
execFileSync(
  'openssl',
  [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    join(dir, 'key.pem'),
    '-out',
    join(dir, 'cert.pem'),
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  ],
  { stdio: 'ignore' },
);
const key = readFileSync(join(dir, 'key.pem'));
const cert = readFileSync(join(dir, 'cert.pem'));
rmSync(dir, { recursive: true, force: true });

const body = Buffer.from('ok');
let sessions = 0;
const server = http2.createSecureServer({
  key,
  cert,
  settings: { maxConcurrentStreams: Number(process.argv[2] ?? 100) },
});
server.on('session', (s) => {
  sessions++;
  s.on('error', () => {});
});
server.on('stream', (stream) => {
  stream.on('error', () => {});
  stream.respond({ ':status': 200, 'content-length': 2 });
  stream.end(body);
});
server.listen(0, '127.0.0.1', () => {
  process.send({ port: server.address().port, cert: cert.toString() });
});
process.on('message', () => process.send({ sessions }));
process.on('disconnect', () => process.exit(0));
