// Golden MyoHand references for `validate-myohand`: MuJoCo 3.14.0 (the official WASM build) runs MyoHand unchanged
// with the wrist hinges (flexion, deviation, pro_sup) held at 0 by joint equalities and records every finger hinge.
// Usage: node generate.mjs [--myohand ../../../shared/myohand] [--out ../../src/ModelFormats/Agreement/Reference]
// CI never runs this; it only reads the JSON it writes.
import loadMujoco from '@mujoco/mujoco';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WRIST, loadHeldHand } from './held-hand.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const myohand = path.resolve(args.myohand ?? path.join(here, '../../../shared/myohand'));
const outDir = path.resolve(args.out ?? path.join(here, '../../src/ModelFormats/Agreement/Reference'));
// --contact off: the same protocols with MuJoCo's contacts disabled (a diagnostic reference, never the golden one).
const contact = args.contact ?? 'on';
if (!['on', 'off'].includes(contact)) throw new Error(`--contact must be on or off, not ${contact}`);
// --timestep S and --perturb E: MuJoCo against itself (a smaller step; every excitation times 1 + E), to show how far
// MuJoCo's own trajectories move under changes no model should matter to. Diagnostics, never the golden reference.
const timestep = args.timestep === undefined ? undefined : Number(args.timestep);
const perturb = Number(args.perturb ?? 0);
if (timestep !== undefined && !(timestep > 0 && timestep <= 0.002)) throw new Error(`--timestep must be in (0, 0.002], not ${args.timestep}`);
if (!Number.isFinite(perturb) || Math.abs(perturb) >= 0.1) throw new Error(`--perturb must be a small fraction, not ${args.perturb}`);

const DEG = 180 / Math.PI;

const mujoco = await loadMujoco();

const model = loadHeldHand(mujoco, myohand, { contact });
if (timestep !== undefined) model.opt.timestep = timestep;
const SAMPLE_EVERY = Math.round(0.04 / model.opt.timestep); // one sample per 40 ms (two control steps of ours)
const data = new mujoco.MjData(model);
const name = (kind, i) => model[kind](i).name;
const joints = [];
for (let j = 0; j < model.njnt; j++) joints.push(name('jnt', j));
const fingerJoints = joints.filter(j => !WRIST.includes(j));
const qadr = Object.fromEntries(joints.map((j, i) => [j, model.jnt_qposadr[i]]));
const dadr = Object.fromEntries(joints.map((j, i) => [j, model.jnt_dofadr[i]]));
const range = Object.fromEntries(joints.map((j, i) => [j, [model.jnt_range[2 * i], model.jnt_range[2 * i + 1]]]));
const actuators = [];
for (let a = 0; a < model.nu; a++) actuators.push(name('actuator', a));

function reset() {
  mujoco.mj_resetData(model, data);
  mujoco.mj_forward(model, data);
}

function hingeDegrees() {
  return fingerJoints.map(j => data.qpos[qadr[j]] * DEG);
}

// Runs `seconds` with ctrl from schedule(t) (an array of nu excitations), sampling every 40 ms including t = 0.
function simulate(seconds, schedule) {
  reset();
  const steps = Math.round(seconds / model.opt.timestep);
  const traces = fingerJoints.map(() => []);
  const push = () => hingeDegrees().forEach((v, k) => traces[k].push(Math.round(v * 100) / 100));
  push();
  for (let s = 0; s < steps; s++) {
    const u = schedule(s * model.opt.timestep);
    for (let a = 0; a < model.nu; a++) data.ctrl[a] = u[a] * (1 + perturb);
    mujoco.mj_step(model, data);
    if ((s + 1) % SAMPLE_EVERY === 0) push();
    for (const q of data.qpos) if (!Number.isFinite(q)) throw new Error(`non-finite qpos at step ${s}`);
  }
  return Object.fromEntries(fingerJoints.map((j, k) => [j, traces[k]]));
}

const isFinger = (a) => {
  // Finger muscles cross a finger hinge; the 8 wrist muscles cross none (wrist held, so they do not move anything).
  reset();
  return crossed(a).length > 0;
};

// Finger hinges with a non-zero moment arm for actuator a at the current pose (sparse actuator_moment rows).
function moments(a) {
  const out = {};
  const adr = data.moment_rowadr[a], nnz = data.moment_rownnz[a];
  for (let k = 0; k < nnz; k++) {
    const dof = data.moment_colind[adr + k];
    const j = joints.find(n => dadr[n] === dof);
    out[j] = data.actuator_moment[adr + k];
  }
  return out;
}
function crossed(a) {
  return Object.entries(moments(a)).filter(([j, v]) => !WRIST.includes(j) && Math.abs(v) > 1e-7).map(([j]) => j);
}

const fingerMuscles = actuators.filter((_, a) => isFinger(a));
if (fingerMuscles.length !== 31) throw new Error(`expected 31 finger muscles, found ${fingerMuscles.length}: ${fingerMuscles}`);
const seconds = 2;

// 1. Each finger muscle alone at full and half excitation from rest.
const single = [];
for (const m of fingerMuscles) {
  const a = actuators.indexOf(m);
  for (const level of [1, 0.5]) {
    const u = new Array(model.nu).fill(0); u[a] = level;
    single.push({ muscle: m, excitation: level, angles: simulate(seconds, () => u) });
  }
  process.stderr.write(`single ${m}\n`);
}
const relaxed = simulate(seconds, () => new Array(model.nu).fill(0));

