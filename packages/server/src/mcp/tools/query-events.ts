/**
 * query_events: events matching filters, newest first (contract section 4), paged by cursor.
 * Names match in any case and as patterns (names.ts). An answer past the size budget (budget.ts)
 * leads with counts by type, source and subject of what matched, lists the newest events that fit
 * (their data cut to short fields) and hands a cursor for the rest.
 */
import { LIMITS, type StoredEvent } from '@opstrails/core';
import { z } from 'zod';
import { type EventCounts, type EventFilter, toStoredEvent } from '../../store/events.js';
import { parseRange, parseSeverity } from '../arguments.js';
import { fitPrefix, fits, slimEvent } from '../budget.js';
import { matchedNames, nearMiss, resolveName } from '../names.js';
import { cursorParam, decodeCursor, encodeCursor, limitParam, nextCursorSchema } from '../paging.js';
import { eventLines } from '../render.js';
import type { SuggestedCall } from '../schemas.js';
import {
  eventSchema,
  fromParam,
  severityParam,
  sourceParam,
  subjectParam,
  timezoneParam,
  toParam,
  typeParam,
} from '../schemas.js';
import { defineTool } from '../tool.js';

export const QUERY_LIMIT_MAX = 100;
/** How many matching events a summary counts at most (newest first): bounded work however wide the filter. */
export const SUMMARY_SCAN_MAX = 2_000;
/** How many values of each field a summary lists, most frequent first. */
const SUMMARY_TOP = 20;

const NAME = 'query_events';

const countsSchema = z.array(z.object({ value: z.string(), count: z.number() }));

const top = (counts: { value: string; count: number }[], n = 8) =>
  counts
    .slice(0, n)
    .map((c) => `${c.value} ${c.count}`)
    .join(', ') + (counts.length > n ? `, +${counts.length - n} more` : '');

