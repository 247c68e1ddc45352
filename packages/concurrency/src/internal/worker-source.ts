// How the worker thread's code gets there. The pool starts workers with `eval: true` and this
// script, assembled from the `toString()` of three self-contained functions. Why not a separate
// tsup entry (dist/worker.js)? Because the same pool must run from the TypeScript sources (tests
// run src/ in vitest, where a worker cannot load .ts) and from dist/ as ESM and as CJS; a
// script string needs no file lookup relative to the module (import.meta.url vs __filename) and
// no loader. The price: those functions may only use globals and their parameters.
import { makeCodec } from './codec.js';
import { runParallel } from './par-exec.js';
import { workerMain } from './worker-main.js';

let source: string | undefined;

/** The eval'd CommonJS script every pool worker runs. */
export function workerSource(): string {
  source ??= [
    "'use strict';",
    // esbuild with keepNames (tsx, some bundlers) wraps functions in __name(fn, 'name').
    'var __name = (fn) => fn;',
    "const { parentPort, workerData, receiveMessageOnPort } = require('node:worker_threads');",
    "const v8 = require('node:v8');",
    `(${workerMain.toString()})({`,
    '  parentPort, workerData, receiveMessageOnPort, v8,',
    '  load: (url) => import(url),',
    `  makeCodec: ${makeCodec.toString()},`,
    `  runParallel: ${runParallel.toString()},`,
    '});',
  ].join('\n');
  return source;
}
