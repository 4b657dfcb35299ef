/** query_events as a picture: the events on a time axis, one lane per subject, then the list. */
import { appPage } from './page.js';

const SCRIPT = `
const DRAWS = 'events';
const SEVERITY_COLOR = { CRITICAL: '#c5221f', MAJOR: '#e8710a', MINOR: '#1a73e8', LOW: '#80868b' };
function render(data, root) {
  const events = list(data.events).filter((e) => e && typeof e === 'object');
  root.append(el('h1', events.length + ' event(s)' + (data.hasMore ? ' (more exist)' : '')));
  root.append(el('p', (data.from ? str(data.from) : 'the beginning') + ' → ' + str(data.to), 'note'));
  if (events.length === 0) { root.append(el('p', 'No events match these filters.', 'note')); return; }
  const times = events.map((e) => Date.parse(str(e.time))).filter((t) => Number.isFinite(t));
  const lo = Math.min(...times), hi = Math.max(...times), span = Math.max(hi - lo, 1);
  const lanes = [...new Set(events.map((e) => str(e.subject) || '(no subject)'))];
  const width = 640, left = 130, laneHeight = 22, top = 8;
  const height = top + lanes.length * laneHeight + 24;
  const chart = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, width: '100%', role: 'img', 'aria-label': 'events over time by subject' });
  lanes.forEach((lane, i) => {
    const y = top + i * laneHeight + laneHeight / 2;
    chart.append(svg('text', { x: left - 6, y: y + 4, 'text-anchor': 'end', 'font-size': 11, fill: 'currentColor' }, lane.slice(0, 22)));
    chart.append(svg('line', { x1: left, x2: width - 8, y1: y, y2: y, stroke: '#d7d9de' }));
  });
  for (const e of events) {
    const t = Date.parse(str(e.time));
    if (!Number.isFinite(t)) continue;
    const x = left + ((t - lo) / span) * (width - left - 16);
    const y = top + lanes.indexOf(str(e.subject) || '(no subject)') * laneHeight + laneHeight / 2;
    const dot = svg('circle', { cx: x.toFixed(1), cy: y, r: 5, fill: SEVERITY_COLOR[str(e.severity)] || '#5f6368' });
    dot.append(svg('title', {}, str(e.time) + ' ' + str(e.type) + ' ' + str(e.source) + (e.version ? ' ' + str(e.version) : '')));
    chart.append(dot);
  }
  const axisY = top + lanes.length * laneHeight + 16;
  chart.append(svg('text', { x: left, y: axisY, 'font-size': 10, fill: 'currentColor' }, new Date(lo).toISOString().slice(0, 16).replace('T', ' ')));
  chart.append(svg('text', { x: width - 8, y: axisY, 'font-size': 10, 'text-anchor': 'end', fill: 'currentColor' }, new Date(hi).toISOString().slice(0, 16).replace('T', ' ')));
  root.append(chart);
  const table = el('table');
  const head = el('tr');
  for (const h of ['time', 'type', 'source → subject', 'version', 'severity', 'description']) head.append(el('th', h));
  table.append(head);
  for (const e of events) {
    const row = el('tr');
    const description = e.data && typeof e.data === 'object' ? e.data.description : undefined;
    for (const v of [str(e.time).replace('T', ' ').slice(0, 19), e.type, str(e.source) + (e.subject ? ' → ' + str(e.subject) : ''), e.version, e.severity, description === undefined ? '' : str(description).slice(0, 200)])
      row.append(el('td', str(v)));
    row.firstChild.title = 'id ' + str(e.id);
    table.append(row);
  }
  root.append(table);
}
`;

export const TIMELINE_VIEW = {
  uri: 'ui://opstrails/timeline.html',
  name: 'timeline-view',
  title: 'Timeline (picture)',
  description: 'Draws query_events: the events on a time axis, one lane per subject, and the list.',
  tools: ['query_events'],
  html: appPage({
    title: 'OpsTrails timeline',
    script: SCRIPT,
    style: 'svg { display: block; margin-bottom: 8px; }',
  }),
};
