// Compressor against always-compress (gzip everything above the threshold, then throw the
// result away when the ratio is poor) on incompressible and compressible 1 MiB bodies, and
// brotli quality 4 (our default) against Node's default 11.
import { randomBytes } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { Compressor } from '../src/index.js';
import { printBench } from '@perf/monitor/bench';

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

const ratio = (out: Buffer, input: Buffer) => (out.length / input.length).toFixed(4);

export async function run(): Promise<void> {
  const random = randomBytes(1 << 20);
  const json = jsonBody(1 << 20);
  const adaptive = new Compressor({ encoding: 'gzip' });
  const always = new Compressor({ encoding: 'gzip', adaptive: false });
  for (const [label, input] of [
    ['1 MiB of random bytes', random],
    ['1 MiB of JSON', json],
  ] as const) {
    await printBench(`Compressing ${label}`, [
      { name: 'always gzip-6 (zlib.gzipSync)', fn: () => gzipSync(input) },
      { name: '@perf/net Compressor, adaptive: false', fn: () => always.compress(input) },
      { name: '@perf/net Compressor (adaptive)', fn: () => adaptive.compress(input) },
    ]);
    console.log(
      `\noutput / input: gzip-6 ${ratio(gzipSync(input), input)}, Compressor ${ratio(adaptive.compress(input), input)}`,
    );
  }
  const body = json.subarray(0, 256 * 1024);
  const brotli = (q: number) => () =>
    brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: q } });
  await printBench('Brotli on 256 KiB of JSON', [
    { name: 'brotli quality 11 (Node default)', fn: brotli(11) },
    { name: 'brotli quality 4 (@perf/net default)', fn: brotli(4) },
  ]);
  console.log(
    `\noutput / input: quality 11 ${ratio(brotli(11)(), body)}, quality 4 ${ratio(brotli(4)(), body)}`,
  );
}
