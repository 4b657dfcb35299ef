/**
 * One event in the feed: a row of fixed height (the list is virtualized) with the feed's columns:
 * time, severity, type, source -> subject, version, description. Long values are cut with an
 * ellipsis and shown whole on hover. The row opens the event's own page (its permalink). Every
 * field is rendered as React text, never as HTML, so `<script>` or `onerror=` stays text.
 */
import type { StoredEvent } from '@opstrails/core';
import type { MouseEvent } from 'react';
import { utcTitle } from '../format';
import { navigate } from '../router';
import { SeverityBadge } from './severity';
import { ViolationBadge } from './violation-badge';

export function description(event: StoredEvent): string | null {
  const value = event.data?.description;
  return typeof value === 'string' ? value : null;
}

/** The event page's address: the source goes along, since two sources may use one id. */
export function eventPath(event: StoredEvent): string {
  return `/events/${encodeURIComponent(event.id)}?source=${encodeURIComponent(event.source)}`;
}

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function EventRow(props: {
  event: StoredEvent;
  fresh: boolean;
  selected: boolean;
  /** The one row whose link is in the tab order (the selected one, else the first): Tab reaches the feed, j/k move. */
  tabbable: boolean;
  top: number;
  height: number;
}) {
  const { event } = props;
  const text = description(event);
  const href = eventPath(event);
  const open = (e: MouseEvent) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the row's link is the keyboard way in (and Enter on the selected row); the click only widens its target.
    <li
      aria-current={props.selected ? 'true' : undefined}
      className={`event${props.fresh ? ' fresh' : ''}${props.selected ? ' selected' : ''}`}
      data-testid="event-row"
      style={{ transform: `translateY(${props.top}px)`, height: props.height }}
      onClick={open}
    >
      <span className="event-time">
        <time dateTime={event.time} title={utcTitle(event.time)}>
          {clock.format(new Date(event.time))}
        </time>
      </span>
      <span className="event-severity">
        <SeverityBadge severity={event.severity} />
      </span>
      <span className="event-type" title={event.type}>
        <a href={href} onClick={open} tabIndex={props.tabbable ? 0 : -1}>
          {event.type}
        </a>
      </span>
      <span className="event-where" title={`${event.source} → ${event.subject ?? '(no subject)'}`}>
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
      <span className="event-version" title={event.version ?? undefined}>
        {event.version ?? ''}
      </span>
      <span className="event-description" title={text ?? undefined}>
        <ViolationBadge source={event.source} id={event.id} time={event.createdAt} />
        {text ?? ''}
      </span>
    </li>
  );
}
