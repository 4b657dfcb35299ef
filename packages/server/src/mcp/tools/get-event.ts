/** get_event (ours): one event by id with its full data. */
import { hasMetricsFor } from '../metrics-availability.js';
import { eventLine } from '../render.js';
import { eventIdParam, eventSchema, type SuggestedCall, sourceParam } from '../schemas.js';
import { defineTool } from '../tool.js';
import { findEvent } from './find-event.js';

export const getEvent = defineTool({
  name: 'get_event',
  title: 'One event',
  description: [
    'Fetch one event by id with all its fields and its whole data object (commits, links, payloads). Use it when a list (query_events, what_changed) showed an event whose data was cut, or to read one event in full.',
    'Returns the event. Ids come from the other tools; give source too when several sources used the same id (the answer says so).',
  ].join(' '),
  input: {
    id: eventIdParam,
    source: sourceParam.describe('Only needed when several sources used the same id.').optional(),
  },
  output: { event: eventSchema },
  async run(args, env) {
    const event = await findEvent(env, args.id, args.source);
    const next: SuggestedCall[] = [
      {
        tool: 'what_changed',
        arguments: { eventId: event.id, ...(args.source ? { source: args.source } : {}) },
        reason: 'rank what changed in the two hours before this event',
      },
    ];
    if (event.version) {
      next.push({
        tool: 'get_promotion_path',
        arguments: { version: event.version, source: event.source },
        reason: `where version ${event.version} went, and whether it skipped staging`,
      });
    }
    if (event.subject && (await hasMetricsFor(env, event.subject))) {
      next.push({
        tool: 'get_metrics_around_event',
        arguments: { eventId: event.id },
        reason: 'metrics before and after this event',
      });
    }
    return {
      data: { event },
      text: `${eventLine(event)}\ndata: ${JSON.stringify(event.data)}`,
      next,
    };
  },
});
