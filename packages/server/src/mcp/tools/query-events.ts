/** query_events: events matching filters, newest first (contract section 4). */
import { LIMITS } from '@opstrails/core';
import { z } from 'zod';
import { toStoredEvent } from '../../store/events.js';
import { parseRange, parseSeverity } from '../arguments.js';
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

export const queryEvents = defineTool({
  name: 'query_events',
  title: 'Query events',
  description:
    'Events matching filters, newest first: "what changed in production in the last two hours?" → from "-2h", subject "PRODUCTION". All filters are optional and combine with AND.',
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
    limit: z
      .number()
      .int()
      .min(1)
      .max(QUERY_LIMIT_MAX)
      .describe(`How many events, 1-${QUERY_LIMIT_MAX}; default ${LIMITS.queryLimitDefault}.`)
      .optional(),
    timezone: timezoneParam.optional(),
  },
  output: {
    from: z.string().nullable(),
    to: z.string(),
    count: z.number(),
    hasMore: z.boolean(),
    events: z.array(eventSchema),
  },
  async run(args, env) {
    const range = parseRange(args, env.now);
    const severity = parseSeverity(args.severity);
    const limit = args.limit ?? LIMITS.queryLimitDefault;
    const page = await env.store.events.list(
      env.orgId,
      {
        from: range.from,
        to: range.to,
        types: args.type ? [args.type] : undefined,
        sources: args.source ? [args.source] : undefined,
        subjects: args.subject ? [args.subject] : undefined,
        severities: severity ? [severity] : undefined,
        search: args.search,
      },
      limit,
    );
    const events = page.rows.map(toStoredEvent);
    const next: SuggestedCall[] = [];
    const incident = events.find((e) => e.type.toLowerCase().includes('incident'));
    if (incident) {
      next.push({
        tool: 'what_changed',
        arguments: { eventId: incident.id },
        reason: `rank what changed before the incident ${incident.id}`,
      });
    }
    const first = events[0];
    if (first)
      next.push({ tool: 'get_event', arguments: { id: first.id }, reason: 'full data of the newest event' });
    const last = events[events.length - 1];
    if (page.next && last) {
      next.push({
        tool: 'query_events',
        arguments: { ...args, to: new Date(Date.parse(last.time) - 1).toISOString(), limit },
        reason: 'more events: the next page, older than the last one shown',
      });
    } else if (events.length === 0) {
      next.push({
        tool: 'get_organization_context',
        arguments: {},
        reason: 'check the subjects, sources and types in use',
      });
    }
    return {
      data: {
        from: range.from === undefined ? null : new Date(range.from).toISOString(),
        to: new Date(range.to).toISOString(),
        count: events.length,
        hasMore: page.next !== null,
        events,
      },
      text: `${events.length} event(s)${page.next ? ' (more exist)' : ''}, newest first:\n${eventLines(events, 'no events match these filters')}`,
      next: next.slice(0, 3),
    };
  },
});
