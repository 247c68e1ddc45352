#!/usr/bin/env node
/**
 * perf-kv's command line.
 *
 *   perf-kv demo   [flags]   start a server on a temp data dir, load it, print the SLA report
 *   perf-kv serve  [flags]   run the service (and the live dashboard at /) until SIGINT/SIGTERM
 *   perf-kv load   --url U   run the load generator against a running server (--token T)
 *   perf-kv reshard --data-dir D --shards N   move every key to N shards (server stopped)
 *   perf-kv cluster          etcd + redis + 3 nodes on loopback: load, a join, a leave, read-back
 *   perf-kv baseline-map     a Map behind node:http, the naive baseline of the comparison
 *
 * Flags: --port --host --data-dir --shards --peers --write-back --cache-bytes --vector-dim
 *        --duration (s) --concurrency --keys --mix get,put,batch --report-dir
 */
import { parseFlags } from './config.js';

const { positional, flags } = parseFlags(process.argv.slice(2));
const command = positional[0] ?? 'demo';

async function main(): Promise<number> {
  switch (command) {
    case 'serve': {
      const { serve } = await import('./commands/serve.js');
      return serve(flags);
    }
    case 'demo': {
      const { demo } = await import('./commands/demo.js');
      return demo(flags);
    }
    case 'baseline-map': // the naive baseline of the README's comparison: a Map behind node:http
    case 'baseline-h2': {
      // the ceiling: node:http2 answering a constant
      const { startMapServer, startRawH2Server } = await import('./baseline/map-server.js');
      const { int } = await import('./config.js');
      const start = command === 'baseline-map' ? startMapServer : startRawH2Server;
      const s = await start(int(flags, 'port', 0, 0, 65535));
      console.log(`${command} listening on ${s.url}`);
      return new Promise((resolve) =>
        process.once('SIGTERM', () => s.close().then(() => resolve(0))),
      );
    }
    case 'reshard': {
      // perf-kv reshard --data-dir D --shards N: offline, with the server stopped.
      const { reshard } = await import('./server/storage/reshard.js');
      const { str, int } = await import('./config.js');
      const dir = str(flags, 'data-dir', '');
      if (dir === '') throw new TypeError('Expected `--data-dir` for reshard');
      const shards = int(flags, 'shards', 0, 1, 64);
      if (shards === 0) throw new TypeError('Expected `--shards N` for reshard');
      const r = await reshard(dir, shards);
      console.log(
        `perf-kv: resharded ${dir} from ${r.from} to ${shards} shard(s), ${r.keys} keys moved`,
      );
      return 0;
    }
    case 'cluster': {
      // perf-kv cluster: etcd, redis and perf-kv nodes on loopback, a load with a join and a
      // leave, and a read-back of every acknowledged write.
      const { cluster } = await import('./commands/cluster.js');
      return cluster(flags);
    }
    case 'load': {
      const { loadCommand } = await import('./commands/demo.js');
      return loadCommand(flags);
    }
    default:
      console.error(
        `perf-kv: unknown command \`${command}\` (expected demo, serve, load or reshard)`,
      );
      return 2;
  }
}

main().then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`perf-kv: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
