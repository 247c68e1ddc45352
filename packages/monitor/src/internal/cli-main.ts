// perf-bench: runs bench files, prints a Markdown table, saves or compares baselines, and
// exits non-zero on a regression. Kept apart from src/cli.ts (which only calls it) so that
// tests drive it in-process.
//
// A bench file's default export is a Bench, a function taking { time?, samples? } (from the
// command line) and returning Benches (possibly async), or an array of either.

import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { compareReports, loadBaseline, saveBaseline } from '../baseline.js';
import { MonitorError } from '../errors.js';
import { machine } from '../machine.js';
import { toMarkdown, toSvg } from '../report.js';
import type { BenchCaseResult, BenchOptions, BenchReport, CaseComparison } from '../types.js';

export const USAGE = `Usage: perf-bench [options] <bench file>...
       perf-bench --compare <baseline.json> --current <results.json>

Runs the default export of each bench file (a Bench, a factory returning Benches, or an
array of either) and prints a Markdown table of the results, with the machine record (Node,
CPU, cores, load average, date). Ratios read "× faster than" the first case.
With --current, compares two saved reports of any package without running anything.

Options:
  --save <file>        save the results as a baseline
  --compare <file>     compare with a saved baseline; exit 1 if any case regressed
  --current <file>     a saved report to compare instead of running bench files
  --threshold <frac>   noise threshold of the comparison (default 0.05 = 5 %)
  --markdown <file>    also write the table to a file
  --svg <file>         write an SVG bar chart of the medians with their CIs
  --time <ms>          measurement budget per case (passed to bench factories)
  --samples <n>        samples per case (passed to bench factories)
  -h, --help           show this help

Exit status: 0 ok, 1 a case regressed, 2 usage error or a failure.
TypeScript bench files load through tsx when the project has it installed.`;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

interface Runnable {
  readonly name: string;
  run(): Promise<BenchReport>;
}

export async function runCli(
  argv: readonly string[],
  io: CliIo,
  cwd = process.cwd(),
): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (e) {
    io.err(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const v = args.values;
  if (v.help) {
    io.out(USAGE);
    return 0;
  }
  const threshold = v.threshold === undefined ? 0.05 : Number(v.threshold);
  const time = v.time === undefined ? undefined : Number(v.time);
  const samples = v.samples === undefined ? undefined : Number(v.samples);
  const fromFile = v.current !== undefined;
  if (
    (args.positionals.length === 0 && !fromFile) ||
    (fromFile && (args.positionals.length > 0 || v.compare === undefined)) ||
    !(threshold >= 0) ||
    (time !== undefined && !(time > 0)) ||
    (samples !== undefined && !(Number.isInteger(samples) && samples >= 5))
  ) {
    io.err(USAGE);
    return 2;
  }
  try {
    const options: BenchOptions = {};
    if (time !== undefined) options.time = time;
    if (samples !== undefined) options.samples = samples;
    const cases: BenchCaseResult[] = [];
    let environment: BenchReport['environment'] | undefined;
    if (v.current !== undefined) {
      const saved = await loadBaseline(resolve(cwd, v.current));
      cases.push(...saved.cases);
      environment = saved.environment;
    }
    for (const file of args.positionals) {
      for (const bench of await load(resolve(cwd, file), options, cwd)) {
        const r = await bench.run();
        environment ??= r.environment;
        for (const c of r.cases) cases.push({ ...c, name: `${r.name}/${c.name}` });
      }
    }
    const report: BenchReport = {
      name: 'perf-bench',
      cases,
      environment: environment ?? machine(),
    };
    let comparisons: CaseComparison[] | undefined;
    if (v.compare !== undefined) {
      comparisons = compareReports(await loadBaseline(resolve(cwd, v.compare)), report, {
        threshold,
      });
    }
    const md = toMarkdown(report, comparisons ? { comparisons } : {});
    io.out(md);
    if (v.markdown !== undefined) await writeFile(resolve(cwd, v.markdown), `${md}\n`);
    if (v.svg !== undefined) await writeFile(resolve(cwd, v.svg), toSvg(report));
    if (v.save !== undefined) await saveBaseline(resolve(cwd, v.save), report);
    const regressed = comparisons?.filter((c) => c.status === 'regressed') ?? [];
    if (regressed.length > 0) {
      io.err(
        `perf-bench: ${regressed.length} case(s) regressed: ${regressed.map((c) => c.name).join(', ')}`,
      );
      return 1;
    }
    return 0;
  } catch (e) {
    const code = MonitorError.is(e) ? ` [${e.code}]` : '';
    const cause =
      e instanceof Error && e.cause instanceof Error
        ? `\n  cause: ${e.cause.stack ?? e.cause.message}`
        : '';
    io.err(`perf-bench: ${(e as Error)?.message ?? String(e)}${code}${cause}`);
    return 2;
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      save: { type: 'string' },
      compare: { type: 'string' },
      current: { type: 'string' },
      threshold: { type: 'string' },
      markdown: { type: 'string' },
      svg: { type: 'string' },
      time: { type: 'string' },
      samples: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

async function load(file: string, options: BenchOptions, cwd: string): Promise<Runnable[]> {
  if (/\.[cm]?ts$/.test(file)) await registerTsx(cwd);
  const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  const list: Runnable[] = [];
  for (const item of Array.isArray(mod.default) ? mod.default : [mod.default]) {
    // Each entry is a Bench, or a factory (sync or async) of one or more.
    const made =
      typeof item === 'function' ? await (item as (o: BenchOptions) => unknown)(options) : item;
    list.push(...((Array.isArray(made) ? made : [made]) as Runnable[]));
  }
  if (list.length === 0 || !list.every(isRunnable)) {
    throw new TypeError(
      `Expected the default export of ${file} to be a Bench, a factory of Benches, or an array of either`,
    );
  }
  return list;
}

function isRunnable(x: unknown): x is Runnable {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as Runnable).run === 'function' &&
    typeof (x as Runnable).name === 'string'
  );
}

/** Loads TypeScript bench files through tsx when the project has it and no loader is active. */
async function registerTsx(cwd: string): Promise<void> {
  if (
    process.execArgv.some((a) => a.includes('tsx')) ||
    (globalThis as { __perfTsx?: boolean }).__perfTsx
  )
    return;
  let api: string;
  try {
    // Resolve tsx's package.json, then its ESM entry by hand: require.resolve would pick the
    // "require" export (index.cjs), which cannot register the ESM loader.
    const pkgFile = createRequire(join(cwd, 'package.json')).resolve('tsx/package.json');
    const pkg = JSON.parse(await readFile(pkgFile, 'utf8')) as {
      exports?: Record<string, { import?: { default?: string } }>;
    };
    const entry = pkg.exports?.['./esm/api']?.import?.default;
    if (!entry) return;
    api = join(dirname(pkgFile), entry);
  } catch {
    return; // no tsx: let import() fail with Node's own message
  }
  const { register } = (await import(pathToFileURL(api).href)) as { register: () => unknown };
  register();
  (globalThis as { __perfTsx?: boolean }).__perfTsx = true;
}
