// A small line chart on a 2D canvas: several series of [x, y] points, shared axes, a legend. No dependencies.
export const palette = ['#5aa9ff', '#ffb454', '#3ecf8e', '#ff7a90', '#b48cff', '#4fd1c5', '#f5e663', '#ff9f43'];

function niceStep(range, ticks) {
  const raw = range / Math.max(1, ticks);
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const n = raw / mag;
  return (n < 1.5 ? 1 : n < 3 ? 2 : n < 7 ? 5 : 10) * mag;
}

function format(v) {
  const a = Math.abs(v);
  if (a >= 1e6) return (v / 1e6).toFixed(1) + 'M';
  if (a >= 1e4) return (v / 1e3).toFixed(0) + 'k';
  if (a >= 1e3) return (v / 1e3).toFixed(1) + 'k';
  if (a >= 10 || a === 0) return v.toFixed(0);
  if (a >= 1) return v.toFixed(1);
  return v.toPrecision(2);
}

/**
 * series: [{ name, color?, points: [[x, y], ...], axis?: 'left'|'right' }]
 * options: { xLabel, yLabel, y2Label, yMin, yMax, empty }
 */
export function drawChart(canvas, series, options = {}) {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth, h = canvas.clientHeight;
  if (w === 0 || h === 0) return;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr);
  }
  const g = canvas.getContext('2d');
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, w, h);
  const pad = { l: 52, r: options.y2Label ? 66 : 14, t: 24, b: 34 };
  const pw = w - pad.l - pad.r, ph = h - pad.t - pad.b;
  const all = series.filter(s => s.points.length > 0);
  g.font = '11px system-ui, sans-serif';
  if (all.length === 0) {
    g.fillStyle = '#8b95a7'; g.textAlign = 'center';
    g.fillText(options.empty || 'no data yet', w / 2, h / 2);
    return;
  }
  const axes = {};
  for (const side of ['left', 'right']) {
    const pts = all.filter(s => (s.axis || 'left') === side).flatMap(s => s.points);
    if (pts.length === 0) continue;
    let lo = side === 'left' && options.yMin !== undefined ? options.yMin : Math.min(...pts.map(p => p[1]));
    let hi = side === 'left' && options.yMax !== undefined ? options.yMax : Math.max(...pts.map(p => p[1]));
    if (side === 'right' && options.y2Min !== undefined) lo = options.y2Min;
    if (hi - lo < 1e-12) { hi += Math.abs(hi) * 0.1 + 1e-3; lo -= Math.abs(lo) * 0.1 + 1e-3; }
    const m = (hi - lo) * 0.06; axes[side] = { lo: lo - (options.yMin !== undefined && side === 'left' ? 0 : m), hi: hi + m };
  }
  const xs = all.flatMap(s => s.points.map(p => p[0]));
  let x0 = Math.min(...xs), x1 = Math.max(...xs);
  if (x1 - x0 < 1e-9) x1 = x0 + 1;
  const X = x => pad.l + (x - x0) / (x1 - x0) * pw;
  const Y = (y, side) => { const a = axes[side]; return pad.t + ph - (y - a.lo) / (a.hi - a.lo) * ph; };

  g.strokeStyle = '#2a3342'; g.fillStyle = '#8b95a7'; g.lineWidth = 1;
  const left = axes.left || axes.right; const leftSide = axes.left ? 'left' : 'right';
  const ys = niceStep(left.hi - left.lo, 5);
  g.textAlign = 'right'; g.textBaseline = 'middle';
  for (let y = Math.ceil(left.lo / ys) * ys; y <= left.hi; y += ys) {
    const py = Y(y, leftSide);
    g.beginPath(); g.moveTo(pad.l, py); g.lineTo(pad.l + pw, py); g.stroke();
    g.fillText(format(y), pad.l - 6, py);
  }
  if (axes.right && axes.left) {
    const rs = niceStep(axes.right.hi - axes.right.lo, 5);
    g.textAlign = 'left';
    for (let y = Math.ceil(axes.right.lo / rs) * rs; y <= axes.right.hi; y += rs) g.fillText(format(y), pad.l + pw + 6, Y(y, 'right'));
  }
  const xsStep = niceStep(x1 - x0, 6);
  g.textAlign = 'center'; g.textBaseline = 'top';
  for (let x = Math.ceil(x0 / xsStep) * xsStep; x <= x1; x += xsStep) g.fillText(format(x), X(x), pad.t + ph + 5);
  if (options.xLabel) g.fillText(options.xLabel, pad.l + pw / 2, pad.t + ph + 19);
  g.save(); g.translate(12, pad.t + ph / 2); g.rotate(-Math.PI / 2); g.textBaseline = 'middle';
  if (options.yLabel) g.fillText(options.yLabel, 0, 0);
  g.restore();
  if (options.y2Label) { g.save(); g.translate(w - 8, pad.t + ph / 2); g.rotate(Math.PI / 2); g.textAlign = 'center'; g.fillText(options.y2Label, 0, 0); g.restore(); }

  g.save(); g.beginPath(); g.rect(pad.l, pad.t, pw, ph); g.clip();
  all.forEach((s, i) => {
    g.strokeStyle = s.color || palette[i % palette.length]; g.lineWidth = s.width || 1.8; g.setLineDash(s.dash || []);
    g.beginPath();
    s.points.forEach((p, k) => { const px = X(p[0]), py = Y(p[1], s.axis || 'left'); k ? g.lineTo(px, py) : g.moveTo(px, py); });
    g.stroke();
    if (s.marker !== undefined) {
      const p = s.points[Math.min(s.points.length - 1, s.marker)];
      if (p) { g.fillStyle = g.strokeStyle; g.beginPath(); g.arc(X(p[0]), Y(p[1], s.axis || 'left'), 4, 0, 7); g.fill(); }
    }
  });
  g.restore(); g.setLineDash([]);
  if (options.cursor !== undefined) {
    g.strokeStyle = '#e6e9ef55'; g.beginPath(); g.moveTo(X(options.cursor), pad.t); g.lineTo(X(options.cursor), pad.t + ph); g.stroke();
  }
  g.textAlign = 'left'; g.textBaseline = 'middle';
  let lx = pad.l + 8;
  all.forEach((s, i) => {
    g.fillStyle = s.color || palette[i % palette.length];
    g.fillRect(lx, 8, 14, 3);
    g.fillStyle = '#c9d1dd'; g.fillText(s.name, lx + 18, 9);
    lx += 30 + g.measureText(s.name).width;
  });
}
