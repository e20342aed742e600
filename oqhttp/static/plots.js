// Plots of outputs, drawn as inline SVG from their CSV export. RENDERERS maps an output
// type (the "type" of /v1/calc/:calc_id/results) to the function drawing it: a new kind
// of output is one more entry there.

const SVG_NS = 'http://www.w3.org/2000/svg';
const COLORS = ['#1f5fa8', '#d1495b', '#2e933c', '#edae49', '#6b3fa0', '#00798c',
  '#8c564b', '#e377c2', '#7f7f7f', '#17becf'];
const WIDTH = 720, HEIGHT = 440;
const MARGIN = { left: 72, right: 16, top: 34, bottom: 52 };
const NOT_VALUES = new Set(['lon', 'lat', 'depth', 'custom_site_id', 'site_id']);

function svg(tag, attrs = {}, text = null) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== null) el.textContent = text;
  return el;
}

function html(tag, attrs = {}, text = null) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== null) el.textContent = text;
  return el;
}

/** A number for a tick label: 0.001 -> "0.001", 1e-6 -> "1e-6". */
export function formatNumber(v) {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e5) return String(Number(v.toPrecision(4)));
  return v.toExponential(1).replace('.0e', 'e').replace('e+', 'e');
}

/**
 * A scale of ``values`` onto the pixels [a, b]: {at(v), ticks}. Log scales span whole
 * decades; linear ones round numbers (from 0 when ``fromZero``).
 */
export function makeScale(values, log, a, b, fromZero = false) {
  let lo = Math.min(...values), hi = Math.max(...values);
  let ticks = [];
  if (log) {
    lo = Math.floor(Math.log10(lo));
    hi = Math.ceil(Math.log10(hi));
    if (lo === hi) { lo -= 1; hi += 1; }
    const every = Math.ceil((hi - lo) / 8);
    for (let k = lo; k <= hi; k += every) ticks.push(10 ** k);
  } else {
    if (fromZero) lo = Math.min(0, lo);
    if (lo === hi) { lo -= Math.abs(lo) || 1; hi += Math.abs(hi) || 1; }
    const raw = (hi - lo) / 6;
    const unit = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 5, 10].map((f) => f * unit).find((s) => s >= raw);
    lo = Math.floor(lo / step) * step;
    hi = Math.ceil(hi / step) * step;
    for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  }
  const at = (v) => a + (b - a) * ((log ? Math.log10(v) : v) - lo) / (hi - lo);
  return { at, ticks };
}

function axes(root, xs, ys, xlabel, ylabel, title, x1 = WIDTH - MARGIN.right) {
  const x0 = MARGIN.left;
  const y0 = HEIGHT - MARGIN.bottom, y1 = MARGIN.top;
  for (const t of xs.ticks) {
    const x = xs.at(t);
    root.append(svg('line', { class: 'grid', x1: x, x2: x, y1, y2: y0 }));
    root.append(svg('text', { x, y: y0 + 16, 'text-anchor': 'middle' }, formatNumber(t)));
  }
  for (const t of ys.ticks) {
    const y = ys.at(t);
    root.append(svg('line', { class: 'grid', x1: x0, x2: x1, y1: y, y2: y }));
    root.append(svg('text', { x: x0 - 6, y: y + 4, 'text-anchor': 'end' }, formatNumber(t)));
  }
  root.append(svg('rect', { class: 'axis', x: x0, y: y1, width: x1 - x0, height: y0 - y1,
    fill: 'none' }));
  root.append(svg('text', { x: (x0 + x1) / 2, y: HEIGHT - 12, 'text-anchor': 'middle' }, xlabel));
  root.append(svg('text', { x: 16, y: (y0 + y1) / 2, 'text-anchor': 'middle',
    transform: `rotate(-90 16 ${(y0 + y1) / 2})` }, ylabel));
  root.append(svg('text', { x: (x0 + x1) / 2, y: 20, 'text-anchor': 'middle',
    'font-weight': 'bold' }, title));
}

function frame(title) {
  return svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': title });
}

/**
 * An SVG line chart. ``series`` = [{label, points: [[x, y], ...]}]; points that a log
 * axis cannot show (<= 0) and non-numbers are left out.
 */
