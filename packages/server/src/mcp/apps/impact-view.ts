/** get_metrics_around_event as a picture: each metric before and after, bars side by side, coloured by verdict. */
import { appPage } from './page.js';

const SCRIPT = `
const DRAWS = 'summary';
const VERDICT_CLASS = { regressed: 'bad', improved: 'good', changed: 'warn' };
function num(side) {
  if (!side || typeof side !== 'object') return null;
  const v = typeof side.p50 === 'number' ? side.p50 : side.mean;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
function fmt(v) { return v === null ? '—' : Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3); }
function render(data, root) {
  const anchor = data.anchor || {};
  root.append(el('h1', 'Impact ' + (anchor.eventId ? 'of ' + str(anchor.eventId) : 'at ' + str(anchor.time)) + (anchor.subject ? ' on ' + str(anchor.subject) : '')));
  const summary = data.summary || {};
  root.append(el('p', str(summary.text || data.message), VERDICT_CLASS[str(summary.verdict)] || 'note'));
  const w = data.window || {};
  if (w.before && w.after) root.append(el('p', 'before ' + str(w.before.from) + ' → ' + str(w.before.to) + ' · after ' + str(w.after.from) + ' → ' + str(w.after.to) + (data.provisional ? ' (provisional)' : ''), 'note'));
  const metrics = list(data.metrics).filter((m) => m && typeof m === 'object');
  if (metrics.length > 0) {
    const rowHeight = 40, width = 640, left = 170, top = 4;
    const chart = svg('svg', { viewBox: '0 0 ' + width + ' ' + (top + metrics.length * rowHeight), width: '100%', role: 'img', 'aria-label': 'metrics before and after' });
    metrics.forEach((m, i) => {
      const before = num(m.before), after = num(m.after);
      const max = Math.max(Math.abs(before || 0), Math.abs(after || 0), 1e-9);
      const y = top + i * rowHeight;
      const colour = { regressed: '#c5221f', improved: '#188038', changed: '#b06000' }[str(m.verdict)] || '#5f6368';
      chart.append(svg('text', { x: 0, y: y + 14, 'font-size': 11, fill: 'currentColor' }, str(m.metric).slice(0, 26)));
      chart.append(svg('text', { x: 0, y: y + 28, 'font-size': 10, fill: colour }, str(m.verdict).replace(/_/g, ' ')));
      const bar = (value, dy, fill, label) => {
        const length = value === null ? 0 : (Math.abs(value) / max) * (width - left - 90);
        chart.append(svg('rect', { x: left, y: y + dy, width: length.toFixed(1), height: 12, fill }));
        chart.append(svg('text', { x: left + length + 4, y: y + dy + 10, 'font-size': 10, fill: 'currentColor' }, label + ' ' + fmt(value) + (m.unit ? ' ' + str(m.unit) : '')));
      };
      bar(before, 4, '#9aa0a6', 'before');
      bar(after, 20, colour, 'after');
    });
    root.append(chart);
    const ul = el('ul');
    for (const m of metrics) ul.append(el('li', str(m.reason)));
    root.append(ul);
  }
  const overlapping = list(data.overlapping);
  if (overlapping.length > 0) {
    root.append(el('h1', 'Other events in these windows'));
    const ul = el('ul');
    for (const o of overlapping) ul.append(el('li', str(o.time) + ' ' + str(o.type) + ' ' + str(o.source) + (o.version ? ' ' + str(o.version) : '') + ' (id ' + str(o.id) + ')'));
    root.append(ul);
  }
}
`;

export const IMPACT_VIEW = {
  uri: 'ui://opstrails/impact.html',
  name: 'impact-view',
  title: 'Impact chart (picture)',
  description: 'Draws get_metrics_around_event: each metric before and after the event, by verdict.',
  tools: ['get_metrics_around_event'],
  html: appPage({ title: 'OpsTrails impact', script: SCRIPT }),
};
