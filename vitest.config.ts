import { defineConfig } from 'vitest/config';

// One `vitest run` covers every package, the demo and the repo-level checks.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'tests/repo'],
  },
});
