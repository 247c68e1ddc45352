import { defineConfig } from 'tsup';

// The CLI, the shard worker and the search task are separate entries: a worker thread loads
// its own file.
export default defineConfig({
  entry: {
    cli: 'src/cli.ts',
    'shard-worker': 'src/server/storage/shard-worker.ts',
    'search-task': 'src/server/vectors/search-task.ts',
  },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  clean: true,
  splitting: false,
});
