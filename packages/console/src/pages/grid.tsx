/**
 * Grid: sources (rows) x subjects (columns, along each environment ladder), each cell the latest
 * event there. A cell opens the feed filtered to it. Drift is told by kind: a rung ahead of the
 * next (waiting for promotion, neutral), a rung running a version the one below never had
 * (warning), versions with no order (diverged). Spellings of one name that differ only in case
 * or spaces are listed as a naming check. Refreshes itself when new events arrive.
 */
import type { Severity } from '@opstrails/core';
import { useCallback, useEffect, useState } from 'react';
import { api, queryString } from '../api';
import { ErrorNote } from '../components/error-note';
import { FirstEvent } from '../components/first-event';
import { Link } from '../components/link';
import { SeverityBadge } from '../components/severity';
import { Time } from '../components/time';
import { ViolationBadge } from '../components/violation-badge';
import { useLocation } from '../router';

interface Cell {
  source: string;
  subject: string;
  type: string;
  time: string;
  severity: Severity | null;
  version: string | null;
  eventId: string;
  latestVersion: string | null;
}

type DriftKind = 'ahead' | 'unpromoted' | 'diverged';

interface Drift {
  source: string;
  ladder: string;
  kind: DriftKind;
  marks: { subject: string; kind: DriftKind }[];
  versions: { subject: string; version: string }[];
  summary: string;
}

interface NamingVariant {
  field: 'source' | 'subject';
  name: string;
  spellings: { value: string; count: number }[];
}

interface Grid {
  sources: string[];
  subjects: string[];
  cells: Cell[];
  drift: Drift[];
  naming: NamingVariant[];
}

export const DRIFT_LABELS: Record<DriftKind, { tag: string; title: string; count: string }> = {
  ahead: {
    tag: 'ahead',
    title: 'Ahead of the next environment, waiting for promotion',
    count: 'waiting for promotion',
  },
  unpromoted: {
    tag: 'skipped a rung',
    title: 'Runs a version the environment below it never had',
    count: 'skipped a rung',
  },
  diverged: {
    tag: 'diverged',
    title: 'Runs a different version, with no order between them',
    count: 'diverged',
  },
};

