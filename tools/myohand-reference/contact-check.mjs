// Contact checks for the simulator's skin contacts (not part of the golden data): MuJoCo's body_invweight0 of the finger
// bodies, and how much friction matters: every finger muscle alone at u = 1 and the four named co-activation cases, run
// with MyoHand's friction (1) and with friction removed, compared joint by joint (RMS over 2-3 s, deg).
// Usage: node contact-check.mjs [--myohand ../../../shared/myohand]
import loadMujoco from '@mujoco/mujoco';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WRIST, loadHeldHand } from './held-hand.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const myohand = path.resolve(args.myohand ?? path.join(here, '../../../shared/myohand'));
const DEG = 180 / Math.PI;
const mujoco = await loadMujoco();
const model = loadHeldHand(mujoco, myohand);
const data = new mujoco.MjData(model);
const name = (kind, i) => model[kind](i).name;

console.log('body_invweight0 (translation, rotation):');
for (let b = 0; b < model.nbody; b++) {
  const n = name('body', b);
  if (/ph|thumb|mc$|firstmc|lunate/.test(n)) console.log(`  ${n}: ${model.body_invweight0[2 * b].toFixed(3)} ${model.body_invweight0[2 * b + 1].toFixed(1)}`);
}

const joints = [];
for (let j = 0; j < model.njnt; j++) joints.push(name('jnt', j));
// The scale of each hinge's soft limit (R = (1 - d)/d * dof_invweight0); the converter computes the same from the MJCF.
console.log('dof_invweight0:');
for (let j = 0; j < model.njnt; j++) console.log(`  ${joints[j]}: ${model.dof_invweight0[model.jnt_dofadr[j]].toFixed(1)}`);
const finger = joints.filter(j => !WRIST.includes(j));
const qadr = Object.fromEntries(joints.map((j, i) => [j, model.jnt_qposadr[i]]));
const actuators = [];
for (let a = 0; a < model.nu; a++) actuators.push(name('actuator', a));
const friction0 = Array.from(model.geom_friction);

function run(seconds, u, frictionless) {
  for (let g = 0; g < model.ngeom; g++) model.geom_friction[3 * g] = frictionless ? 0 : friction0[3 * g];
  mujoco.mj_resetData(model, data);
  mujoco.mj_forward(model, data);
  const traces = finger.map(() => []);
  let maxContacts = 0;
  for (let s = 0; s < Math.round(seconds / model.opt.timestep); s++) {
    for (let a = 0; a < model.nu; a++) data.ctrl[a] = u[a];
    mujoco.mj_step(model, data);
    maxContacts = Math.max(maxContacts, data.ncon);
    if ((s + 1) % 20 === 0) finger.forEach((j, k) => traces[k].push(data.qpos[qadr[j]] * DEG));
  }
  return { traces, maxContacts };
}
function compare(label, seconds, u) {
  const a = run(seconds, u, false), b = run(seconds, u, true);
  let worst = 0, worstJoint = '';
  finger.forEach((j, k) => {
    const rms = Math.sqrt(a.traces[k].reduce((s, v, i) => s + (v - b.traces[k][i]) ** 2, 0) / a.traces[k].length);
    if (rms > worst) { worst = rms; worstJoint = j; }
  });
  console.log(`${label.padEnd(22)} contacts up to ${String(a.maxContacts).padStart(2)}; friction 1 vs 0: worst joint RMS ${worst.toFixed(2)} deg (${worstJoint})`);
  return worst;
}

const fingerMuscles = actuators.filter(m => !/^(ECRL|ECRB|ECU|FCR|FCU|PL|PT|PQ)$/.test(m));
let worstAll = 0;
for (const m of fingerMuscles) {
  const u = new Array(model.nu).fill(0); u[actuators.indexOf(m)] = 1;
  worstAll = Math.max(worstAll, compare(m, 2, u));
}
const all = (re, v) => Object.fromEntries(fingerMuscles.filter(m => re.test(m)).map(m => [m, v]));
for (const [label, levels] of [
  ['intrinsic-plus', all(/^(RI|UI_UB|LU_RB)/, 0.8)],
  ['grasp-cocontraction', { ...all(/^(FDS|FDP)/, 0.8), ...all(/^(EDC|EDM|EIP)/, 0.3), FPL: 0.6, OP: 0.5 }],
  ['open-cocontraction', { ...all(/^(EDC|EDM|EIP|EPL|EPB)/, 0.8), ...all(/^(FDS|FDP)/, 0.3) }],
  ['key-pinch', { FPL: 0.7, OP: 0.6, APL: 0.3, FDP2: 0.5, FDS2: 0.4, RI2: 0.3 }],
]) {
  const u = new Array(model.nu).fill(0);
  fingerMuscles.forEach(m => { u[actuators.indexOf(m)] = 0.05; });
  for (const [m, v] of Object.entries(levels)) u[actuators.indexOf(m)] = v;
  worstAll = Math.max(worstAll, compare(label, 3, u));
}
console.log(`worst over all runs: ${worstAll.toFixed(2)} deg`);
