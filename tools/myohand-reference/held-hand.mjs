// MyoHand's own files, unchanged, loaded into MuJoCo's WASM file system with the wrist hinges (flexion, deviation,
// pro_sup) held at 0 by joint equalities: the hand every script here runs. The scene include (floor textures that are
// not shipped) is left out; the hand's body and assets are included as myohand.xml includes them.
import fs from 'node:fs';
import path from 'node:path';

export const WRIST = ['pro_sup', 'deviation', 'flexion'];

// contact 'off' disables MuJoCo's contacts (a diagnostic, never the golden reference).
export function loadHeldHand(mujoco, myohand, { contact = 'on' } = {}) {
  const FS = mujoco.FS;
  const mk = (p) => { try { FS.mkdirTree(p); } catch { /* exists */ } };
  mk('/m/hand/assets'); mk('/myo_sim/meshes');
  for (const f of ['myohand_assets.xml', 'myohand_body.xml']) {
    FS.writeFile(`/m/hand/assets/${f}`, fs.readFileSync(path.join(myohand, 'hand/assets', f)));
  }
  // myohand_assets.xml names meshes "../myo_sim/meshes/X.stl" relative to meshdir ".." of /m/hand.
  for (const f of fs.readdirSync(path.join(myohand, 'meshes'))) {
    FS.writeFile(`/myo_sim/meshes/${f}`, fs.readFileSync(path.join(myohand, 'meshes', f)));
  }
  const equalities = WRIST.map(j => `    <joint joint1="${j}" polycoef="0 0 0 0 0"/>`).join('\n');
  FS.writeFile('/m/hand/reference.xml', `<mujoco model="MyoHand_v0.1.7 wrist held">
  <include file="assets/myohand_assets.xml"/>
  <compiler meshdir=".." texturedir=".."/>${contact === 'off' ? '\n  <option><flag contact="disable"/></option>' : ''}
  <worldbody>
    <include file="assets/myohand_body.xml"/>
  </worldbody>
  <equality>
${equalities}
  </equality>
</mujoco>`);
  return mujoco.MjModel.from_xml_path('/m/hand/reference.xml');
}
