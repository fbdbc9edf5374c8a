// Small SVG charts drawn from API data: stacked bars by day, ranked bars, and lines over days.
import { h, s } from './dom.js';

const WIDTH = 720;
const HEIGHT = 240;
const MARGIN = { top: 12, right: 16, bottom: 36, left: 44 };

function niceMax(value) {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * power >= value);
  return step * power;
}

function yAxis(max, format = (v) => String(v)) {
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  return ticks.map((tick) => {
    const y = MARGIN.top + plotHeight - (tick / max) * plotHeight;
    return s('g', { class: 'tick' },
      s('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y, y2: y, class: 'grid' }),
      s('text', { x: MARGIN.left - 6, y: y + 4, 'text-anchor': 'end' }, format(tick)));
  });
}

function xLabels(days, x) {
  const every = Math.max(1, Math.ceil(days.length / 10));
  return days.map((day, i) => (i % every === 0 || i === days.length - 1
    ? s('text', { x: x(i), y: HEIGHT - MARGIN.bottom + 16, 'text-anchor': 'middle', class: 'x-label' }, day.slice(5))
    : null));
}

function frame(label, ...children) {
  return s('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': label, class: 'chart', preserveAspectRatio: 'xMidYMid meet' },
    s('title', {}, label), ...children);
}

/** A legend with one swatch per series. */
export function legend(series) {
  return h('ul', { class: 'legend' }, series.map(({ label, className }) =>
    h('li', {}, h('span', { class: ['swatch', className], 'aria-hidden': 'true' }), label)));
}

/** Bars per day, stacked by series: rows = [{ day, values: { key: n } }], series = [{ key, label, className }]. */
export function stackedBars(label, rows, series) {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const max = niceMax(Math.max(0, ...rows.map((r) => series.reduce((sum, { key }) => sum + (r.values[key] ?? 0), 0))));
  const band = plotWidth / Math.max(rows.length, 1);
  const barWidth = Math.max(2, band * 0.7);
  const x = (i) => MARGIN.left + band * i + band / 2;
  const bars = rows.map((row, i) => {
    let base = 0;
    return series.map(({ key, label: name, className }) => {
      const value = row.values[key] ?? 0;
      if (value === 0) return null;
      const height = (value / max) * plotHeight;
      const y = MARGIN.top + plotHeight - ((base + value) / max) * plotHeight;
      base += value;
      return s('rect', { x: x(i) - barWidth / 2, y, width: barWidth, height, class: ['bar', className] },
        s('title', {}, `${row.day}: ${value} ${name}`));
    });
  });
  return frame(label, yAxis(max, (v) => (Number.isInteger(v) ? String(v) : v.toFixed(1))), bars, xLabels(rows.map((r) => r.day), x));
}

/** Horizontal bars, largest first: items = [{ label, title, value }]. */
export function rankedBars(label, items) {
  const rowHeight = 26;
  const left = 330;
  const clip = (text) => (text.length > 44 ? `${text.slice(0, 43)}…` : text);
  const height = Math.max(rowHeight * items.length + 8, 40);
  const max = Math.max(1, ...items.map((i) => i.value));
  const width = WIDTH - left - 48;
  return s('svg', { viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', 'aria-label': label, class: 'chart ranked' },
    s('title', {}, label),
    items.map((item, i) => {
      const y = 4 + i * rowHeight;
      const barWidth = Math.max(2, (item.value / max) * width);
      return s('g', {},
        s('text', { x: left - 8, y: y + 16, 'text-anchor': 'end', class: 'rank-label' }, s('title', {}, item.label), clip(item.label)),
        s('rect', { x: left, y: y + 3, width: barWidth, height: rowHeight - 8, class: 'bar bar-rule' }, s('title', {}, `${item.title}: ${item.value}`)),
        s('text', { x: left + barWidth + 6, y: y + 16, class: 'rank-value' }, String(item.value)));
    }));
}

/** Lines over days from 0 to 1: days = ['2026-12-01', …], series = [{ label, className, values: [share | null] }]. */
export function shareLines(label, days, series) {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const step = days.length > 1 ? plotWidth / (days.length - 1) : 0;
  const x = (i) => MARGIN.left + (days.length > 1 ? step * i : plotWidth / 2);
  const y = (v) => MARGIN.top + plotHeight - v * plotHeight;
  const lines = series.map(({ label: name, className, values }) => {
    const points = values.map((v, i) => (v === null || v === undefined ? null : [x(i), y(v), v, days[i]])).filter(Boolean);
    const path = points.map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${px.toFixed(1)},${py.toFixed(1)}`).join(' ');
    return s('g', { class: ['series', className] },
      points.length > 1 ? s('path', { d: path, class: 'line' }) : null,
      points.map(([px, py, v, day]) => s('circle', { cx: px, cy: py, r: 3.5, class: 'point' }, s('title', {}, `${day}: ${name} ${Math.round(v * 100)}%`))));
  });
  return frame(label, yAxis(1, (v) => `${Math.round(v * 100)}%`), lines, xLabels(days, x));
}

/** The numbers behind a chart, for screen readers and for copying. */
export function dataTable(caption, columns, rows) {
  return h('details', { class: 'chart-data' },
    h('summary', {}, `${caption}: the numbers`),
    h('table', {},
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map((row) => h('tr', {}, row.map((cell) => h('td', {}, cell)))))));
}
