// Compressor against always-compress (the source design: gzip everything above the threshold,
// then throw it away when the ratio is poor) on incompressible and compressible 1 MiB bodies,
// and brotli quality 4 (our default) against Node's default 11.
import { randomBytes } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { Compressor } from '../src/index.js';
import { consume, fmt, median, table } from './harness.js';

const SAMPLES = Number(process.env.BENCH_ROUNDS ?? 5) * 3;

function timeMs(fn: () => Buffer): { ms: number; size: number } {
  const times: number[] = [];
  let size = 0;
  fn();
  for (let i = 0; i < SAMPLES; i++) {
    const t0 = performance.now();
    const out = fn();
    times.push(performance.now() - t0);
    size = out.length;
    consume(out);
  }
  return { ms: median(times), size };
}

function jsonBody(bytes: number): Buffer {
  const rows: string[] = [];
  let n = 0;
  for (let i = 0; n < bytes; i++) {
    const row = JSON.stringify({
      id: i,
      user: `user-${i % 997}`,
      active: i % 3 === 0,
      score: (i * 7919) % 1000,
    });
    rows.push(row);
    n += row.length + 1;
  }
  return Buffer.from(`[${rows.join(',')}]`).subarray(0, bytes);
}

export async function compressBench(): Promise<void> {
  const random = randomBytes(1 << 20);
  const json = jsonBody(1 << 20);
  const adaptive = new Compressor({ encoding: 'gzip' });
  const always = new Compressor({ encoding: 'gzip', adaptive: false });
  for (const [label, input] of [
    ['1 MiB of random bytes', random],
    ['1 MiB of JSON', json],
  ] as const) {
    const rows = [
      { name: 'always gzip-6 (zlib.gzipSync)', fn: () => gzipSync(input) },
      { name: '@perf/net Compressor, adaptive: false', fn: () => always.compress(input) },
      { name: '@perf/net Compressor (adaptive)', fn: () => adaptive.compress(input) },
    ].map(({ name, fn }) => {
      const r = timeMs(fn);
      return { name, value: r.ms, unit: 'ms', extra: (r.size / input.length).toFixed(4) };
    });
    table(`Compressing ${label} (median of ${SAMPLES})`, rows, 'always gzip-6 (zlib.gzipSync)', {
      lowerIsBetter: true,
      digits: 3,
      extraHeader: 'output / input',
    });
  }
  const body = json.subarray(0, 256 * 1024);
  const rows = [11, 4].map((q) => {
    const r = timeMs(() =>
      brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: q } }),
    );
    return {
      name: q === 11 ? 'brotli quality 11 (Node default)' : 'brotli quality 4 (@perf/net default)',
      value: body.length / 1e6 / (r.ms / 1000),
      unit: 'MB/s',
      extra: (r.size / body.length).toFixed(4),
    };
  });
  table(`Brotli on 256 KiB of JSON`, rows, 'brotli quality 11 (Node default)', {
    digits: 1,
    extraHeader: 'output / input',
  });
  consume(fmt(0));
}
