// Benchmark servers in their own process (the client under test gets its own core):
// an h2c server for the HTTP/2 clients and an HTTP/1.1 keep-alive server for undici Pool
// and node:http. Both answer every request with the same 2-byte body. Ports go to the
// parent over IPC.
import http from 'node:http';
import http2 from 'node:http2';

const body = Buffer.from('ok');
const h2 = http2.createServer({ settings: { maxConcurrentStreams: 1000 } });
h2.on('stream', (stream) => {
  stream.on('error', () => {});
  stream.respond({ ':status': 200, 'content-length': 2 });
  stream.end(body);
});
h2.on('session', (s) => s.on('error', () => {}));
const h1 = http.createServer({ keepAliveTimeout: 60_000 }, (_req, res) => {
  res.writeHead(200, { 'content-length': 2 });
  res.end(body);
});
h1.maxRequestsPerSocket = 0;
h2.listen(0, '127.0.0.1', () => {
  h1.listen(0, '127.0.0.1', () => {
    process.send({ h2: h2.address().port, h1: h1.address().port });
  });
});
process.on('disconnect', () => process.exit(0));
