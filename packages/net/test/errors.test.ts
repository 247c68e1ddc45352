import { describe, expect, it } from 'vitest';
import {
  AbortError,
  BatchError,
  ClosedError,
  ConnectionError,
  CorruptPayloadError,
  isPerfError,
  NetError,
  PayloadTooLargeError,
  QueueFullError,
  StreamResetError,
  TimeoutError,
  UnsupportedEncodingError,
} from '../src/index.js';

// The base (brand, name, cause) is tested once in @perf/internal; here only our codes and fields.
describe('@perf/net error codes', () => {
  const reason = new Error('user left');
  const cases: [Error, string, Record<string, unknown>][] = [
    [new TimeoutError(50, 'HTTP/2 request'), 'PERF_NET_TIMEOUT', { timeoutMs: 50 }],
    [new AbortError(reason), 'PERF_NET_ABORTED', { name: 'AbortError', cause: reason }],
    [new QueueFullError(8), 'PERF_NET_QUEUE_FULL', { capacity: 8 }],
    [new ClosedError('Http2Pool'), 'PERF_NET_CLOSED', { what: 'Http2Pool' }],
    [
      new ConnectionError('http://127.0.0.1:1', 'down'),
      'PERF_NET_CONNECTION',
      { origin: 'http://127.0.0.1:1' },
    ],
    [new StreamResetError(2), 'PERF_NET_STREAM_RESET', { rstCode: 2 }],
    [new BatchError(3, 'failed'), 'PERF_NET_BATCH_FAILED', { size: 3 }],
    [new CorruptPayloadError('br', 'bad'), 'PERF_NET_CORRUPT_PAYLOAD', { encoding: 'br' }],
    [new PayloadTooLargeError(10), 'PERF_NET_PAYLOAD_TOO_LARGE', { limit: 10 }],
    [new UnsupportedEncodingError('zstd'), 'PERF_NET_UNSUPPORTED_ENCODING', { encoding: 'zstd' }],
  ];
  for (const [err, code, fields] of cases) {
    it(`${err.constructor.name} carries ${code} and its fields`, () => {
      expect((err as { code?: string }).code).toBe(code);
      expect(err).toMatchObject(fields);
      expect(NetError.is(err)).toBe(true);
      expect(isPerfError(err, 'PERF_NET_*')).toBe(true);
      expect(isPerfError(err, code)).toBe(true);
    });
  }

  it('only errors of our own base are instanceof NetError; the shared shapes are recognised by NetError.is', () => {
    expect(new BatchError(1, 'x')).toBeInstanceOf(NetError);
    expect(new QueueFullError(1)).not.toBeInstanceOf(NetError);
    expect(NetError.is(new Error('x'))).toBe(false);
    expect(NetError.is(null)).toBe(false);
  });
});