// 2. Co-activation cases: named anatomical patterns and seeded random schedules.
function excite(levels, background = 0) {
  const u = new Array(model.nu).fill(0);
  fingerMuscles.forEach(m => { u[actuators.indexOf(m)] = background; });
  for (const [m, v] of Object.entries(levels)) {
    const a = actuators.indexOf(m);
    if (a < 0) throw new Error(`unknown muscle ${m}`);
    u[a] = v;
  }
  return u;
}
const pick = (re) => fingerMuscles.filter(m => re.test(m));
const all = (re, v) => Object.fromEntries(pick(re).map(m => [m, v]));
const named = [
  // Interossei and lumbricals: flex the MCPs, extend the IPs through the extensor hood.
  { name: 'intrinsic-plus', levels: all(/^(RI|UI_UB|LU_RB)/, 0.8) },
  // Grasp: long flexors strong, extensors co-contracting.
  { name: 'grasp-cocontraction', levels: { ...all(/^(FDS|FDP)/, 0.8), ...all(/^(EDC|EDM|EIP)/, 0.3), FPL: 0.6, OP: 0.5 } },
  // Open hand: extensors strong, flexors co-contracting.
  { name: 'open-cocontraction', levels: { ...all(/^(EDC|EDM|EIP|EPL|EPB)/, 0.8), ...all(/^(FDS|FDP)/, 0.3) } },
  // Key pinch: thumb adducted and flexed against a flexed index.
  { name: 'key-pinch', levels: { FPL: 0.7, OP: 0.6, APL: 0.3, FDP2: 0.5, FDS2: 0.4, RI2: 0.3 } },
];
let seed = 13;
const rand = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const coactivation = [];
for (const c of named) {
  const u = excite(c.levels, 0.05);
  coactivation.push({ name: c.name, seconds: 3, schedule: [{ t: 0, excitations: c.levels, background: 0.05 }], angles: simulate(3, () => u) });
  process.stderr.write(`coactivation ${c.name}\n`);
}
for (let r = 0; r < 8; r++) {
  // A few muscles strongly excited over a low background, re-drawn every second.
  const phases = [];
  for (let p = 0; p < 3; p++) {
    const levels = {};
    const count = 2 + Math.floor(rand() * 3);
    while (Object.keys(levels).length < count) {
      levels[fingerMuscles[Math.floor(rand() * fingerMuscles.length)]] = Math.round((0.5 + 0.5 * rand()) * 100) / 100;
    }
    phases.push({ t: p, excitations: levels, background: Math.round(0.1 * rand() * 100) / 100 });
  }
  const controls = phases.map(p => excite(p.excitations, p.background));
  coactivation.push({
    name: `random-${r}`, seconds: 3, schedule: phases,
    angles: simulate(3, (t) => controls[Math.min(2, Math.floor(t + 1e-9))]),
  });
  process.stderr.write(`coactivation random-${r}\n`);
}

// 3. Moment arms over a sweep of each crossed joint (the other joints at 0): actuator_moment = dL/dq, 11 points.
const momentArms = [];
for (const m of fingerMuscles) {
  const a = actuators.indexOf(m);
  reset();
  for (const j of crossed(a)) {
    const [lo, hi] = range[j];
    const q = [], arm = [];
    for (let k = 0; k <= 10; k++) {
      mujoco.mj_resetData(model, data);
      const v = lo + (hi - lo) * k / 10;
      data.qpos[qadr[j]] = v;
      mujoco.mj_forward(model, data);
      q.push(Math.round(v * 1e5) / 1e5);
      arm.push(Math.round((moments(a)[j] ?? 0) * 1e7) / 1e7);
    }
    momentArms.push({ muscle: m, joint: j, q, momentArm: arm });
  }
}

fs.mkdirSync(outDir, { recursive: true });
const header = {
  format: 'msmano-myohand-reference', version: 1,
  source: 'MyoHand_v0.1.7 (myo_sim 2cef885, Apache-2.0, Copyright 2020 Vikash Kumar, Vittorio Caggiano, Huawei Wang) in MuJoCo 3.14.0 (@mujoco/mujoco WASM)',
  generator: 'tools/myohand-reference/generate.mjs',
  wristHeld: WRIST, timestep: model.opt.timestep, sampleInterval: SAMPLE_EVERY * model.opt.timestep,
  units: { angles: 'deg (MyoHand joint coordinates)', momentArm: 'm per rad: actuator_moment = dL/dq', q: 'rad' },
  joints: fingerJoints, ranges: Object.fromEntries(fingerJoints.map(j => [j, range[j]])),
  ...(contact === 'off' ? { contacts: 'disabled' } : {}),
  ...(perturb !== 0 ? { perturb } : {}),
};
const write = (file, body) => {
  fs.writeFileSync(path.join(outDir, file), JSON.stringify({ ...header, ...body }) + '\n');
  process.stderr.write(`wrote ${file} (${fs.statSync(path.join(outDir, file)).size} bytes)\n`);
};
write('single-muscle.json', { seconds, relaxed, runs: single });
write('coactivation.json', { cases: coactivation });
write('moment-arms.json', { sweeps: momentArms });
