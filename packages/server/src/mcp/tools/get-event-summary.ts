/** get_event_summary: counts by type in a range plus the most recent events (contract section 4). */
import { z } from 'zod';
import { toStoredEvent } from '../../store/events.js';
import { parseRange } from '../arguments.js';
import { eventLines } from '../render.js';
import { eventSchema, fromParam, timezoneParam, toParam } from '../schemas.js';
import { defineTool } from '../tool.js';

const RECENT = 10;

export const getEventSummary = defineTool({
  name: 'get_event_summary',
  title: 'Event summary',
  description: [
    'Summarize a time range: how many events of each type, and the 10 most recent. Use it for "what happened this week?" before listing events; use query_events for the events themselves, what_changed for the cause of an incident.',
    'Returns total, byType (type and count, most frequent first) and recent events. Limits: from and to are required; recent events carry short data when the answer would pass the answer budget (about 20,000 tokens).',
  ].join(' '),
  input: { from: fromParam, to: toParam, timezone: timezoneParam.optional() },
  output: {
    from: z.string(),
    to: z.string(),
    total: z.number(),
    byType: z.array(z.object({ type: z.string(), count: z.number() })),
    recent: z.array(eventSchema),
  },
  async run(args, env) {
    const range = parseRange(args, env.now);
    const filter = { from: range.from, to: range.to };
    const [counts, page] = await Promise.all([
      env.store.events.countMatching(env.orgId, 'type', filter),
      env.store.events.list(env.orgId, filter, RECENT),
    ]);
    const byType = counts.map((c) => ({ type: c.value, count: c.count }));
    const total = byType.reduce((sum, c) => sum + c.count, 0);
    const recent = page.rows.map(toStoredEvent);
    const from = new Date(range.from as number).toISOString();
    const to = new Date(range.to).toISOString();
    const incident = byType.find((c) => c.type.toLowerCase().includes('incident'));
    const top = byType[0];
    return {
      data: { from, to, total, byType, recent },
      text: `${total} event(s) from ${from} to ${to}.\nBy type: ${
        byType.map((c) => `${c.type} ${c.count}`).join(', ') || 'none'
      }\nMost recent:\n${eventLines(recent, 'none')}`,
      next: [
        ...(incident
          ? [
              {
                tool: 'query_events',
                arguments: { from, to, type: incident.type },
                reason: `the ${incident.count} ${incident.type} event(s) in this range`,
              },
            ]
          : top
            ? [
                {
                  tool: 'query_events',
                  arguments: { from, to, type: top.type },
                  reason: `the ${top.type} events, the most frequent type`,
                },
              ]
            : []),
        { tool: 'get_environment_grid', arguments: {}, reason: 'where each version runs now' },
      ],
    };
  },
});
