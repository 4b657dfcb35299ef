/**
 * Events: the live feed as a table (time, severity, type, source -> subject, version,
 * description) with day separators, the number of matches, facets with counts, and filters from
 * the URL, so "copy link" shares the view. The list is windowed: 10,000 rows scroll like 50, and
 * older pages load as the end comes near. Keys: j/k move, Enter opens, / searches.
 */
import type { StoredEvent } from '@opstrails/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { queryString } from '../api';
import { CopyButton } from '../components/copy-button';
import { ErrorNote } from '../components/error-note';
import { EventRow, eventPath } from '../components/event-row';
import { Facets, useFacets } from '../components/facets';
import { FILTER_KEYS, FilterBar, filtersOf } from '../components/filters';
import { FirstEvent } from '../components/first-event';
import { LiveBadge } from '../components/live-badge';
import { offsetsOf, visibleRange } from '../feed/window';
import { formatCount } from '../format';
import { identity, useLiveEvents } from '../live/use-live-events';
import { navigate, useLocation } from '../router';

/** Row heights in px: one line on a laptop, a three-line card on a phone (the CSS uses the same). */
const ROW = { wide: 40, phone: 84 };
const SEPARATOR = 32;
const PHONE_QUERY = '(max-width: 720px)';

type Item =
  | { kind: 'day'; label: string; key: string }
  | { kind: 'event'; event: StoredEvent; index: number };

const dayLabel = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  year: 'numeric',
  month: 'short',
  day: 'numeric',
});

function itemsOf(events: StoredEvent[]): Item[] {
  const items: Item[] = [];
  let day = '';
  events.forEach((event, index) => {
    const date = new Date(event.time);
    const key = date.toDateString();
    if (key !== day) {
      day = key;
      items.push({ kind: 'day', label: dayLabel.format(date), key });
    }
    items.push({ kind: 'event', event, index });
  });
  return items;
}

function usePhone(): boolean {
  const [phone, setPhone] = useState(() => window.matchMedia(PHONE_QUERY).matches);
  useEffect(() => {
    const media = window.matchMedia(PHONE_QUERY);
    const change = () => setPhone(media.matches);
    media.addEventListener('change', change);
    return () => media.removeEventListener('change', change);
  }, []);
  return phone;
}

/** The window's scroll position and height, updated at most once a frame. */
function useViewport(): { top: number; height: number } {
  const [view, setView] = useState({ top: window.scrollY, height: window.innerHeight });
  useEffect(() => {
    let frame = 0;
    const update = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setView({ top: window.scrollY, height: window.innerHeight });
      });
    };
    window.addEventListener('scroll', update, { passive: true });
    window.addEventListener('resize', update);
    return () => {
      window.removeEventListener('scroll', update);
      window.removeEventListener('resize', update);
      cancelAnimationFrame(frame);
    };
  }, []);
  return view;
}

const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName));

