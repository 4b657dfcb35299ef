/**
 * One event's page (`/events/<id>?source=<source>`, a permalink): every field, CloudEvents
 * extensions included, the data payload, the events on the same source and subject within two
 * hours either side, the promotion path of its version, its guardrail violations
 * (components/violation-badge.tsx) and its impact on the subject's metrics (components/impact-section.tsx).
 */
import '../components/danger-zone.css';
import { type EventPage as EventList, extensionsOf, type StoredEvent } from '@opstrails/core';
import { type ReactNode, useEffect, useState } from 'react';
import { api, queryString } from '../api';
import { ErrorNote } from '../components/error-note';
import { description, eventPath } from '../components/event-row';
import { ImpactSection } from '../components/impact-section';
import { Link } from '../components/link';
import { SeverityBadge } from '../components/severity';
import { Time } from '../components/time';
import { ViolationList } from '../components/violation-badge';
import { navigate, useLocation } from '../router';
import { useSession } from '../session';
import { ConfirmButton } from './settings/confirm-button';

const AROUND_MS = 2 * 3600_000;

interface Promotion {
  steps: {
    subject: string;
    firstReached: string;
    source: string;
    type: string;
    eventId: string;
    rung: string | null;
  }[];
  skipped: { subject: string; skipped: string[]; summary: string }[];
}

