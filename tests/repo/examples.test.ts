import { describe, expect, it } from 'vitest';
import { toCjs } from '../../scripts/examples.mjs';

describe('README example conversion to CJS', () => {
  it('rewrites named, renamed, default and namespace imports', () => {
    const cjs = toCjs(
      "import { a, b as c } from '@perf/x';\nimport d, { e } from 'y';\nimport * as z from 'node:fs';\nimport f from 'node:assert';\nawait a(c, d, e, z, f);\n",
    );
    expect(cjs).toContain('const { a, b: c } = require("@perf/x");');
    expect(cjs).toContain('const d = __default(require("y"));');
    expect(cjs).toContain('const { e } = require("y");');
    expect(cjs).toContain('const z = require("node:fs");');
    expect(cjs).toContain('const f = __default(require("node:assert"));');
    expect(cjs).toContain('(async () => {');
  });
});
