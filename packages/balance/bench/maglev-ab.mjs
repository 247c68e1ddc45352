// A/B of two builds of the package's Maglev in one process: `node bench/maglev-ab.mjs A.mjs B.mjs`,
// each an ES module bundle of src/index.ts (e.g. 0.1.0's source and today's, bundled by the same
// `esbuild src/index.ts --bundle --format=esm --platform=node --outfile=…` call). Rounds
// alternate A and B; each round times K full builds (constructor) and K joins and leaves, in CPU
// time; the table prints medians of the rounds after two warm-up rounds, and whether A and B give
// the same shares. A markdown table row per size: 10, 100 and 1000 nodes, M = 65,537.
import { pathToFileURL } from 'node:url';

const [a, b] = process.argv.slice(2);
if (!a || !b) throw new TypeError('usage: node bench/maglev-ab.mjs A.mjs B.mjs');
const A = await import(pathToFileURL(a).href);
const B = await import(pathToFileURL(b).href);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const ROUNDS = 15;
const K = 10;
const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
console.log(
  '| nodes | A full build | B | A join / leave | B join / leave | B × faster (join / leave) | same table |',
);
console.log('|---:|---:|---:|---:|---:|---:|---|');
for (const n of [10, 100, 1000]) {
  const ids = Array.from({ length: n }, (_, i) => `10.0.${i >> 8}.${i & 255}:11211`);
  const impl = { a: A.Maglev, b: B.Maglev };
  const inst = { a: new A.Maglev(ids), b: new B.Maglev(ids) };
  const same = JSON.stringify([...inst.a.shares()]) === JSON.stringify([...inst.b.shares()]);
  const res = {};
  for (let r = 0; r < ROUNDS + 2; r++) {
    for (const v of ['a', 'b']) {
      const Maglev = impl[v];
      const m = inst[v];
      let t = cpu();
      for (let i = 0; i < K; i++) new Maglev(ids);
      const full = (cpu() - t) / K;
      let join = 0;
      let leave = 0;
      for (let i = 0; i < K; i++) {
        t = cpu();
        m.add('joining:1');
        join += cpu() - t;
        t = cpu();
        m.remove('joining:1');
        leave += cpu() - t;
      }
      if (r < 2) continue;
      for (const [k, x] of [
        ['full', full],
        ['join', join / K],
        ['leave', leave / K],
      ]) {
        (res[`${v} ${k}`] ??= []).push(x);
      }
    }
  }
  const f = (k) => `${median(res[k]).toFixed(2)} ms`;
  const x = (k) => `${(median(res[`a ${k}`]) / median(res[`b ${k}`])).toFixed(2)}×`;
  console.log(
    `| ${n} | ${f('a full')} | ${f('b full')} | ${f('a join')} / ${f('a leave')} | ${f('b join')} / ${f('b leave')} | ${x('join')} / ${x('leave')} | ${same} |`,
  );
}
