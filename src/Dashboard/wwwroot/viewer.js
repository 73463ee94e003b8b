// The 3D hand: bones as cylinders, joints as spheres, muscles as thin cylinders along their via-point paths, each
// muscle coloured by its activation. One InstancedMesh per layer and part, so a frame costs a few hundred matrix writes.
import * as THREE from 'three';
import { OrbitControls } from './vendor/three/OrbitControls.js';

const STYLES = {
  main:    { color: 0xeadfcd, opacity: 1.0,  bone: 3.4, joint: 5.0 },
  ghost:   { color: 0x7fd6ff, opacity: 0.28, bone: 4.2, joint: 5.4 },
  truth:   { color: 0x3ecf8e, opacity: 0.85, bone: 3.0, joint: 4.2 },
  base:    { color: 0xff6b6b, opacity: 0.75, bone: 2.6, joint: 3.8 },
  refined: { color: 0x5aa9ff, opacity: 0.95, bone: 3.2, joint: 4.4 },
};
export const roleColor = role => '#' + (STYLES[role] || STYLES.main).color.toString(16).padStart(6, '0');

// Plasma: perceptually ordered, dark (relaxed) to bright (fully active).
const PLASMA = [[13, 8, 135], [126, 3, 168], [204, 71, 120], [248, 149, 64], [240, 249, 33]];
export function activationColor(a, target = new THREE.Color()) {
  const x = Math.min(1, Math.max(0, a)) * (PLASMA.length - 1);
  const i = Math.min(PLASMA.length - 2, Math.floor(x)), t = x - i;
  const c = PLASMA[i].map((v, k) => v + (PLASMA[i + 1][k] - v) * t);
  return target.setRGB(c[0] / 255, c[1] / 255, c[2] / 255, THREE.SRGBColorSpace);
}

const UP = new THREE.Vector3(0, 1, 0);
const tmpA = new THREE.Vector3(), tmpB = new THREE.Vector3(), tmpD = new THREE.Vector3();
const tmpQ = new THREE.Quaternion(), tmpS = new THREE.Vector3(), tmpM = new THREE.Matrix4();

function segment(mesh, i, a, b, radius) {
  tmpD.subVectors(b, a);
  const len = tmpD.length();
  if (len < 1e-6) { tmpM.makeScale(0, 0, 0); mesh.setMatrixAt(i, tmpM); return; }
  tmpQ.setFromUnitVectors(UP, tmpD.divideScalar(len));
  tmpS.set(radius, len, radius);
  tmpM.compose(tmpA.addVectors(a, b).multiplyScalar(0.5), tmpQ, tmpS);
  mesh.setMatrixAt(i, tmpM);
}

export class HandViewer {
  constructor(canvas) {
    this.canvas = canvas;
    // preserveDrawingBuffer: the page (and its browser test) can read the pixels of the last frame.
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: true, alpha: true, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(Math.min(2, window.devicePixelRatio || 1));
    this.scene = new THREE.Scene();
    this.camera = new THREE.PerspectiveCamera(35, 1, 1, 5000);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.enableDamping = true;
    this.scene.add(new THREE.HemisphereLight(0xdde8ff, 0x202633, 1.6));
    const key = new THREE.DirectionalLight(0xffffff, 2.2); key.position.set(300, 500, 400); this.scene.add(key);
    const rim = new THREE.DirectionalLight(0x88aaff, 0.8); rim.position.set(-300, -200, -400); this.scene.add(rim);
    // The model's frame has the fingers along -y and gravity along -x; turn it so the fingers point up the screen.
    this.hand = new THREE.Group(); this.hand.rotation.z = Math.PI; this.scene.add(this.hand);
    this.grid = new THREE.GridHelper(400, 20, 0x334155, 0x1f2937); this.scene.add(this.grid);
    this.clip = null; this.layers = []; this.frame = 0; this.visible = {}; this.showMuscles = true;
    this.cylinder = new THREE.CylinderGeometry(1, 1, 1, 10, 1);
    this.sphere = new THREE.SphereGeometry(1, 14, 10);
    this.resize();
    new ResizeObserver(() => this.resize()).observe(canvas);
    const loop = () => { this.controls.update(); this.renderer.render(this.scene, this.camera); requestAnimationFrame(loop); };
    loop();
  }

  resize() {
    const w = this.canvas.clientWidth, h = this.canvas.clientHeight;
    if (w && h) { this.renderer.setSize(w, h, false); this.camera.aspect = w / h; this.camera.updateProjectionMatrix(); }
  }

  clear() {
    for (const l of this.layers) for (const m of l.meshes) { this.hand.remove(m); m.dispose && m.dispose(); m.material.dispose(); }
    this.layers = []; this.clip = null;
    this.renderer.render(this.scene, this.camera);
  }

