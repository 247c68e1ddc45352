// Small helpers shared by the repo scripts.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Path of a tool installed in the root node_modules/.bin. */
export const bin = (name) => join(root, 'node_modules', '.bin', name);

/** Every publishable package: `{ name, dir, json }`, sorted by folder. */
export function packages() {
  const base = join(root, 'packages');
  return readdirSync(base, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => {
      const dir = join(base, d.name);
      const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      return { name: json.name, folder: d.name, dir, json };
    })
    .filter((p) => !p.json.private)
    .sort((a, b) => a.folder.localeCompare(b.folder));
}

/** The README sections every package has, in this order (STYLE.md). */
export const README_SECTIONS = [
  'Install',
  'Usage',
  'API',
  'Errors',
  'Performance',
  'Design notes',
  'Related packages',
];

/** The fenced ts/js code blocks of a markdown section, as strings. */
export function codeBlocks(markdown, section) {
  const start = markdown.search(new RegExp(`^## ${section}\\s*$`, 'm'));
  if (start < 0) return [];
  const rest = markdown.slice(start + 3);
  const end = rest.search(/^## /m);
  const body = end < 0 ? rest : rest.slice(0, end);
  return [...body.matchAll(/^```(?:ts|typescript|js|mjs)\n([\s\S]*?)^```/gm)].map((m) => m[1]);
}
