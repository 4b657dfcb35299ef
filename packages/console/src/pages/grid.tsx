/**
 * Grid: sources (rows) x subjects (columns), each cell the latest event there. A cell opens the
 * feed filtered to it; sources whose environments run different versions are marked. Refreshes
 * itself when new events arrive.
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

interface Drift {
  source: string;
  ladder: string;
  versions: { subject: string; version: string }[];
  summary: string;
}

interface Grid {
  sources: string[];
  subjects: string[];
  cells: Cell[];
  drift: Drift[];
}

export function GridPage() {
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
  const cellAt = new Map(grid.cells.map((c) => [`${c.source}\u0000${c.subject}`, c]));
  const drifted = new Set(grid.drift.flatMap((d) => d.versions.map((v) => `${d.source}\u0000${v.subject}`)));

  return (
    <div className="grid-page">
      <div className="page-head">
        <h1>Grid</h1>
        <span className="muted">Latest event per source × subject</span>
      </div>
      <ErrorNote error={error} />
      {grid.drift.length > 0 ? (
        <ul className="drift-list" aria-label="Version drift">
          {grid.drift.map((d) => (
            <li key={`${d.source}/${d.ladder}`}>
              <span className="drift-tag">drift</span> {d.summary}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="grid-scroll">
        <table className="grid">
          <thead>
            <tr>
              <th scope="col" className="corner">
                source ╲ subject
              </th>
              {grid.subjects.map((subject) => (
                <th key={subject} scope="col">
                  {subject}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {grid.sources.map((source) => (
              <tr key={source}>
                <th scope="row">{source}</th>
                {grid.subjects.map((subject) => {
                  const key = `${source}\u0000${subject}`;
                  const cell = cellAt.get(key);
                  return (
                    <td key={subject}>
                      {cell ? (
                        <GridCell cell={cell} drifted={drifted.has(key)} />
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

function GridCell({ cell, drifted }: { cell: Cell; drifted: boolean }) {
  const version = cell.version ?? cell.latestVersion;
  return (
    <Link
      to={`/events${queryString({ source: cell.source, subject: cell.subject })}`}
      className={`cell sev-edge-${(cell.severity ?? 'none').toLowerCase()}${drifted ? ' drifted' : ''}`}
    >
      <span className="cell-type" data-testid="grid-cell-type">
        {cell.type}
      </span>
      {version ? <span className="cell-version">{version}</span> : null}
      <span className="cell-meta">
        <SeverityBadge severity={cell.severity} /> <Time iso={cell.time} relative />
      </span>
      {drifted ? <span className="drift-tag">drift</span> : null}
      <ViolationBadge source={cell.source} id={cell.eventId} time={cell.time} />
    </Link>
  );
}