export function lineChart({ series, xlog = false, ylog = false, xlabel, ylabel, title }) {
  const ok = ([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!xlog || x > 0) &&
    (!ylog || y > 0);
  const shown = series.map((s) => ({ ...s, points: s.points.filter(ok) }))
    .filter((s) => s.points.length);
  const root = frame(title);
  if (!shown.length) {
    root.append(svg('text', { x: WIDTH / 2, y: HEIGHT / 2, 'text-anchor': 'middle' },
      'Nothing to plot: no positive values'));
    return root;
  }
  const all = shown.flatMap((s) => s.points);
  const xs = makeScale(all.map((p) => p[0]), xlog, MARGIN.left, WIDTH - MARGIN.right);
  const ys = makeScale(all.map((p) => p[1]), ylog, HEIGHT - MARGIN.bottom, MARGIN.top, !ylog);
  axes(root, xs, ys, xlabel, ylabel, title);
  shown.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const d = s.points.map(([x, y], j) => `${j ? 'L' : 'M'}${xs.at(x).toFixed(1)},${ys.at(y).toFixed(1)}`);
    root.append(svg('path', { d: d.join(''), fill: 'none', stroke: color, 'stroke-width': 2,
      class: 'series' }));
    for (const [x, y] of s.points) {
      const dot = svg('circle', { cx: xs.at(x), cy: ys.at(y), r: 2.5, fill: color });
      dot.append(svg('title', {}, `${s.label}: ${formatNumber(x)}, ${formatNumber(y)}`));
      root.append(dot);
    }
    const ly = MARGIN.top + 14 + 16 * i, lx = WIDTH - MARGIN.right - 170;
    root.append(svg('line', { x1: lx, x2: lx + 22, y1: ly - 4, y2: ly - 4, stroke: color,
      'stroke-width': 2 }));
    root.append(svg('text', { x: lx + 28, y: ly }, s.label));
  });
  return root;
}

/** A colour of the value ``t`` in [0, 1] (blue, green, yellow, red). */
function colorOf(t) {
  const stops = [[49, 54, 149], [69, 170, 120], [240, 220, 60], [215, 48, 39]];
  const x = Math.min(Math.max(t, 0), 1) * (stops.length - 1);
  const i = Math.min(Math.floor(x), stops.length - 2), f = x - i;
  const c = stops[i].map((v, k) => Math.round(v + (stops[i + 1][k] - v) * f));
  return `rgb(${c.join(',')})`;
}

/** An SVG map: ``points`` = [{lon, lat, value}] as dots coloured by value, with a scale. */
export function mapChart({ points, title, label }) {
  const root = frame(title);
  const ok = points.filter((p) => [p.lon, p.lat, p.value].every(Number.isFinite));
  if (!ok.length) {
    root.append(svg('text', { x: WIDTH / 2, y: HEIGHT / 2, 'text-anchor': 'middle' },
      'Nothing to plot'));
    return root;
  }
  const right = WIDTH - MARGIN.right - 90;
  const padded = (values) => {
    const lo = Math.min(...values), hi = Math.max(...values), pad = (hi - lo) * 0.05 || 0.1;
    return [lo - pad, hi + pad];
  };
  const xs = makeScale(padded(ok.map((p) => p.lon)), false, MARGIN.left, right);
  const ys = makeScale(padded(ok.map((p) => p.lat)), false, HEIGHT - MARGIN.bottom, MARGIN.top);
  axes(root, xs, ys, 'Longitude', 'Latitude', title, right);
  const lo = Math.min(...ok.map((p) => p.value)), hi = Math.max(...ok.map((p) => p.value));
  const norm = (v) => (hi > lo ? (v - lo) / (hi - lo) : 0.5);
  for (const p of ok) {
    const dot = svg('circle', { cx: xs.at(p.lon), cy: ys.at(p.lat), r: 6,
      fill: colorOf(norm(p.value)), stroke: '#333', 'stroke-width': 0.5 });
    dot.append(svg('title', {}, `${p.lon}, ${p.lat}: ${formatNumber(p.value)}`));
    root.append(dot);
  }
  const bx = WIDTH - MARGIN.right - 60, top = MARGIN.top + 20, h = 200;
  for (let k = 0; k < 20; k++) {
    root.append(svg('rect', { x: bx, y: top + (h * k) / 20, width: 16, height: h / 20 + 0.5,
      fill: colorOf(1 - k / 19) }));
  }
  root.append(svg('text', { x: bx + 20, y: top + 8 }, formatNumber(hi)));
  root.append(svg('text', { x: bx + 20, y: top + h }, formatNumber(lo)));
  root.append(svg('text', { x: bx - 4, y: top - 8 }, label));
  return root;
}

/** Labelled <select>s above a plot; ``redraw`` runs on every change. */
function controls(container, specs, redraw) {
  const bar = html('div', { class: 'controls' });
  const selects = {};
  for (const spec of specs) {
    const label = html('label', {}, spec.label);
    const select = html('select', { name: spec.name });
    for (const [value, text] of spec.options) {
      select.append(html('option', { value }, text));
    }
    select.addEventListener('change', redraw);
    label.append(select);
    bar.append(label);
    selects[spec.name] = select;
  }
  container.append(bar);
  return selects;
}

function siteOptions(table) {
  const lon = table.header.indexOf('lon'), lat = table.header.indexOf('lat');
  return table.rows.map((row, i) => [String(i), `site ${i} (${row[lon]}, ${row[lat]})`]);
}