export function EventsPage() {
  const { query } = useLocation();
  const filters = filtersOf(query);
  const qs = queryString(filters);
  const live = useLiveEvents(qs, 100, 500);
  const filtered = FILTER_KEYS.some((key) => filters[key]);
  const phone = usePhone();
  const view = useViewport();
  const listRef = useRef<HTMLUListElement>(null);
  const [selected, setSelected] = useState(-1);
  const [firstOpen, setFirstOpen] = useState(false);
  const loadingMore = useRef(false);
  // Facet counts follow the live feed, at most every few seconds.
  const arrived = Math.floor(live.fresh.size / 5) + (live.fresh.size > 0 ? 1 : 0);
  const counts = useFacets(qs, arrived);

  // The first-event card stays (with its new key) until dismissed, even after the first event arrives.
  useEffect(() => {
    if (live.loaded && live.events.length === 0 && !filtered && !live.error) setFirstOpen(true);
  }, [live.loaded, live.events.length, filtered, live.error]);

  // A new view starts with no row selected.
  const [shownQuery, setViewQs] = useState(qs);
  if (shownQuery !== qs) {
    setViewQs(qs);
    setSelected(-1);
  }

  const items = useMemo(() => itemsOf(live.events), [live.events]);
  const rowHeight = phone ? ROW.phone : ROW.wide;
  const offsets = useMemo(
    () => offsetsOf(items.map((item) => (item.kind === 'day' ? SEPARATOR : rowHeight))),
    [items, rowHeight],
  );
  const itemOfEvent = useMemo(() => {
    const at: number[] = [];
    items.forEach((item, i) => {
      if (item.kind === 'event') at[item.index] = i;
    });
    return at;
  }, [items]);

  const listTop = (listRef.current?.getBoundingClientRect().top ?? 0) + view.top;
  const range = visibleRange(offsets, view.top - listTop, view.top - listTop + view.height);

  const { hasMore, loadMore } = live;
  useEffect(() => {
    if (!hasMore || loadingMore.current || range.end < items.length - 20) return;
    loadingMore.current = true;
    loadMore().finally(() => {
      loadingMore.current = false;
    });
  }, [hasMore, loadMore, range.end, items.length]);

  const select = useCallback(
    (index: number) => {
      const next = Math.max(0, Math.min(live.events.length - 1, index));
      setSelected(next);
      const item = itemOfEvent[next];
      if (item === undefined || !listRef.current) return;
      const top = listRef.current.getBoundingClientRect().top + window.scrollY + (offsets[item] as number);
      if (top < window.scrollY + 80) window.scrollTo({ top: top - 120 });
      else if (top + rowHeight > window.scrollY + window.innerHeight)
        window.scrollTo({ top: top + rowHeight - window.innerHeight + 40 });
    },
    [live.events.length, itemOfEvent, offsets, rowHeight],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.metaKey || e.ctrlKey || e.altKey || typing(e.target)) return;
      if (e.key === '/') {
        e.preventDefault();
        document.querySelector<HTMLInputElement>('input[name="search"]')?.focus();
      } else if (e.key === 'j') select(selected + 1);
      else if (e.key === 'k') select(selected - 1);
      else if (e.key === 'Enter' && selected >= 0) {
        const event = live.events[selected];
        if (event) navigate(eventPath(event));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [select, selected, live.events]);

  const total = counts?.total;
  const shown = live.events.length;
  return (
    <div className="events-page">
      <div className="page-head">
        <h1>Events</h1>
        <span className="result-count" data-testid="result-count" aria-live="polite">
          {total === undefined
            ? '\u00a0'
            : `${formatCount(total)} ${total === 1 ? 'event' : 'events'}${shown < total && shown > 0 ? ` · ${formatCount(shown)} loaded` : ''}`}
        </span>
        <LiveBadge status={live.status} />
        <span className="page-head-end">
          <CopyButton text={window.location.href} label="Copy link" />
        </span>
      </div>
      <FilterBar filters={filters} />
      <ErrorNote error={live.error} />
      {firstOpen ? <FirstEvent onDismiss={() => setFirstOpen(false)} arrived={shown > 0} /> : null}
      {live.loaded && shown === 0 && filtered && !live.error ? (
        <p className="empty">No events match these filters yet. New matching events will appear here live.</p>
      ) : null}
      <div className="feed-body">
        <Facets counts={counts} filters={filters} />
        <div className="feed">
          {/* Column headers for the eye; each row reads in the same order to a screen reader. */}
          <div className="feed-head" aria-hidden="true">
            <span>Time</span>
            <span>Severity</span>
            <span>Type</span>
            <span>Source → subject</span>
            <span>Version</span>
            <span>Description</span>
          </div>
          <ul
            ref={listRef}
            className="feed-rows"
            aria-label="Events"
            style={{ height: offsets[items.length] }}
          >
            {items.slice(range.start, range.end).map((item, i) => {
              const at = range.start + i;
              const top = offsets[at] as number;
              if (item.kind === 'day')
                return (
                  <li key={item.key} className="day-separator" style={{ transform: `translateY(${top}px)` }}>
                    {item.label}
                  </li>
                );
              const id = identity(item.event);
              return (
                <EventRow
                  key={id}
                  event={item.event}
                  fresh={live.fresh.has(id)}
                  selected={item.index === selected}
                  tabbable={item.index === Math.max(selected, 0)}
                  top={top}
                  height={rowHeight}
                />
              );
            })}
          </ul>
          {live.hasMore ? (
            <p className="muted feed-end">Older events load as you scroll.</p>
          ) : shown > 0 ? (
            <p className="muted feed-end">No older events{filtered ? ' match these filters' : ''}.</p>
          ) : null}
        </div>
      </div>
    </div>
  );
}
