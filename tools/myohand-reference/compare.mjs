// MuJoCo against itself: the co-activation and single-muscle scores (hinge RMS over time, deg) between two reference
// folders written by generate.mjs, e.g. the golden one and one run with --timestep 0.001 or --perturb 0.001. The same
// statistics validate-myohand reports, so they show how much of a score is MuJoCo's own sensitivity.
// Usage: node compare.mjs <reference folder> <other folder>
import fs from 'node:fs';
import path from 'node:path';

const [a, b] = process.argv.slice(2);
if (!a || !b) throw new Error('usage: node compare.mjs <reference folder> <other folder>');
const read = (dir, file) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));

// RMS over the common samples of one hinge's two traces (the folders may sample at different steps; both every 40 ms).
const rms = (x, y) => {
  const n = Math.min(x.length, y.length);
  let s = 0;
  for (let i = 0; i < n; i++) s += (x[i] - y[i]) ** 2;
  return Math.sqrt(s / n);
};
const hinges = (ra, rb) => Object.keys(ra).map(j => [j, rms(ra[j], rb[j])]);

const ca = read(a, 'coactivation.json').cases, cb = read(b, 'coactivation.json').cases;
const all = [];
console.log('co-activation: case, worst hinge, its RMS (deg), the case mean');
for (const c of ca) {
  const other = cb.find(o => o.name === c.name);
  const h = hinges(c.angles, other.angles);
  all.push(...h.map(([, v]) => v));
  const [wj, wv] = h.reduce((m, x) => (x[1] > m[1] ? x : m));
  const mean = h.reduce((s, x) => s + x[1], 0) / h.length;
  console.log(`  ${c.name.padEnd(20)} ${wj.padEnd(16)} ${wv.toFixed(2).padStart(6)}  mean ${mean.toFixed(2)}`);
}
console.log(`co-activation mean ${(all.reduce((s, v) => s + v, 0) / all.length).toFixed(2)} deg, worst ${Math.max(...all).toFixed(2)} deg`);

const sa = read(a, 'single-muscle.json').runs, sb = read(b, 'single-muscle.json').runs;
let worst = ['', 0];
let over5 = 0;
for (const r of sa) {
  const other = sb.find(o => o.muscle === r.muscle && o.excitation === r.excitation);
  const w = Math.max(...hinges(r.angles, other.angles).map(([, v]) => v));
  if (w > 5) over5++;
  if (w > worst[1]) worst = [`${r.muscle} u=${r.excitation}`, w];
}
console.log(`single muscles: worst hinge RMS ${worst[1].toFixed(2)} deg (${worst[0]}); runs over 5 deg: ${over5} of ${sa.length}`);
