/**
 * Reads the filters shared by list, export and stream from a query string:
 * `from`, `to`, `type`, `source`, `subject`, `severity`, `correlationid`, `causationid` (each
 * repeatable), `search`, `timezone`. Type, source and subject match in any case (see the store).
 */
import { isValidTimeZone, LIMITS, parseQueryTime, SEVERITIES, type Severity } from '@opstrails/core';
import type { Cursor, EventFilter } from '../../../../store/events.js';
import { badRequest } from '../../../envelope.js';

export type Query = Record<string, string | string[] | undefined>;

const FILTERS = [
  'from',
  'to',
  'type',
  'source',
  'subject',
  'severity',
  'search',
  'correlationid',
  'causationid',
  'timezone',
];

function many(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const list = (Array.isArray(value) ? value : [value]).filter((v) => v !== '');
  return list.length > 0 ? list : undefined;
}

function one(query: Query, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw badRequest(name, 'give it once');
  return value === '' ? undefined : value;
}

/**
 * The filters of a query string. `routeParams` are the other parameters the calling route reads
 * itself (`limit` and `cursor` for the list, `format` for export); any other name is refused, so a
 * typo is never silently ignored.
 */
export function parseFilter(query: Query, routeParams: string[], now = Date.now()): EventFilter {
  const known = [...FILTERS, ...routeParams];
  for (const name of Object.keys(query)) {
    if (!known.includes(name)) throw badRequest(name, `is not a parameter here; use ${known.join(', ')}`);
  }
  const timezone = one(query, 'timezone');
  if (timezone !== undefined && !isValidTimeZone(timezone))
    throw badRequest('timezone', `"${timezone}" is not an IANA time zone (e.g. Europe/London)`);
  const bound = (name: 'from' | 'to') => {
    const raw = one(query, name);
    if (raw === undefined) return undefined;
    const parsed = parseQueryTime(raw, now, timezone);
    if (!parsed.ok) throw badRequest(name, parsed.message);
    return parsed.ms;
  };
  const severities = many(query.severity)?.map((s) => s.toUpperCase());
  const unknown = severities?.find((s) => !(SEVERITIES as readonly string[]).includes(s));
  if (unknown) throw badRequest('severity', `"${unknown}" must be one of ${SEVERITIES.join(', ')}`);
  const filter: EventFilter = {
    from: bound('from'),
    to: bound('to'),
    types: many(query.type),
    sources: many(query.source),
    subjects: many(query.subject),
    severities: severities as Severity[] | undefined,
    search: one(query, 'search'),
    correlationids: many(query.correlationid),
    causationids: many(query.causationid),
  };
  if (filter.search !== undefined && filter.search.length > LIMITS.searchMax)
    throw badRequest(
      'search',
      `is ${filter.search.length} characters; at most ${LIMITS.searchMax}, shorten it`,
    );
  if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to) {
    throw badRequest('from', 'is after to; swap them');
  }
  return filter;
}

export function parseLimit(query: Query, fallback: number, max: number): number {
  const raw = one(query, 'limit');
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max)
    throw badRequest('limit', `must be a whole number from 1 to ${max}`);
  return Number(raw);
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.time}.${cursor.seq}`).toString('base64url');
}

export function parseCursor(query: Query): Cursor | undefined {
  const raw = one(query, 'cursor');
  if (raw === undefined) return undefined;
  const match = /^(-?\d+)\.(\d+)$/.exec(Buffer.from(raw, 'base64url').toString());
  const cursor = match ? { time: Number(match[1]), seq: Number(match[2]) } : null;
  // A forged value past 2^53 would reach PostgreSQL as a float and fail as a BIGINT (a 500).
  if (!cursor || !Number.isSafeInteger(cursor.time) || !Number.isSafeInteger(cursor.seq))
    throw badRequest('cursor', 'is not a cursor this server gave out; use nextCursor from the previous page');
  return cursor;
}
