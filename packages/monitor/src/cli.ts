#!/usr/bin/env node
// The perf-bench command; everything lives in internal/cli-main.ts.
import { runCli } from './internal/cli-main.js';

runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
}).then((code) => {
  process.exitCode = code;
});