export function GridPage() {
  const { query } = useLocation();
  const [grid, setGrid] = useState<Grid | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [, setTick] = useState(0);

  const load = useCallback(() => {
    api<Grid>('/api/v1/grid')
      .then((g) => {
        setGrid(g);
        setError(null);
      })
      .catch(setError);
  }, []);

  useEffect(() => {
    load();
    // Any new event may change a cell: re-read the grid, at most a few times a second.
    const stream = new EventSource('/api/v1/events/stream');
    let timer: ReturnType<typeof setTimeout> | undefined;
    stream.addEventListener('event', () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        load();
      }, 250);
    });
    const clock = setInterval(() => setTick((t) => t + 1), 30_000);
    return () => {
      stream.close();
      clearInterval(clock);
      if (timer) clearTimeout(timer);
    };
  }, [load]);

  if (!grid) return <ErrorNote error={error} />;
  if (grid.cells.length === 0) {
    return (
      <div>
        <h1>Grid</h1>
        <p className="muted">Each source (system) is a row, each subject (environment) a column.</p>
        <FirstEvent />
      </div>
    );
  }
  // `?source=` / `?subject=` show one exact spelling (the naming check links here).
  const only = { source: query.get('source'), subject: query.get('subject') };
  const sources = grid.sources.filter((s) => only.source === null || s === only.source);
  const subjects = grid.subjects.filter((s) => only.subject === null || s === only.subject);
  const cellAt = new Map(grid.cells.map((c) => [`${c.source}\u0000${c.subject}`, c]));
  const marks = new Map<string, DriftKind>(
    grid.drift.flatMap((d) => d.marks.map((m) => [`${d.source}\u0000${m.subject}`, m.kind] as const)),
  );

  return (
    <div className="grid-page">
      <div className="page-head">
        <h1>Grid</h1>
        <span className="muted">Latest event per source × subject</span>
      </div>
      <ErrorNote error={error} />
      <DriftSummary drift={grid.drift} />
      <NamingCheck naming={grid.naming} />
      {only.source !== null || only.subject !== null ? (
        <p className="grid-only" data-testid="grid-only">
          Only {only.source !== null ? <code>source "{only.source}"</code> : null}
          {only.source !== null && only.subject !== null ? ' and ' : null}
          {only.subject !== null ? <code>subject "{only.subject}"</code> : null}{' '}
          <Link to="/grid">Show all</Link>
        </p>
      ) : null}
      <div className="grid-scroll">
        <table className="grid">
          <thead>
            <tr>
              <th scope="col" className="corner">
                <span className="visually-hidden">Source by subject</span>
                <span aria-hidden="true">source ╲ subject</span>
              </th>
              {subjects.map((subject) => (
                <th key={subject} scope="col" title={subject}>
                  {subject}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {sources.map((source) => (
              <tr key={source}>
                <th scope="row" title={source}>
                  {source}
                </th>
                {subjects.map((subject) => {
                  const key = `${source}\u0000${subject}`;
                  const cell = cellAt.get(key);
                  return (
                    <td key={subject}>
                      {cell ? (
                        <GridCell cell={cell} drift={marks.get(key)} />
                      ) : (
                        <span className="none">—</span>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function DriftSummary({ drift }: { drift: Drift[] }) {
  if (drift.length === 0) return null;
  const counts = (['unpromoted', 'diverged', 'ahead'] as const)
    .map((kind) => [kind, drift.filter((d) => d.kind === kind).length] as const)
    .filter(([, n]) => n > 0);
  return (
    <details className="grid-note" data-testid="drift-summary">
      <summary>
        <strong>
          {drift.length} {drift.length === 1 ? 'ladder' : 'ladders'} with different versions
        </strong>
        {': '}
        {counts.map(([kind, n], i) => (
          <span key={kind} className={`drift-count drift-${kind}`}>
            {i > 0 ? ', ' : ''}
            {n} {DRIFT_LABELS[kind].count}
          </span>
        ))}
      </summary>
      <ul aria-label="Version drift">
        {drift.map((d) => (
          <li key={`${d.source}/${d.ladder}`}>
            <span className={`drift-tag drift-${d.kind}`}>{DRIFT_LABELS[d.kind].tag}</span> {d.summary}
          </li>
        ))}
      </ul>
    </details>
  );
}

function NamingCheck({ naming }: { naming: NamingVariant[] }) {
  if (naming.length === 0) return null;
  return (
    <details className="grid-note" data-testid="naming-check">
      <summary>
        <strong>Naming check</strong>: {naming.length} {naming.length === 1 ? 'name is' : 'names are'} spelled
        more than one way
      </summary>
      <ul aria-label="Naming check">
        {naming.map((n) => (
          <li key={`${n.field}/${n.name}`}>
            {n.field}{' '}
            {n.spellings.map((s, i) => (
              <span key={s.value}>
                {i > 0 ? ' · ' : ''}
                {/* The feed's filters match in any case; the grid's own filter keeps this exact spelling. */}
                <Link to={`/grid${queryString({ [n.field]: s.value })}`}>
                  <code>"{s.value}"</code>
                </Link>{' '}
                <span className="muted">
                  ({s.count} {s.count === 1 ? 'cell' : 'cells'})
                </span>
              </span>
            ))}
          </li>
        ))}
      </ul>
    </details>
  );
}

function GridCell({ cell, drift }: { cell: Cell; drift: DriftKind | undefined }) {
  const version = cell.version ?? cell.latestVersion;
  return (
    <Link
      to={`/events${queryString({ source: cell.source, subject: cell.subject })}`}
      className={`cell sev-edge-${(cell.severity ?? 'none').toLowerCase()}${drift ? ` drifted drift-${drift}` : ''}`}
    >
      <span className="cell-type" data-testid="grid-cell-type">
        {cell.type}
      </span>
      {version ? <span className="cell-version">{version}</span> : null}
      <span className="cell-meta">
        <SeverityBadge severity={cell.severity} /> <Time iso={cell.time} relative />
      </span>
      <ViolationBadge source={cell.source} id={cell.eventId} time={cell.time} />
      {drift ? (
        <span className={`drift-tag drift-${drift}`} title={DRIFT_LABELS[drift].title}>
          {DRIFT_LABELS[drift].tag}
        </span>
      ) : null}
    </Link>
  );
}
