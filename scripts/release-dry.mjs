#!/usr/bin/env node
// The release dry run: build, pack every publishable package as `changeset publish` would,
// and show each tarball's contents and problems. Publishes nothing.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { packages } from './lib.mjs';
import { inspectTarball, packAll } from './tarball.mjs';

const out = mkdtempSync(join(tmpdir(), 'perf-release-'));
let bad = 0;
try {
  const tarballs = packAll(packages(), out).sort();
  for (const t of tarballs) {
    const { files, problems } = inspectTarball(t);
    const kb = (statSync(t).size / 1024).toFixed(1);
    console.log(`\n${basename(t)} (${kb} KiB, ${files.length} files)`);
    for (const f of files) console.log(`  ${f}`);
    for (const pr of problems) console.log(`  PROBLEM: ${pr}`);
    bad += problems.length;
  }
  console.log(`\n${tarballs.length} tarballs, ${bad} problems`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
process.exit(bad ? 1 : 0);
