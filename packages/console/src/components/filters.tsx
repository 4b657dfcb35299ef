/**
 * The feed's filters. The URL is their only state: typing updates the query string (after a
 * short pause), so a filtered view can be shared and the back button undoes a filter.
 */
import { SEVERITIES } from '@opstrails/core';
import { useEffect, useState } from 'react';
import { setQuery } from '../router';

export const FILTER_KEYS = ['type', 'source', 'subject', 'severity', 'search', 'from', 'to'] as const;
export type Filters = Partial<Record<(typeof FILTER_KEYS)[number], string>>;

export const RANGES = [
  { value: '', label: 'All time' },
  { value: '-15m', label: 'Last 15 minutes' },
  { value: '-1h', label: 'Last hour' },
  { value: '-24h', label: 'Last 24 hours' },
  { value: '-7d', label: 'Last 7 days' },
  { value: '-30d', label: 'Last 30 days' },
];

export function filtersOf(query: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const key of FILTER_KEYS) {
    const value = query.get(key);
    if (value) filters[key] = value;
  }
  return filters;
}

function TextFilter(props: {
  name: keyof Filters;
  label: string;
  value: string | undefined;
  placeholder?: string;
  className?: string;
}) {
  const { name, value } = props;
  const [text, setText] = useState(value ?? '');
  useEffect(() => setText(value ?? ''), [value]);
  useEffect(() => {
    if (text === (value ?? '')) return;
    const timer = setTimeout(() => setQuery({ [name]: text.trim() || undefined }, { replace: true }), 350);
    return () => clearTimeout(timer);
  }, [text, value, name]);
  return (
    <label className={`filter ${props.className ?? ''}`}>
      <span>{props.label}</span>
      <input
        name={name}
        type={name === 'search' ? 'search' : 'text'}
        value={text}
        placeholder={props.placeholder ?? 'any'}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') setQuery({ [name]: text.trim() || undefined }, { replace: true });
        }}
      />
    </label>
  );
}

export function FilterBar({ filters }: { filters: Filters }) {
  const custom =
    filters.to !== undefined || (filters.from !== undefined && !RANGES.some((r) => r.value === filters.from));
  const active = FILTER_KEYS.some((key) => filters[key]);
  return (
    <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
      <TextFilter
        name="search"
        label="Search"
        value={filters.search}
        className="filter-search"
        placeholder="type, source, subject, version, description"
      />
      <TextFilter name="type" label="Type" value={filters.type} />
      <TextFilter name="source" label="Source" value={filters.source} />
      <TextFilter name="subject" label="Subject" value={filters.subject} />
      <label className="filter">
        <span>Severity</span>
        <select
          name="severity"
          value={filters.severity ?? ''}
          onChange={(e) => setQuery({ severity: e.target.value || undefined })}
        >
          <option value="">any</option>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <div className="filter">
        <span>Time</span>
        {custom ? (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => setQuery({ from: undefined, to: undefined })}
          >
            Custom range ✕
          </button>
        ) : (
          <select
            name="range"
            aria-label="Time"
            value={filters.from ?? ''}
            onChange={(e) => setQuery({ from: e.target.value || undefined, to: undefined })}
          >
            {RANGES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        )}
      </div>
      {active ? (
        <button
          type="button"
          className="btn btn-ghost btn-small clear"
          onClick={() => setQuery(Object.fromEntries(FILTER_KEYS.map((k) => [k, undefined])))}
        >
          Clear filters
        </button>
      ) : null}
    </form>
  );
}
