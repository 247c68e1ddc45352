// Turns a README Usage example (TypeScript, ESM, may use top-level await) into runnable
// JavaScript: ESM as written, and CJS with its imports rewritten to require() and the body
// wrapped in an async function, so the same example proves both entry points work.
import { transformSync } from 'esbuild';

export function toEsm(ts) {
  return transformSync(ts, { loader: 'ts', format: 'esm', target: 'node20' }).code;
}

const IMPORT = /^import\s+(.+?)\s+from\s+(['"][^'"]+['"]);?\s*$/;

export function toCjs(ts) {
  const js = toEsm(ts);
  const head = [];
  const body = [];
  for (const line of js.split('\n')) {
    const m = IMPORT.exec(line);
    if (!m) {
      body.push(line);
      continue;
    }
    const [, what, from] = m;
    const star = /^\*\s+as\s+(\w+)$/.exec(what);
    if (star) head.push(`const ${star[1]} = require(${from});`);
    else if (/^\w+$/.test(what)) head.push(`const ${what} = __default(require(${from}));`);
    else {
      const named = /^(?:(\w+)\s*,\s*)?\{([^}]*)\}$/.exec(what);
      if (!named) throw new Error(`cannot rewrite import for CJS: ${line}`);
      if (named[1]) head.push(`const ${named[1]} = __default(require(${from}));`);
      const fields = named[2]
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((s) => s.replace(/\s+as\s+/, ': '));
      head.push(`const { ${fields.join(', ')} } = require(${from});`);
    }
  }
  // What a bundler's interop does: a default import of a CommonJS module is the module itself.
  const interop = 'const __default = (m) => (m && m.__esModule ? m.default : m);';
  return `'use strict';\n${interop}\n${head.join('\n')}\n(async () => {\n${body.join('\n')}\n})().catch((e) => { console.error(e); process.exit(1); });\n`;
}
