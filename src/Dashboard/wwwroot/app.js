// The dashboard page: cluster and evaluation views fed by /api/events (Server-Sent Events), and the hand viewer.
import { drawChart, palette } from './chart.js';
import { parseClip, ClipError } from './clip.js';
import { HandViewer, roleColor } from './viewer.js';

const $ = id => document.getElementById(id);
const fmt = (v, d = 0) => v == null || !Number.isFinite(v) ? '–' : v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const esc = s => String(s).replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));

// ---- tabs ----
function show(tab) {
  document.querySelectorAll('.tab').forEach(b => b.classList.toggle('active', b.dataset.tab === tab));
  document.querySelectorAll('.view').forEach(v => v.classList.toggle('active', v.id === 'view-' + tab));
  if (tab === 'viewer') { viewer().resize(); refreshClips(); }
  redraw();
  if (location.hash !== '#' + tab) history.replaceState(null, '', '#' + tab);
}
document.querySelectorAll('.tab').forEach(b => b.addEventListener('click', () => show(b.dataset.tab)));

// ---- live state ----
const state = { status: null, updates: [], throughput: [], events: 0 };
window.msmano = { state };

async function loadHistory() {
  try {
    const h = await (await fetch('api/history')).json();
    state.updates = h.updates || []; state.throughput = h.throughput || [];
  } catch { /* the stream fills in */ }
}

function onStatus(s) {
  state.status = s; state.events++;
  const t = s.training;
  if (t) {
    const last = state.updates[state.updates.length - 1];
    if (t.updates > 0 && (!last || t.updates > last.update)) {
      state.updates.push({ update: t.updates, policyVersion: t.policyVersion, seconds: s.seconds, meanReward: t.meanReward, approxKl: t.approxKl, busyShare: t.busyShare });
    }
    state.throughput.push({ seconds: s.seconds, agentStepsPerSecond: Object.fromEntries(t.nodes.map(n => [n.nodeId, n.agentStepsPerSecond])), busyShare: t.busyShare });
    if (state.throughput.length > 900) state.throughput.shift();
  }
  renderCluster(s); renderEvaluation(s.evaluation); redraw();
}

function connect() {
  const live = $('live');
  const source = new EventSource('api/events');
  source.addEventListener('status', e => { live.className = 'live on'; $('live-text').textContent = 'live'; onStatus(JSON.parse(e.data)); });
  source.onerror = () => { live.className = 'live off'; $('live-text').textContent = 'reconnecting…'; };
}

// ---- cluster view ----
function renderCluster(s) {
  const t = s.training;
  $('kpi-version').textContent = t ? 'v' + t.policyVersion : '–';
  $('kpi-updates').textContent = t ? `${fmt(t.updates)} updates · ${fmt(t.totalTransitions)} transitions` : 'the trainer has not reported';
  $('kpi-reward').textContent = t ? fmt(t.meanReward, 3) : '–';
  $('kpi-kl').textContent = t && t.approxKl != null ? `KL ${t.approxKl.toFixed(4)}` : 'KL –';
  $('kpi-steps').textContent = t ? fmt(t.agentStepsPerSecond) : '–';
  $('kpi-transitions').textContent = t ? `${fmt(t.transitionsPerSecond)} transitions/s in` : '';
  $('kpi-busy').textContent = t ? fmt(100 * t.busyShare) + '%' : '–';
  $('kpi-rate').textContent = t ? `busy · ${fmt(t.updatesPerSecond, 2)} updates/s` : '';
  $('kpi-source').textContent = t ? `${t.source}${t.converged ? ' · converged (policy final)' : ' · training'}` : '–';
  $('kpi-checkpoint').textContent = t ? (t.lastCheckpoint || (t.checkpointDirectory ? t.checkpointDirectory + ' (none yet)' : 'no checkpoints')) : '–';
  const members = s.cluster.members;
  $('node-count').textContent = `${members.length} members · leader ${s.cluster.leader || '–'}`;
  $('nodes').innerHTML = members.map(m => `
    <tr data-address="${esc(m.address)}" class="${m.reachable ? '' : 'unreachable'}">
      <td class="mono">${esc(m.address.replace(/^akka\.tcp:\/\//, ''))}${m.self ? ' <span class="dim">(this node)</span>' : ''}</td>
      <td>${m.roles.map(r => `<span class="pill ${esc(r)}">${esc(r)}</span>`).join('')}</td>
      <td class="status-${esc(m.status)}">${esc(m.status)}${m.reachable ? '' : ' · unreachable'}</td>
      <td>${m.nodeId ? esc(m.nodeId) : '<span class="dim">–</span>'}</td>
      <td class="num">${m.agents != null ? fmt(m.agents) : ''}</td>
      <td class="num agent-steps">${m.agentStepsPerSecond != null ? fmt(m.agentStepsPerSecond) : ''}</td>
      <td class="num">${m.policyVersion != null && m.policyVersion >= 0 ? 'v' + m.policyVersion : ''}</td>
    </tr>`).join('');
}

