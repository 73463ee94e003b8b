// The msmano-clip v1 format (src/Dashboard/Clips/README.md): checked here field by field so a damaged file names
// what is wrong instead of leaving an empty canvas.
export class ClipError extends Error {}

function fail(source, field, value, rule) {
  let shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  if (shown.length > 60) shown = shown.slice(0, 57) + '...';
  throw new ClipError(`${source}: ${field} = ${shown}: ${rule}`);
}

function frames(source, field, list, count, width, range) {
  if (!Array.isArray(list)) fail(source, field, typeof list, 'must be an array of frames');
  if (list.length !== count) fail(source, field + '.length', list.length, `must have one entry per frame (${count})`);
  for (let f = 0; f < list.length; f++) {
    const row = list[f];
    if (!Array.isArray(row)) fail(source, `${field}[${f}]`, typeof row, 'must be an array of numbers');
    if (row.length !== width) fail(source, `${field}[${f}].length`, row.length, `must hold ${width} numbers`);
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(source, `${field}[${f}][${i}]`, v, 'must be a finite number');
      if (range && (v < range[0] || v > range[1])) fail(source, `${field}[${f}][${i}]`, v, `must lie in [${range[0]}, ${range[1]}]`);
    }
  }
}

/** Parses and checks a clip's text; throws ClipError naming the source, field and value. */
export function parseClip(text, source) {
  let clip;
  try { clip = JSON.parse(text); } catch (e) { throw new ClipError(`${source}: not JSON (${e.message})`); }
  if (clip === null || typeof clip !== 'object' || Array.isArray(clip)) fail(source, '(file)', typeof clip, 'must be a JSON object');
  if (clip.format !== 'msmano-clip') fail(source, 'format', clip.format, 'must be "msmano-clip"');
  if (clip.version !== 1) fail(source, 'version', clip.version, 'must be 1 (this viewer reads version 1)');
  if (!['tracking', 'biopr', 'excitation'].includes(clip.kind)) fail(source, 'kind', clip.kind, 'must be tracking, biopr or excitation');
  if (!(typeof clip.fps === 'number' && clip.fps > 0 && Number.isFinite(clip.fps))) fail(source, 'fps', clip.fps, 'must be a positive number');
  if (!(Number.isInteger(clip.frames) && clip.frames >= 1)) fail(source, 'frames', clip.frames, 'must be an integer >= 1');
  const sk = clip.skeleton;
  if (!sk || !Array.isArray(sk.points) || sk.points.length < 2) fail(source, 'skeleton.points', sk && sk.points, 'must name at least two points');
  if (!Array.isArray(sk.bones)) fail(source, 'skeleton.bones', sk.bones, 'must be an array of [from, to] pairs');
  sk.bones.forEach((b, i) => {
    if (!Array.isArray(b) || b.length !== 2 || !b.every(k => Number.isInteger(k) && k >= 0 && k < sk.points.length)) fail(source, `skeleton.bones[${i}]`, JSON.stringify(b), `must be two point indices below ${sk.points.length}`);
  });
  const muscles = clip.muscles || [];
  if (!Array.isArray(muscles)) fail(source, 'muscles', typeof muscles, 'must be an array');
  muscles.forEach((m, i) => { if (!m || typeof m.name !== 'string' || !(Number.isInteger(m.points) && m.points >= 2)) fail(source, `muscles[${i}]`, JSON.stringify(m), 'must be { name, points >= 2 }'); });
  const musclePoints = muscles.reduce((s, m) => s + m.points, 0);
  if (!Array.isArray(clip.layers) || clip.layers.length === 0) fail(source, 'layers', clip.layers, 'must hold at least one layer');
  clip.layers.forEach((layer, l) => {
    const at = `layers[${l}]`;
    if (!layer || typeof layer.name !== 'string') fail(source, at + '.name', layer && layer.name, 'must be a string');
    frames(source, at + '.points', layer.points, clip.frames, sk.points.length * 3);
    if (layer.muscles != null) frames(source, at + '.muscles', layer.muscles, clip.frames, musclePoints * 3);
    if (layer.activations != null) frames(source, at + '.activations', layer.activations, clip.frames, muscles.length, [0, 1]);
  });
  (clip.series || []).forEach((s, i) => {
    if (!s || !Array.isArray(s.values) || s.values.length !== clip.frames) fail(source, `series[${i}].values`, s && s.values && s.values.length, `must have one value per frame (${clip.frames})`);
  });
  clip.muscles = muscles; clip.series = clip.series || []; clip.description = clip.description || '';
  return clip;
}