  load(clip) {
    this.clear();
    this.clip = clip;
    const bones = clip.skeleton.bones, nPoints = clip.skeleton.points.length;
    const segs = []; let k = 0;
    for (const m of clip.muscles) { for (let s = 0; s + 1 < m.points; s++) segs.push([k + s, k + s + 1]); k += m.points; }
    this.muscleOfSegment = []; { let mi = 0, c = 0; for (const m of clip.muscles) { for (let s = 0; s + 1 < m.points; s++) this.muscleOfSegment.push(mi); mi++; c += m.points; } }
    for (const layer of clip.layers) {
      const style = STYLES[layer.role] || STYLES.main;
      const transparent = style.opacity < 1;
      const mat = () => new THREE.MeshStandardMaterial({ color: style.color, roughness: 0.55, metalness: 0.05, transparent, opacity: style.opacity, depthWrite: !transparent });
      const boneMesh = new THREE.InstancedMesh(this.cylinder, mat(), bones.length);
      const jointMesh = new THREE.InstancedMesh(this.sphere, mat(), nPoints);
      const meshes = [boneMesh, jointMesh];
      let muscleMesh = null;
      if (layer.muscles) {
        const coloured = !!layer.activations;
        // Unlit when coloured by activation, so the colours on screen are the colour bar's.
        const material = coloured ? new THREE.MeshBasicMaterial() : new THREE.MeshStandardMaterial({ roughness: 0.4, transparent: true, opacity: 0.3, depthWrite: false });
        muscleMesh = new THREE.InstancedMesh(this.cylinder, material, segs.length);
        muscleMesh.userData.muscles = true; muscleMesh.userData.radius = coloured ? 1.5 : 1.0;
        muscleMesh.instanceColor = new THREE.InstancedBufferAttribute(new Float32Array(segs.length * 3), 3);
        meshes.push(muscleMesh);
      }
      for (const m of meshes) { m.frustumCulled = false; this.hand.add(m); }
      this.layers.push({ layer, style, boneMesh, jointMesh, muscleMesh, segs, meshes });
      if (this.visible[layer.name] === undefined) this.visible[layer.name] = true;
    }
    this.fit();
    this.setFrame(0);
  }

  fit() {
    // Frame the skeleton of the first layer (the muscles' forearm ends may fall outside) and look at the palm of frame 0.
    const box = new THREE.Box3(), p = new THREE.Vector3(), first = this.clip.layers[0];
    const step = Math.max(1, Math.floor(first.points.length / 20));
    for (const list of [first.points]) {
      for (let f = 0; f < list.length; f += step) {
        for (let i = 0; i < list[f].length; i += 3) box.expandByPoint(p.set(list[f][i], list[f][i + 1], list[f][i + 2]).applyEuler(this.hand.rotation));
      }
    }
    const pts = first.points[0], at = i => new THREE.Vector3(pts[i * 3], pts[i * 3 + 1], pts[i * 3 + 2]).applyEuler(this.hand.rotation);
    const names = this.clip.skeleton.points, idx = n => names.indexOf(n);
    let view = new THREE.Vector3(0.35, 0.25, 1);
    if (idx('wrist') >= 0 && idx('index1') >= 0 && idx('pinky1') >= 0) {
      const w = at(idx('wrist')), normal = new THREE.Vector3().crossVectors(at(idx('index1')).sub(w), at(idx('pinky1')).sub(w)).normalize();
      if (normal.lengthSq() > 0.5) view = normal.add(new THREE.Vector3(0.3, 0.35, 0)).normalize();
    }
    const centre = box.getCenter(new THREE.Vector3()), size = box.getSize(new THREE.Vector3()).length();
    this.controls.target.copy(centre);
    this.camera.position.copy(centre).add(view.normalize().multiplyScalar(size * 1.45));
    this.camera.near = size / 50; this.camera.far = size * 20; this.camera.updateProjectionMatrix();
    this.grid.position.set(centre.x, box.min.y - 10, centre.z);
    this.controls.update();
  }

  setVisible(name, on) {
    this.visible[name] = on;
    this.applyVisibility();
  }

  setMuscles(on) { this.showMuscles = on; this.applyVisibility(); }

  applyVisibility() {
    for (const l of this.layers) for (const m of l.meshes) m.visible = this.visible[l.layer.name] !== false && (!m.userData.muscles || this.showMuscles);
    this.renderer.render(this.scene, this.camera);
  }

  setFrame(f) {
    if (!this.clip) return;
    this.frame = Math.max(0, Math.min(this.clip.frames - 1, f | 0));
    const col = new THREE.Color();
    for (const l of this.layers) {
      const pts = l.layer.points[this.frame];
      const at = (arr, i, v) => v.set(arr[i * 3], arr[i * 3 + 1], arr[i * 3 + 2]);
      this.clip.skeleton.bones.forEach(([a, b], i) => segment(l.boneMesh, i, at(pts, a, new THREE.Vector3()), at(pts, b, new THREE.Vector3()), l.style.bone));
      for (let i = 0; i < this.clip.skeleton.points.length; i++) {
        tmpM.compose(at(pts, i, tmpB), tmpQ.identity(), tmpS.setScalar(l.style.joint)); l.jointMesh.setMatrixAt(i, tmpM);
      }
      l.boneMesh.instanceMatrix.needsUpdate = true; l.jointMesh.instanceMatrix.needsUpdate = true;
      if (l.muscleMesh) {
        const mp = l.layer.muscles[this.frame], act = l.layer.activations ? l.layer.activations[this.frame] : null;
        l.segs.forEach(([a, b], i) => {
          segment(l.muscleMesh, i, at(mp, a, new THREE.Vector3()), at(mp, b, new THREE.Vector3()), l.muscleMesh.userData.radius);
          const m = this.muscleOfSegment[i];
          if (act) activationColor(act[m], col); else col.set(0x9aa4b2);
          l.muscleMesh.setColorAt(i, col);
        });
        l.muscleMesh.instanceMatrix.needsUpdate = true; l.muscleMesh.instanceColor.needsUpdate = true;
      }
    }
    this.applyVisibility();
  }

  /** The most active muscles in the current frame of the first layer that has activations. */
  topMuscles(n = 3) {
    if (!this.clip) return [];
    const layer = this.clip.layers.find(l => l.activations);
    if (!layer) return [];
    return this.clip.muscles.map((m, i) => [m.name, layer.activations[this.frame][i]]).sort((a, b) => b[1] - a[1]).slice(0, n);
  }
}
