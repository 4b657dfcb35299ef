/** The environment grid as a picture: sources down, subjects across, the version in each cell, drift marked. */
import { appPage } from './page.js';

const SCRIPT = String.raw`
const DRAWS = 'cells';
function render(data, root) {
  const subjects = list(data.subjects).map(str);
  const sources = list(data.sources).map(str);
  const cells = new Map();
  for (const c of list(data.cells)) cells.set(str(c.source) + '\u0000' + str(c.subject), c);
  const drifted = new Map();
  for (const d of list(data.drift)) for (const m of list(d.marks)) drifted.set(str(d.source) + '\u0000' + str(m.subject), str(m.kind));
  root.append(el('h1', 'Environment grid'));
  root.append(el('p', sources.length + ' source(s) × ' + subjects.length + ' subject(s), events since ' + str(data.since), 'note'));
  if (sources.length === 0 || subjects.length === 0) { root.append(el('p', 'No events with a subject in this range.', 'note')); return; }
  const table = el('table');
  const head = el('tr');
  head.append(el('th', 'source \\ subject'));
  for (const subject of subjects) head.append(el('th', subject));
  table.append(head);
  for (const source of sources) {
    const row = el('tr');
    row.append(el('th', source));
    for (const subject of subjects) {
      const td = el('td');
      const c = cells.get(source + '\u0000' + subject);
      if (c) {
        td.append(el('strong', c.latestVersion === null || c.latestVersion === undefined ? '—' : str(c.latestVersion), 'version'));
        td.append(el('div', str(c.type) + ' · ' + str(c.time).replace('T', ' ').slice(0, 16) + (c.severity ? ' · ' + str(c.severity) : ''), 'note'));
        const kind = drifted.get(source + '\u0000' + subject);
        if (kind) { td.className = 'warn drift'; td.append(el('div', 'drift: ' + kind, 'warn')); }
      }
      row.append(td);
    }
    table.append(row);
  }
  root.append(table);
  const drift = list(data.drift);
  root.append(el('h1', drift.length === 0 ? 'No drift between environments' : 'Drift'));
  const ul = el('ul');
  for (const d of drift) ul.append(el('li', str(d.summary)));
  if (drift.length > 0) root.append(ul);
}
`;

export const GRID_VIEW = {
  uri: 'ui://opstrails/environment-grid.html',
  name: 'environment-grid-view',
  title: 'Environment grid (picture)',
  description: 'Draws get_environment_grid: which version runs where, drift marked.',
  tools: ['get_environment_grid'],
  html: appPage({
    title: 'OpsTrails environment grid',
    script: SCRIPT,
    style: '.version { font-size: 14px; } td.drift { background: rgba(176, 96, 0, 0.08); }',
  }),
};
