/** Events: the live feed with filters from the URL; new events slide in without a reload. */
import { useState } from 'react';
import { queryString } from '../api';
import { ErrorNote } from '../components/error-note';
import { EventRow } from '../components/event-row';
import { FILTER_KEYS, FilterBar, filtersOf } from '../components/filters';
import { FirstEvent } from '../components/first-event';
import { LiveBadge } from '../components/live-badge';
import { identity, useLiveEvents } from '../live/use-live-events';
import { useLocation } from '../router';

export function EventsPage() {
  const { query } = useLocation();
  const filters = filtersOf(query);
  const live = useLiveEvents(queryString(filters));
  const [loadingMore, setLoadingMore] = useState(false);
  const filtered = FILTER_KEYS.some((key) => filters[key]);

  const more = async () => {
    setLoadingMore(true);
    await live.loadMore().finally(() => setLoadingMore(false));
  };

  return (
    <div className="events-page">
      <div className="page-head">
        <h1>Events</h1>
        <LiveBadge status={live.status} />
      </div>
      <FilterBar filters={filters} />
      <ErrorNote error={live.error} />
      {live.loaded && live.events.length === 0 && !live.error ? (
        filtered ? (
          <p className="empty">
            No events match these filters yet. New matching events will appear here live.
          </p>
        ) : (
          <FirstEvent />
        )
      ) : null}
      <ul className="event-list" aria-label="Events" aria-live="polite">
        {live.events.map((event) => (
          <EventRow key={identity(event)} event={event} fresh={live.fresh.has(identity(event))} />
        ))}
      </ul>
      {live.hasMore ? (
        <button type="button" className="btn more" onClick={more} disabled={loadingMore}>
          {loadingMore ? 'Loading…' : 'Load older events'}
        </button>
      ) : null}
    </div>
  );
}