export function EventPage() {
  const { path, query } = useLocation();
  const id = decodeURIComponent(path.slice('/events/'.length));
  const source = query.get('source') ?? undefined;
  const [event, setEvent] = useState<StoredEvent | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let current = true;
    setEvent(null);
    setError(null);
    api<StoredEvent>(`/api/v1/events/${encodeURIComponent(id)}${queryString({ source })}`)
      .then((e) => current && setEvent(e))
      .catch((err) => current && setError(err));
    return () => {
      current = false;
    };
  }, [id, source]);

  if (!event)
    return (
      <div className="event-page">
        <p>
          <Link to="/events">← Events</Link>
        </p>
        <h1>Event</h1>
        {error ? <ErrorNote error={error} /> : <p className="muted">Loading…</p>}
      </div>
    );

  const text = description(event);
  const extensions = Object.entries(extensionsOf(event));
  return (
    <div className="event-page">
      <p>
        <Link to="/events">← Events</Link>
      </p>
      <div className="page-head">
        <SeverityBadge severity={event.severity} />
        <h1>
          {event.type} · {event.source}
          {event.subject ? ` → ${event.subject}` : ''}
        </h1>
      </div>
      {text ? <p className="lead">{text}</p> : null}
      <section aria-labelledby="fields-h">
        <h2 id="fields-h">Fields</h2>
        <dl className="fields" data-testid="event-fields">
          <Field name="id">{event.id}</Field>
          <Field name="time">
            {event.time} (UTC) · <Time iso={event.time} />
          </Field>
          <Field name="type">{event.type}</Field>
          <Field name="source">{event.source}</Field>
          <Field name="subject">{event.subject ?? <span className="muted">none</span>}</Field>
          <Field name="version">{event.version ?? <span className="muted">none</span>}</Field>
          <Field name="severity">{event.severity ?? <span className="muted">none</span>}</Field>
          <Field name="received">{event.createdAt}</Field>
          {/* CloudEvents extension attributes (correlationid, traceparent, ...): what links this event to others. */}
          {extensions.map(([name, value]) => (
            <div key={name} className="event-extension" data-testid="event-extension">
              <dt>{name}</dt>
              <dd>{String(value)}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section aria-labelledby="data-h">
        <h2 id="data-h">Data and the whole event</h2>
        <pre className="json" data-testid="event-json">
          {JSON.stringify(event, null, 2)}
        </pre>
      </section>
      <Around event={event} />
      {event.version ? <PromotionPath event={event} version={event.version} /> : null}
      <section aria-labelledby="guardrails-h" data-slot="guardrails">
        <h2 id="guardrails-h">Guardrails</h2>
        <ViolationList source={event.source} id={event.id} time={event.createdAt} />
      </section>
      <section aria-labelledby="impact-h" data-slot="impact">
        <h2 id="impact-h">Impact</h2>
        <ImpactSection event={event} />
      </section>
      <DeleteEvent event={event} />
    </div>
  );
}

/** OWNER/ADMIN only: removes an event sent by mistake, after a confirmation; the audit log records it. */
function DeleteEvent({ event }: { event: StoredEvent }) {
  const { isAdmin } = useSession();
  const [error, setError] = useState<unknown>(null);
  if (!isAdmin) return null;
  const remove = async () => {
    setError(null);
    try {
      await api(`/api/v1/events/${encodeURIComponent(event.id)}${queryString({ source: event.source })}`, {
        method: 'DELETE',
      });
      navigate('/events', { replace: true });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="delete-h" className="danger-zone">
      <h2 id="delete-h">Delete</h2>
      <p className="muted">
        Sent by mistake? Deleting removes it for good, with its impact verdict and guardrail violations.
      </p>
      <ConfirmButton label="Delete event" confirm="Delete this event for good?" onConfirm={remove} />
      <ErrorNote error={error} />
    </section>
  );
}

function Field({ name, children }: { name: string; children: ReactNode }) {
  return (
    <>
      <dt>{name}</dt>
      <dd>{children}</dd>
    </>
  );
}

function Around({ event }: { event: StoredEvent }) {
  const [page, setPage] = useState<EventList | null>(null);
  const [error, setError] = useState<unknown>(null);
  const t = Date.parse(event.time);
  const filters = {
    source: event.source,
    subject: event.subject ?? undefined,
    from: new Date(t - AROUND_MS).toISOString(),
    to: new Date(t + AROUND_MS).toISOString(),
  };
  const qs = queryString(filters);
  useEffect(() => {
    let current = true;
    api<EventList>(`/api/v1/events${qs}&limit=50`)
      .then((p) => current && setPage(p))
      .catch((err) => current && setError(err));
    return () => {
      current = false;
    };
  }, [qs]);
  return (
    <section aria-labelledby="around-h">
      <h2 id="around-h">
        Around it on {event.source}
        {event.subject ? ` → ${event.subject}` : ''} (±2 hours)
      </h2>
      <ErrorNote error={error} />
      {page ? (
        <ul className="around-list" data-testid="around">
          {page.events.map((e) => {
            const self = e.id === event.id && e.source === event.source;
            return (
              <li key={`${e.source}/${e.id}`} className={self ? 'this' : undefined}>
                <Time iso={e.time} /> <SeverityBadge severity={e.severity} />
                {self ? <span>{e.type} (this event)</span> : <Link to={eventPath(e)}>{e.type}</Link>}
                {e.version ? <code>{e.version}</code> : null}
                <span className="muted">{description(e) ?? ''}</span>
              </li>
            );
          })}
        </ul>
      ) : null}
      <p>
        <Link to={`/events${qs}`}>Open these in the feed</Link>
      </p>
    </section>
  );
}

function PromotionPath({ event, version }: { event: StoredEvent; version: string }) {
  const [path, setPath] = useState<Promotion | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let current = true;
    api<Promotion>(`/api/v1/promotion${queryString({ version, source: event.source })}`)
      .then((p) => current && setPath(p))
      .catch((err) => current && setError(err));
    return () => {
      current = false;
    };
  }, [version, event.source]);
  return (
    <section aria-labelledby="promotion-h">
      <h2 id="promotion-h">
        Promotion path of {version} on {event.source}
      </h2>
      <ErrorNote error={error} />
      {path ? (
        <>
          <ol className="promotion-steps" data-testid="promotion-path">
            {path.steps.map((s) => (
              <li key={s.subject}>
                <strong>{s.subject}</strong>
                {s.rung && s.rung !== s.subject.toUpperCase() ? (
                  <span className="muted">({s.rung})</span>
                ) : null}
                <span className="muted">
                  reached <Time iso={s.firstReached} /> by {s.type}
                </span>
              </li>
            ))}
          </ol>
          {path.skipped.map((s) => (
            <p key={s.subject} className="skip-warning">
              ⚠ {s.summary}
            </p>
          ))}
        </>
      ) : null}
    </section>
  );
}
