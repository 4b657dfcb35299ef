/**
 * The live feed: opens the SSE stream first, then loads the newest page, so nothing sent in
 * between is missed (duplicates are merged by source + id). The browser's EventSource resumes
 * a dropped connection with Last-Event-ID, and the server replays what was missed.
 */
import type { EventPage, StoredEvent } from '@opstrails/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

export const identity = (e: StoredEvent) => `${e.source}\u0000${e.id}`;

/** Rows kept in memory (the feed is virtualized, so this bounds memory, not the DOM); older ones are a filter or a timeline zoom away. */
const KEEP_MAX = 20_000;

const byTimeDesc = (a: StoredEvent, b: StoredEvent) => Date.parse(b.time) - Date.parse(a.time);

export interface LiveEvents {
  events: StoredEvent[];
  status: LiveStatus;
  loaded: boolean;
  error: unknown;
  /** Identities of events that arrived live (for the arrival highlight). */
  fresh: Set<string>;
  hasMore: boolean;
  loadMore(): Promise<void>;
}

/** `pageSize` for the first page, `morePageSize` for each older page (scrolling down asks for many at once). */
export function useLiveEvents(query: string, pageSize = 50, morePageSize = pageSize): LiveEvents {
  const [events, setEvents] = useState<StoredEvent[]>([]);
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [cursor, setCursor] = useState<string | null>(null);
  const known = useRef(new Set<string>());
  const list = useRef<StoredEvent[]>([]);

  const merge = useCallback((incoming: StoredEvent[], live: boolean) => {
    const added = incoming.filter((e) => !known.current.has(identity(e)));
    if (added.length === 0) return;
    for (const e of added) known.current.add(identity(e));
    const all = [...list.current, ...added].sort(byTimeDesc);
    if (all.length > KEEP_MAX) {
      // A busy feed left open all day stays light: the oldest rows go (and paging back with them).
      for (const gone of all.slice(KEEP_MAX)) known.current.delete(identity(gone));
      setCursor(null);
    }
    list.current = all.slice(0, KEEP_MAX);
    setEvents(list.current);
    if (live) setFresh((current) => new Set([...current, ...added.map(identity)]));
  }, []);

  useEffect(() => {
    known.current = new Set();
    list.current = [];
    setEvents([]);
    setFresh(new Set());
    setLoaded(false);
    setError(null);
    setStatus('connecting');
    const separator = query ? '&' : '?';
    const source = new EventSource(`/api/v1/events/stream${query}`);
    let first = true;
    // A page answered after the filters changed belongs to the old view: drop it.
    let current = true;
    source.onopen = () => {
      setStatus('live');
      if (!first) return;
      first = false;
      api<EventPage>(`/api/v1/events${query}${separator}limit=${pageSize}`)
        .then((page) => {
          if (!current) return;
          merge(page.events, false);
          setCursor(page.nextCursor);
        })
        .catch((err) => current && setError(err))
        .finally(() => current && setLoaded(true));
    };
    source.addEventListener('event', (message) => {
      merge([JSON.parse((message as MessageEvent<string>).data) as StoredEvent], true);
    });
    source.onerror = () => {
      setStatus(source.readyState === EventSource.CLOSED ? 'offline' : 'reconnecting');
      if (source.readyState === EventSource.CLOSED) {
        // The stream was refused (bad filter, signed out, removed): ask once more to show why.
        api<EventPage>(`/api/v1/events${query}${separator}limit=1`)
          .catch((err) => current && setError(err))
          .finally(() => current && setLoaded(true));
      }
    };
    return () => {
      current = false;
      source.close();
    };
  }, [query, pageSize, merge]);

  const loadMore = useCallback(async () => {
    if (!cursor) return;
    const separator = query ? '&' : '?';
    const page = await api<EventPage>(
      `/api/v1/events${query}${separator}limit=${morePageSize}&cursor=${encodeURIComponent(cursor)}`,
    );
    merge(page.events, false);
    setCursor(page.nextCursor);
  }, [cursor, query, morePageSize, merge]);

  return { events, status, loaded, error, fresh, hasMore: cursor !== null, loadMore };
}