function redraw() {
  if (!$('view-cluster').classList.contains('active')) return;
  const u = state.updates;
  drawChart($('chart-reward'), [{ name: 'mean reward', points: u.map(p => [p.update, p.meanReward]), color: palette[0], width: 2 }],
    { xLabel: 'update', yLabel: 'reward', empty: 'no PPO update yet' });
  const names = [...new Set(state.throughput.flatMap(p => Object.keys(p.agentStepsPerSecond)))].sort();
  const t0 = state.throughput.length ? state.throughput[0].seconds : 0;
  drawChart($('chart-throughput'), names.map((n, i) => ({ name: n, color: palette[(i + 1) % palette.length],
    points: state.throughput.filter(p => n in p.agentStepsPerSecond).map(p => [p.seconds - t0, p.agentStepsPerSecond[n]]) })),
    { xLabel: 'seconds', yLabel: 'agent-steps/s', yMin: 0, empty: 'no simulation node has reported' });
  drawChart($('chart-learner'), [
    { name: 'busy share %', points: state.throughput.map(p => [p.seconds - t0, 100 * p.busyShare]), color: palette[1] },
    { name: 'KL (per update)', axis: 'right', points: u.filter(p => p.approxKl != null).map(p => [p.seconds - t0, p.approxKl]), color: palette[4], dash: [4, 3] },
  ], { xLabel: 'seconds', yLabel: 'busy %', y2Label: 'approx KL', yMin: 0, yMax: 100, y2Min: 0, empty: 'the learner has not reported' });
}
window.addEventListener('resize', redraw);

// ---- evaluation view ----
let shownReport = null;
function renderEvaluation(e) {
  if (!e.enabled) { $('eval-state').textContent = 'evaluation is off on this node (--no-evaluate, or the synthetic task)'; return; }
  const last = e.last, failed = e.lastFailure;
  if (!last) {
    $('eval-state').textContent = failed ? `last job failed (policy v${failed.policyVersion}): ${failed.reason}` : 'no report yet: one is written when training converges or on request';
    return;
  }
  const key = last.policyVersion + last.at;
  if (shownReport === key) return;
  shownReport = key;
  $('eval-title').textContent = last.title;
  $('eval-state').innerHTML = `policy v${last.policyVersion} · ${new Date(last.at).toLocaleString()} · <span class="mono">${esc(last.markdownPath || '')}</span>` +
    (failed ? `<br><span class="bad">a later job failed: ${esc(failed.reason)}</span>` : '');
  const rows = last.rows.filter(r => r.split === 'test');
  const methods = [...new Set(rows.map(r => r.method))];
  const metrics = [...new Set(rows.map(r => r.name + '|' + r.unit))];
  const best = {};
  for (const m of metrics) {
    const [name] = m.split('|'); const vals = rows.filter(r => r.name === name).map(r => r.value);
    best[m] = /AUC|PCK/i.test(name) ? Math.max(...vals) : Math.min(...vals);
  }
  $('eval-table').innerHTML = `<thead><tr><th>method (test split)</th>${metrics.map(m => { const [n, u] = m.split('|'); return `<th class="num">${esc(n)}${u ? ` <span class="dim">(${esc(u)})</span>` : ''}</th>`; }).join('')}</tr></thead>
    <tbody>${methods.map(method => `<tr class="${/BioPR$/.test(method) ? 'biopr' : ''}"><td>${esc(method)}</td>${metrics.map(m => {
      const [n] = m.split('|'); const r = rows.find(x => x.method === method && x.name === n);
      return `<td class="num ${r && r.value === best[m] ? 'best' : ''}">${r ? fmt(r.value, 2) : ''}</td>`; }).join('')}</tr>`).join('')}</tbody>`;
  $('eval-plots').innerHTML = last.plots.map((p, i) => `<figure><img src="api/evaluation/plots/${i}?v=${encodeURIComponent(key)}" alt="${esc(p)}"><figcaption>${esc(p)}</figcaption></figure>`).join('');
}

// ---- hand viewer ----
let handViewer = null;
function viewer() { if (!handViewer) { handViewer = new HandViewer($('viewer-canvas')); window.msmano.viewer = handViewer; } return handViewer; }
let playing = false, lastTick = 0, clipTime = 0;

function showError(message) { const box = $('viewer-error'); box.textContent = message; box.hidden = !message; }

