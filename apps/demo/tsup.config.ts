import { defineConfig } from 'tsup';

// The CLI and the shard worker are separate entries: a worker thread loads its own file.
export default defineConfig({
  entry: { cli: 'src/cli.ts', 'shard-worker': 'src/server/shard-worker.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  clean: true,
  splitting: false,
});
