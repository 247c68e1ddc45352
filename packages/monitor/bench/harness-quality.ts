// How often does the harness cry wolf, and how often does it catch a real 10 % slowdown,
// on this machine as it is right now? Each trial takes a baseline run, then a run of the
// same code and a run doing 10 % more work, and compares both with the baseline using the
// default decision rule (CI excludes 0 and |change| > 5 %).
// Run: pnpm --filter @perf/monitor exec tsx bench/harness-quality.ts [trials] [auto|wall|cpu]
import { Bench, compareReports } from '../src/bench-api.js';

const trials = Number(process.argv[2] ?? 40);
const clock = (process.argv[3] ?? 'auto') as 'auto' | 'wall' | 'cpu';
let sink = 0;
function work(n: number): number {
  let acc = 0;
  for (let i = 0; i < n; i++) acc = (acc + Math.imul(i, 2654435761)) | 0;
  return acc;
}

const run = (n: number) =>
  new Bench('q', {
    time: 150,
    warmup: 50,
    samples: 20,
    resamples: 1000,
    clock,
  })
    .add('work', () => (sink ^= work(n)))
    .run();

let falseAlarms = 0;
let caught = 0;
// The same runs judged without calibration, to show what it buys on this machine today.
let rawFalseAlarms = 0;
let rawCaught = 0;
// And with a 7 % noise threshold instead of 5 %.
let wideFalseAlarms = 0;
let wideCaught = 0;
const started = Date.now();
for (let t = 0; t < trials; t++) {
  const base = await run(20_000);
  const same = await run(20_000);
  const slow = await run(22_000);
  const a = compareReports(base, same, { seed: t })[0]!;
  const b = compareReports(base, slow, { seed: t })[0]!;
  if (a.status === 'regressed') falseAlarms++;
  if (b.status === 'regressed') caught++;
  if (compareReports(base, same, { seed: t, normalize: false })[0]!.status === 'regressed')
    rawFalseAlarms++;
  if (compareReports(base, slow, { seed: t, normalize: false })[0]!.status === 'regressed')
    rawCaught++;
  if (compareReports(base, same, { seed: t, threshold: 0.07 })[0]!.status === 'regressed')
    wideFalseAlarms++;
  if (compareReports(base, slow, { seed: t, threshold: 0.07 })[0]!.status === 'regressed')
    wideCaught++;
  if (process.env.VERBOSE)
    console.log(a.change.point.toFixed(3), a.status, b.change.point.toFixed(3), b.status);
}
console.log(
  `${clock} clock, ${trials} trials in ${((Date.now() - started) / 1000).toFixed(0)} s: unchanged flagged ${falseAlarms}/${trials} ` +
    `(${((100 * falseAlarms) / trials).toFixed(1)} %), 10 % slowdown flagged ${caught}/${trials} ` +
    `(${((100 * caught) / trials).toFixed(1)} %); without calibration: ${rawFalseAlarms}/${trials} and ` +
    `${rawCaught}/${trials}; threshold 7 %: ${wideFalseAlarms}/${trials} and ${wideCaught}/${trials} [sink ${sink & 1}]`,
);