function loadClipText(text, source) {
  let clip;
  try { clip = parseClip(text, source); }
  catch (e) {
    viewer().clear(); playing = false; $('play').textContent = '▶';
    $('clip-title').textContent = 'no clip loaded'; $('clip-description').textContent = ''; $('layers').innerHTML = '';
    $('frame').max = 0; $('frame-label').textContent = '– / –'; $('chart-series').hidden = true;
    showError(e instanceof ClipError ? e.message : `${source}: ${e.message}`);
    window.msmano.clip = null;
    return false;
  }
  showError('');
  const v = viewer(); v.load(clip);
  window.msmano.clip = clip;
  $('clip-title').textContent = clip.title;
  $('clip-description').textContent = clip.description;
  $('layers').innerHTML = clip.layers.map((l, i) => `<label><input type="checkbox" data-layer="${i}" checked><span class="swatch" style="background:${roleColor(l.role)}"></span>${esc(l.name)}</label>`).join('');
  $('layers').querySelectorAll('input').forEach(cb => cb.addEventListener('change', () => v.setVisible(clip.layers[+cb.dataset.layer].name, cb.checked)));
  $('frame').max = clip.frames - 1; clipTime = 0; setFrame(0);
  $('chart-series').hidden = clip.series.length === 0;
  document.querySelector('.colorbar').hidden = !clip.layers.some(l => l.activations);
  playing = clip.frames > 1; $('play').textContent = playing ? '❚❚' : '▶';
  return true;
}
window.msmano.loadClipText = loadClipText;

function setFrame(f) {
  const v = viewer(); if (!v.clip) return;
  v.setFrame(f);
  $('frame').value = v.frame;
  $('frame-label').textContent = `${v.frame + 1} / ${v.clip.frames} · ${(v.frame / v.clip.fps).toFixed(2)} s`;
  const top = v.topMuscles(3);
  $('muscle-hover').textContent = top.length ? 'most active: ' + top.map(([n, a]) => `${n} ${a.toFixed(2)}`).join(' · ') : '';
  if (v.clip.series.length) {
    drawChart($('chart-series'), v.clip.series.map((s, i) => ({ name: `${s.name} (${s.unit})`, points: s.values.map((y, k) => [k / v.clip.fps, y]), color: s.role ? roleColor(s.role) : palette[i % palette.length], marker: v.frame })),
      { xLabel: 'seconds', cursor: v.frame / v.clip.fps });
  }
}
window.msmano.setFrame = f => { playing = false; $('play').textContent = '▶'; setFrame(f); };

async function loadClipUrl(url, name) {
  try {
    const r = await fetch(url);
    const text = await r.text();
    if (!r.ok) { let m = text; try { m = JSON.parse(text).error || text; } catch { } return loadClipText('', name) || showError(`${name}: HTTP ${r.status}: ${m}`); }
    return loadClipText(text, name);
  } catch (e) { showError(`${name}: ${e.message}`); return false; }
}
window.msmano.loadClipUrl = loadClipUrl;

async function refreshClips() {
  try {
    const clips = await (await fetch('api/clips')).json();
    const sel = $('clip-select'), keep = sel.value;
    sel.innerHTML = `<option value="">${clips.length ? 'recorded clips…' : 'no clips recorded on this node'}</option>` +
      clips.map(c => `<option value="${esc(c.name)}">${esc(c.name)} (${fmt(c.bytes / 1024)} KB)</option>`).join('');
    sel.value = keep;
  } catch { /* keep the list */ }
}
$('clip-select').addEventListener('change', e => { if (e.target.value) loadClipUrl('api/clips/' + encodeURIComponent(e.target.value), e.target.value); });
$('clip-file').addEventListener('change', async e => { const f = e.target.files[0]; if (f) loadClipText(await f.text(), f.name); e.target.value = ''; });
$('frame').addEventListener('input', e => { playing = false; $('play').textContent = '▶'; clipTime = +e.target.value / (viewer().clip?.fps || 1); setFrame(+e.target.value); });
$('show-muscles').addEventListener('change', e => viewer().setMuscles(e.target.checked));
$('play').addEventListener('click', () => { if (!viewer().clip) return; playing = !playing; $('play').textContent = playing ? '❚❚' : '▶'; });

function tick(now) {
  const dt = lastTick ? (now - lastTick) / 1000 : 0; lastTick = now;
  const v = handViewer;
  if (playing && v && v.clip) {
    clipTime += dt * +$('speed').value;
    const duration = v.clip.frames / v.clip.fps;
    if (clipTime >= duration) clipTime = 0;
    const f = Math.floor(clipTime * v.clip.fps);
    if (f !== v.frame) setFrame(f);
  }
  requestAnimationFrame(tick);
}
requestAnimationFrame(tick);

// ---- start ----
const params = new URLSearchParams(location.search);
await loadHistory();
connect();
show(['cluster', 'evaluation', 'viewer'].includes(location.hash.slice(1)) ? location.hash.slice(1) : 'cluster');
if (params.get('clip')) {
  // ?clip=NAME[&frame=N]: a link to one frame of a recorded clip.
  show('viewer');
  loadClipUrl('api/clips/' + encodeURIComponent(params.get('clip')), params.get('clip'))
    .then(ok => { if (ok && params.get('frame')) window.msmano.setFrame(+params.get('frame')); });
}
