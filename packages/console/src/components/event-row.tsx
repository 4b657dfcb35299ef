/**
 * One event in the feed; expands to the whole event with its data payload. Every field is
 * rendered as React text, never as HTML, so `<script>` or `onerror=` in an event stays text.
 */
import { extensionsOf, type StoredEvent } from '@opstrails/core';
import { useState } from 'react';
import { SeverityBadge } from './severity';
import { Time } from './time';
import { ViolationBadge } from './violation-badge';

function description(event: StoredEvent): string | null {
  const value = event.data?.description;
  return typeof value === 'string' ? value : null;
}

export function EventRow({ event, fresh }: { event: StoredEvent; fresh: boolean }) {
  const [open, setOpen] = useState(false);
  const text = description(event);
  return (
    <li className={`event${fresh ? ' fresh' : ''}${open ? ' open' : ''}`} data-testid="event-row">
      <button type="button" className="event-summary" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span className="event-time">
          <Time iso={event.time} />
        </span>
        <SeverityBadge severity={event.severity} />
        <span className="event-type">{event.type}</span>
        <span className="event-where">
          <span className="event-source">{event.source}</span>
          {event.subject ? (
            <>
              <span className="arrow" aria-hidden="true">
                →
              </span>
              <span className="event-subject">{event.subject}</span>
            </>
          ) : null}
        </span>
        {event.version ? <span className="event-version">{event.version}</span> : null}
        {text ? <span className="event-description">{text}</span> : null}
        <ViolationBadge source={event.source} id={event.id} time={event.createdAt} />
      </button>
      {open ? (
        <div className="event-detail">
          <dl>
            <dt>id</dt>
            <dd>{event.id}</dd>
            <dt>time</dt>
            <dd>
              {event.time} (UTC) · <Time iso={event.time} />
            </dd>
            <dt>received</dt>
            <dd>{event.createdAt}</dd>
            {/* CloudEvents extension attributes (correlationid, traceparent, ...): what links this event to others. */}
            {Object.entries(extensionsOf(event)).map(([name, value]) => (
              <div key={name} className="event-extension" data-testid="event-extension">
                <dt>{name}</dt>
                <dd>{String(value)}</dd>
              </div>
            ))}
          </dl>
          <pre className="json" data-testid="event-json">
            {JSON.stringify(event, null, 2)}
          </pre>
        </div>
      ) : null}
    </li>
  );
}