const kindOf = (table) => table.meta.kind || table.name.replace(/(_\d+)?\.csv$/, '');
const unique = (values) => [...new Set(values)];

/** The period of an IMT for a spectrum (PGA = 0, SA(T) = T; others: null). */
export function periodOf(imt) {
  if (imt === 'PGA') return 0;
  const m = /^SA\(([\d.eE+-]+)\)$/.exec(imt);
  return m ? Number(m[1]) : null;
}

function draw(container, chart) {
  container.querySelector('svg')?.remove();
  container.querySelector('.plot-message')?.remove();
  container.append(chart);
}

/** Hazard curves: files with ``poe-<level>`` columns, one per IMT and kind. */
export function hazardCurves(tables, container, title) {
  const curves = tables.filter((t) => t.header.some((h) => h.startsWith('poe-')));
  const imtOf = (t) => t.meta.imt || (/-([A-Za-z]+(\([\d.]+\))?)(_\d+)?\.csv$/.exec(t.name) || [])[1];
  const imts = unique(curves.map(imtOf));
  const sel = controls(container, [
    { name: 'imt', label: 'IMT', options: imts.map((i) => [i, i]) },
    { name: 'site', label: 'Site', options: siteOptions(curves[0]) },
  ], () => redraw());
  const redraw = () => {
    const site = Number(sel.site.value), imt = sel.imt.value;
    const series = curves.filter((t) => imtOf(t) === imt).map((t) => {
      const points = [];
      t.header.forEach((h, j) => {
        if (h.startsWith('poe-')) points.push([Number(h.slice(4)), t.rows[site][j]]);
      });
      return { label: kindOf(t), points };
    });
    const years = curves[0].meta.investigation_time;
    draw(container, lineChart({ series, xlog: true, ylog: true, xlabel: `${imt} (g)`,
      ylabel: years ? `Probability of exceedance in ${years} years` : 'Probability of exceedance',
      title: `${title}: ${imt}, site ${site}` }));
  };
  redraw();
}

/** Uniform hazard spectra: columns ``<poe>~<IMT>``, one file per kind. */
export function spectra(tables, container, title) {
  const uhs = tables.filter((t) => t.header.some((h) => h.includes('~')));
  const poes = unique(uhs[0].header.filter((h) => h.includes('~')).map((h) => h.split('~')[0]));
  const sel = controls(container, [
    { name: 'poe', label: 'PoE', options: poes.map((p) => [p, String(Number(p))]) },
    { name: 'site', label: 'Site', options: siteOptions(uhs[0]) },
  ], () => redraw());
  const redraw = () => {
    const site = Number(sel.site.value), poe = sel.poe.value;
    const series = uhs.map((t) => {
      const points = [];
      t.header.forEach((h, j) => {
        const [p, imt] = h.split('~');
        const period = periodOf(imt);
        if (p === poe && period !== null) points.push([period, t.rows[site][j]]);
      });
      return { label: kindOf(t), points: points.sort((a, b) => a[0] - b[0]) };
    });
    draw(container, lineChart({ series, xlabel: 'Period (s)', ylabel: 'Spectral acceleration (g)',
      title: `${title}: PoE ${Number(poe)}, site ${site}` }));
  };
  redraw();
}

/** Hazard maps: one value column per IMT and PoE (or per IMT), one file per kind. */
export function hazardMaps(tables, container, title) {
  const maps = tables.filter((t) => t.header.includes('lon') && t.header.includes('lat'));
  const sel = controls(container, [
    { name: 'table', label: 'Map', options: maps.map((t, i) => [String(i), kindOf(t)]) },
    { name: 'column', label: 'Value', options: maps[0].header
      .filter((h) => !NOT_VALUES.has(h)).map((h) => [h, h]) },
  ], () => redraw());
  const redraw = () => {
    const t = maps[Number(sel.table.value)];
    const col = t.header.indexOf(sel.column.value);
    if (col < 0) {
      draw(container, html('p', { class: 'error plot-message' },
        `${kindOf(t)} has no ${sel.column.value}`));
      return;
    }
    const lon = t.header.indexOf('lon'), lat = t.header.indexOf('lat');
    const points = t.rows.map((r) => ({ lon: r[lon], lat: r[lat], value: r[col] }));
    draw(container, mapChart({ points, label: sel.column.value,
      title: `${title}: ${kindOf(t)}, ${sel.column.value}` }));
  };
  redraw();
}

/** Output type -> the function drawing its CSV export (tables, container, title). */
export const RENDERERS = {
  hcurves: hazardCurves,
  'hcurves-stats': hazardCurves,
  'hcurves-rlzs': hazardCurves,
  uhs: spectra,
  'uhs-stats': spectra,
  hmaps: hazardMaps,
  'hmaps-stats': hazardMaps,
};

/** The renderer of an output type, or null when it has none. */
export const plotterOf = (type) => RENDERERS[type] || null;
