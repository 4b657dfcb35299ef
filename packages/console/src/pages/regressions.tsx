/**
 * Regressions (`/regressions`): the deploys whose impact was judged regressed once their
 * after-window passed, newest first, each with its summary and regressed metrics, linking to
 * the event's page where the charts are. `?subject=` narrows to one environment.
 */
import type { StoredEvent } from '@opstrails/core';
import { useEffect, useState } from 'react';
import { api, queryString } from '../api';
import { ErrorNote } from '../components/error-note';
import { eventPath } from '../components/event-row';
import type { MetricImpact } from '../components/impact-section';
import { Link } from '../components/link';
import { Time } from '../components/time';
import '../components/impact.css';
import { useLocation } from '../router';

interface Regression {
  event: StoredEvent;
  window: string;
  judgedAt: string | null;
  summary: { verdict: string; text: string };
  metrics: MetricImpact[];
}

export function RegressionsPage() {
  const { query } = useLocation();
  const subject = query.get('subject') ?? undefined;
  const [list, setList] = useState<Regression[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let current = true;
    api<{ regressions: Regression[] }>(`/api/v1/regressions${queryString({ subject })}`)
      .then((r) => current && setList(r.regressions))
      .catch((err) => current && setError(err));
    return () => {
      current = false;
    };
  }, [subject]);
  return (
    <div className="regressions-page">
      <h1>Regressions</h1>
      <p className="muted">
        Deployments, releases and rollbacks after which a metric of their environment got worse, judged once
        the 2 hours after them have passed.
      </p>
      {error ? <ErrorNote error={error} /> : null}
      {list === null && !error ? <p className="muted">Loading…</p> : null}
      {list?.length === 0 ? <p data-testid="regressions-empty">No regression so far.</p> : null}
      <ul className="regressions-list">
        {(list ?? []).map((r) => (
          <li key={`${r.event.source}\u0000${r.event.id}`} data-testid="regression">
            <Link to={eventPath(r.event)}>
              {r.event.type} · {r.event.source}
              {r.event.version ? ` ${r.event.version}` : ''} → {r.event.subject}
            </Link>{' '}
            <Time iso={r.event.time} />
            <p>{r.summary.text}</p>
            <ul>
              {r.metrics.map((m) => (
                <li key={`${m.metric}\u0000${m.source ?? ''}`}>{m.reason}</li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </div>
  );
}
