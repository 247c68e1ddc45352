// Saving a run as a baseline and comparing a later run against it.
//
// Baseline file (JSON, UTF-8):
//   { "format": "@perf/monitor/baseline", "version": 1, "report": BenchReport }
// The raw samples are kept so that a comparison can bootstrap both runs, not just their
// medians.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { BaselineError } from './errors.js';
import {
  bootstrapChange,
  bootstrapNormalizedChange,
  lowerQuartileOf,
  medianOf,
  mulberry32,
} from './internal/stats.js';
import { checkInteger, checkNumber, checkOptions, describe } from './internal/validate.js';
import type { BenchReport, CaseComparison, CompareOptions } from './types.js';

const FORMAT = '@perf/monitor/baseline';
const VERSION = 1;

/** Writes `report` to `path` as a baseline (atomically: a temp file, then a rename). */
export async function saveBaseline(path: string, report: BenchReport): Promise<void> {
  if (typeof path !== 'string')
    throw new TypeError(`Expected \`path\` to be a string, got ${describe(path)}`);
  checkReport(report, path, TypeError);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(
    tmp,
    `${JSON.stringify({ format: FORMAT, version: VERSION, report }, null, 1)}\n`,
  );
  await rename(tmp, path);
}

/**
 * Reads a baseline written by {@link saveBaseline}. Throws {@link BaselineError} with code
 * `PERF_MONITOR_BASELINE_NOT_FOUND` when the file does not exist and
 * `PERF_MONITOR_BASELINE_INVALID` when it is not a baseline.
 */
export async function loadBaseline(path: string): Promise<BenchReport> {
  if (typeof path !== 'string')
    throw new TypeError(`Expected \`path\` to be a string, got ${describe(path)}`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new BaselineError(
      path,
      missing ? 'PERF_MONITOR_BASELINE_NOT_FOUND' : 'PERF_MONITOR_BASELINE_INVALID',
      missing ? `No baseline at ${path}` : `Cannot read baseline ${path}`,
      { cause },
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new BaselineError(path, 'PERF_MONITOR_BASELINE_INVALID', `Baseline ${path} is not JSON`, {
      cause,
    });
  }
  const d = doc as { format?: unknown; version?: unknown; report?: unknown };
  if (typeof d !== 'object' || d === null || d.format !== FORMAT || d.version !== VERSION) {
    throw new BaselineError(
      path,
      'PERF_MONITOR_BASELINE_INVALID',
      `${path} is not a version ${VERSION} baseline`,
    );
  }
  checkReport(d.report, path, undefined);
  return d.report as BenchReport;
}

/**
 * Compares every case of `current` with the case of the same name in `baseline`
 * (criterion's rule): the relative change of the lower quartile (or median) gets a
 * bootstrap CI from both runs' samples; it is `regressed`/`improved` only when the CI excludes 0 **and** the point
 * estimate is beyond the noise `threshold`; otherwise `unchanged`. Cases only in one run
 * are `new` or `missing`. When both runs carry calibration samples, each run's statistic
 * is first divided by that of its calibration samples, so a machine that is 10 % slower
 * as a whole during the second run does not read as a 10 % regression.
 */
export function compareReports(
  baseline: BenchReport,
  current: BenchReport,
  options: CompareOptions = {},
): CaseComparison[] {
  checkReport(baseline, 'baseline', TypeError);
  checkReport(current, 'current', TypeError);
  checkOptions('options', options);
  const threshold = checkNumber('threshold', options.threshold ?? 0.05, 0, 10);
  const confidence = checkNumber('confidence', options.confidence ?? 0.95, 0.5, 0.9999);
  const resamples = checkInteger('resamples', options.resamples ?? 2000, 100, 1_000_000);
  const random = mulberry32(checkInteger('seed', options.seed ?? 1, 0, 2 ** 32 - 1));
  const normalize = options.normalize ?? true;
  if (typeof normalize !== 'boolean')
    throw new TypeError(`Expected \`normalize\` to be a boolean, got ${describe(normalize)}`);
  const which = options.statistic ?? 'lowerQuartile';
  if (which !== 'lowerQuartile' && which !== 'median') {
    throw new TypeError(
      `Expected \`statistic\` to be 'lowerQuartile' or 'median', got ${describe(which)}`,
    );
  }
  const statistic = which === 'median' ? medianOf : lowerQuartileOf;
  const calBase = normalize ? baseline.calibration?.samples : undefined;
  const calCur = normalize ? current.calibration?.samples : undefined;
  const none = { point: Number.NaN, lower: Number.NaN, upper: Number.NaN };
  const before = new Map(baseline.cases.map((c) => [c.name, c]));
  const out: CaseComparison[] = [];
  for (const c of current.cases) {
    const b = before.get(c.name);
    if (b === undefined) {
      out.push({
        name: c.name,
        status: 'new',
        change: none,
        baselineMedian: Number.NaN,
        currentMedian: c.median.point,
        normalized: false,
      });
      continue;
    }
    before.delete(c.name);
    const both =
      calBase !== undefined && calCur !== undefined && calBase.length > 0 && calCur.length > 0;
    const change = both
      ? bootstrapNormalizedChange(
          b.samples,
          calBase,
          c.samples,
          calCur,
          statistic,
          resamples,
          confidence,
          random,
        )
      : bootstrapChange(b.samples, c.samples, statistic, resamples, confidence, random);
    let status: CaseComparison['status'] = 'unchanged';
    if (change.lower > 0 && change.point > threshold) status = 'regressed';
    else if (change.upper < 0 && change.point < -threshold) status = 'improved';
    out.push({
      name: c.name,
      status,
      change,
      baselineMedian: b.median.point,
      currentMedian: c.median.point,
      normalized: both,
    });
  }
  for (const b of before.values()) {
    out.push({
      name: b.name,
      status: 'missing',
      change: none,
      baselineMedian: b.median.point,
      currentMedian: Number.NaN,
      normalized: false,
    });
  }
  return out;
}

/** Structural check of a report; throws `kind` (or BaselineError when reading a file). */
function checkReport(report: unknown, where: string, kind: typeof TypeError | undefined): void {
  const r = report as BenchReport;
  const ok =
    typeof r === 'object' &&
    r !== null &&
    typeof r.name === 'string' &&
    Array.isArray(r.cases) &&
    r.cases.every(
      (c) =>
        typeof c === 'object' &&
        c !== null &&
        typeof c.name === 'string' &&
        Array.isArray(c.samples) &&
        c.samples.length > 0 &&
        c.samples.every((x: unknown) => typeof x === 'number' && Number.isFinite(x) && x >= 0) &&
        typeof c.median?.point === 'number',
    ) &&
    (r.calibration === undefined ||
      (Array.isArray(r.calibration.samples) &&
        r.calibration.samples.every((x: unknown) => typeof x === 'number' && Number.isFinite(x))));
  if (ok) return;
  const message = `Expected a BenchReport (name, cases with samples and median) in ${where}`;
  if (kind) throw new kind(`${message}, got ${describe(report)}`);
  throw new BaselineError(where, 'PERF_MONITOR_BASELINE_INVALID', message);
}
