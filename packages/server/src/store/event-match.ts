/**
 * The list filters evaluated in memory, for rows already read: the live feed reads each
 * organization's new rows once and hands every stream the rows its filter matches. It must
 * agree with the SQL of `EventRepository.filterExpression` row for row (event-match.test.ts
 * compares the two on both engines); change them together.
 */
import type { EventRow } from './event-rows.js';
import type { EventFilter } from './events.js';
import { foldCase } from './fold-case.js';

/** `value` is one of `wanted` (a filter given as a list); a null column matches no list. */
const oneOf = (value: string | null, wanted: readonly string[]) => value !== null && wanted.includes(value);

/**
 * The test `filter` stands for, with its values folded once: the live feed applies it to every
 * new row for every stream.
 */
export function filterMatcher(filter: EventFilter): (row: EventRow) => boolean {
  const { from, to, severities, correlationids, causationids } = filter;
  // Type, source and subject compare folded, against the folded columns, as in SQL.
  const types = filter.types?.length ? filter.types.map(foldCase) : undefined;
  const sources = filter.sources?.length ? filter.sources.map(foldCase) : undefined;
  const subjects = filter.subjects?.length ? filter.subjects.map(foldCase) : undefined;
  // search_text is stored lower-cased and the SQL pattern is the lower-cased text with its
  // LIKE wildcards escaped: a plain substring test.
  const search = filter.search ? filter.search.toLowerCase() : undefined;
  return (row) => {
    const time = Number(row.time);
    if (from !== undefined && time < from) return false;
    if (to !== undefined && time > to) return false;
    if (types && !oneOf(row.type_lower, types)) return false;
    if (sources && !oneOf(row.source_lower, sources)) return false;
    if (subjects && !oneOf(row.subject_lower, subjects)) return false;
    if (correlationids?.length && !oneOf(row.correlationid, correlationids)) return false;
    if (causationids?.length && !oneOf(row.causationid, causationids)) return false;
    if (severities?.length && !oneOf(row.severity, severities)) return false;
    if (search !== undefined && !row.search_text.includes(search)) return false;
    return true;
  };
}

/** True when `row` is one of the rows `filter` selects in SQL. */
export const matchesFilter = (row: EventRow, filter: EventFilter): boolean => filterMatcher(filter)(row);