export const queryEvents = defineTool({
  name: NAME,
  title: 'Query events',
  description: [
    'List the events that match filters, newest first: "what went to production in the last 2 hours?" → from "-2h", subject "*-PRODUCTION".',
    'Use it for the events themselves; for counts over a range use get_event_summary, for "what caused this incident?" use what_changed.',
    'type, source and subject match in any case, and "*" is a pattern over the names in use ("BRAND-A-*" = every BRAND-A environment, "*-PRODUCTION" = every production one).',
    'Returns events (id, type, source, subject, time, severity, version, data) and nextCursor; pass it back as cursor, with the same filters, for older events.',
    'Limits: limit 1-100 (default 25). A page too big for the answer budget (about 20,000 tokens) starts with counts by type, source and subject, lists as many events as fit with their data cut to short fields (get_event has the whole event), and says so.',
    'An empty answer names the close subjects, sources or types that do exist.',
  ].join(' '),
  input: {
    from: fromParam.optional(),
    to: toParam.optional(),
    type: typeParam.optional(),
    source: sourceParam.optional(),
    subject: subjectParam.optional(),
    severity: severityParam.optional(),
    search: z
      .string()
      .max(LIMITS.searchMax)
      .describe('Free text matched against type, source, subject, version and data.description.')
      .optional(),
    limit: limitParam(QUERY_LIMIT_MAX, LIMITS.queryLimitDefault, 'events').optional(),
    cursor: cursorParam.optional(),
    timezone: timezoneParam.optional(),
  },
  output: {
    from: z.string().nullable(),
    to: z.string(),
    count: z.number(),
    hasMore: z.boolean(),
    nextCursor: nextCursorSchema,
    summarized: z
      .boolean()
      .describe('True when the page did not fit the answer budget: see summary and note.'),
    summary: z
      .object({
        counted: z.number(),
        complete: z.boolean().describe('False when more events matched than were counted (the newest were).'),
        byType: countsSchema,
        bySource: countsSchema,
        bySubject: countsSchema,
        notListed: z
          .object({ types: z.number(), sources: z.number(), subjects: z.number() })
          .describe(`Values past the ${SUMMARY_TOP} most frequent of each, counted but not listed.`),
      })
      .nullable(),
    matched: z
      .record(z.string(), z.array(z.string()))
      .describe('The names each pattern covered, e.g. {"subjects": ["EU-PRODUCTION", "PRODUCTION"]}.'),
    note: z.string().nullable(),
    events: z.array(eventSchema),
  },
  async run(args, env) {
    const range = parseRange(args, env.now);
    const severity = parseSeverity(args.severity);
    const limit = args.limit ?? LIMITS.queryLimitDefault;
    const after = args.cursor === undefined ? undefined : decodeCursor(NAME, args.cursor, ['time', 'seq']);
    const [type, source, subject] = await Promise.all([
      resolveName(env, 'type', args.type),
      resolveName(env, 'source', args.source),
      resolveName(env, 'subject', args.subject),
    ]);
    const matched = matchedNames({ type, source, subject });
    const filter: EventFilter = {
      from: range.from,
      to: range.to,
      types: type.filter,
      sources: source.filter,
      subjects: subject.filter,
      severities: severity ? [severity] : undefined,
      search: args.search,
    };
    // A pattern that covers no name matches nothing (an empty list would mean no filter).
    const nothing = [type, source, subject].some((r) => r.filter?.length === 0);
    const page = nothing
      ? { rows: [], next: null }
      : await env.store.events.list(env.orgId, filter, limit, after);
    const events = page.rows.map(toStoredEvent);
    const cursorAfter = (shown: number): string | null => {
      const last = page.rows[shown - 1];
      if (shown < page.rows.length && last)
        return encodeCursor(NAME, { time: Number(last.time), seq: Number(last.seq) });
      return page.next ? encodeCursor(NAME, { time: page.next.time, seq: page.next.seq }) : null;
    };
    const note =
      events.length === 0 && after === undefined
        ? await nearMiss(env, { type: args.type, source: args.source, subject: args.subject })
        : null;
    const from = range.from === undefined ? null : new Date(range.from).toISOString();
    const to = new Date(range.to).toISOString();

    const build = (shown: StoredEvent[], summary: EventCounts | null) => {
      const nextCursor = cursorAfter(shown.length);
      const next: SuggestedCall[] = [];
      const incident = shown.find((e) => e.type.toLowerCase().includes('incident'));
      if (incident)
        next.push({
          tool: 'what_changed',
          arguments: { eventId: incident.id },
          reason: `rank what changed before the incident ${incident.id}`,
        });
      const first = shown[0];
      if (first)
        next.push({
          tool: 'get_event',
          arguments: { id: first.id },
          reason: 'full data of the newest event',
        });
      if (nextCursor)
        next.push({
          tool: NAME,
          arguments: { ...args, cursor: nextCursor },
          reason: 'the next page: older events matching the same filters',
        });
      else if (shown.length === 0)
        next.push({
          tool: 'get_organization_context',
          arguments: {},
          reason: 'check the subjects, sources and types in use',
        });
      const counted = summary
        ? summary.complete
          ? `${summary.scanned} event(s) match`
          : `more than ${summary.scanned} events match (the newest ${summary.scanned} counted)`
        : '';
      const head = summary
        ? `Summarized to fit the answer budget: ${counted}. By type: ${top(summary.byType)}. By source: ${top(summary.bySource)}. By subject: ${top(summary.bySubject)}.\nThe ${shown.length} newest shown below (data cut to short fields; get_event has the whole event)${nextCursor ? '; pass nextCursor for more' : ''}:`
        : `${shown.length} event(s)${nextCursor ? ' (more: pass nextCursor)' : ''}, newest first:`;
      const patterns = Object.entries(matched)
        .map(([field, names]) => `${field} matched: ${names.join(', ') || 'none'}`)
        .join('; ');
      return {
        data: {
          from,
          to,
          count: shown.length,
          hasMore: nextCursor !== null,
          nextCursor,
          summarized: summary !== null,
          summary: summary
            ? {
                counted: summary.scanned,
                complete: summary.complete,
                byType: summary.byType.slice(0, SUMMARY_TOP),
                bySource: summary.bySource.slice(0, SUMMARY_TOP),
                bySubject: summary.bySubject.slice(0, SUMMARY_TOP),
                notListed: {
                  types: Math.max(0, summary.byType.length - SUMMARY_TOP),
                  sources: Math.max(0, summary.bySource.length - SUMMARY_TOP),
                  subjects: Math.max(0, summary.bySubject.length - SUMMARY_TOP),
                },
              }
            : null,
          matched,
          note,
          events: shown,
        },
        text: [note, patterns || null, head, eventLines(shown, 'no events match these filters')]
          .filter((line) => line !== null)
          .join('\n'),
        next: next.slice(0, 3),
      };
    };

    const whole = build(events, null);
    if (fits(whole)) return whole;
    const summary = await env.store.events.summarize(env.orgId, filter, SUMMARY_SCAN_MAX);
    const slim = events.map(slimEvent);
    return fitPrefix(slim.length, (n) => build(slim.slice(0, n), summary)).answer;
  },
});
