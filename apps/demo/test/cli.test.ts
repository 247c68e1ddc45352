import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('the demo CLI runs and links every package', () => {
  const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  const r = spawnSync(process.execPath, [cli, 'demo'], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(r.stdout.match(/@perf\/\w+: \d+ exports/g)).toHaveLength(8);
});
