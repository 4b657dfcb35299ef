/**
 * The feed's facets: for the current filters and range, each type, source, subject and severity
 * with its number of events. A click filters to the value (the server matches in any case); the
 * active value clears its filter. Counts come from GET /api/v1/events/facets.
 */
import { useEffect, useState } from 'react';
import { api } from '../api';
import { formatCount } from '../format';
import { setQuery } from '../router';
import type { Filters } from './filters';

interface Facet {
  values: { value: string; count: number }[];
  others: number;
}

export interface FacetCounts {
  total: number;
  type: Facet;
  source: Facet;
  subject: Facet;
  severity: Facet;
}

const FIELDS = [
  { field: 'severity', label: 'Severity' },
  { field: 'type', label: 'Type' },
  { field: 'source', label: 'Source' },
  { field: 'subject', label: 'Subject' },
] as const;

/** The facet counts for a filter query; refreshed when the query changes or `refresh` ticks. */
export function useFacets(query: string, refresh: number): FacetCounts | null {
  const [counts, setCounts] = useState<FacetCounts | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `refresh` re-reads the counts when live events arrive.
  useEffect(() => {
    let current = true;
    // A failed count leaves the facets out; the feed itself reports the error.
    api<FacetCounts>(`/api/v1/events/facets${query}`)
      .then((c) => current && setCounts(c))
      .catch(() => current && setCounts(null));
    return () => {
      current = false;
    };
  }, [query, refresh]);
  return counts;
}

export function Facets({ counts, filters }: { counts: FacetCounts | null; filters: Filters }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: on a phone the facets scroll sideways; a keyboard must reach what is off-screen even before any value (a button) is there to focus (axe: scrollable-region-focusable).
    <aside className="facets" aria-label="Facets" tabIndex={0}>
      {FIELDS.map(({ field, label }) => {
        const facet = counts?.[field];
        const active = filters[field]?.toLowerCase();
        return (
          <section key={field} className="facet">
            <h2>{label}</h2>
            {facet && facet.values.length > 0 ? (
              <ul>
                {facet.values.map(({ value, count }) => {
                  const on = active === value.toLowerCase();
                  return (
                    <li key={value}>
                      <button
                        type="button"
                        className={`facet-value${on ? ' on' : ''}`}
                        aria-pressed={on}
                        title={on ? `Show every ${field}` : `Only ${field} "${value}"`}
                        onClick={() => setQuery({ [field]: on ? undefined : value })}
                      >
                        <span className="facet-name">{value}</span>
                        <span className="facet-count">{formatCount(count)}</span>
                      </button>
                    </li>
                  );
                })}
                {facet.others > 0 ? (
                  <li className="muted facet-others">+ {formatCount(facet.others)} in others</li>
                ) : null}
              </ul>
            ) : (
              <p className="muted">{counts ? 'none' : '…'}</p>
            )}
          </section>
        );
      })}
    </aside>
  );
}
