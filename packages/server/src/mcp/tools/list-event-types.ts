/** list_event_types: the types seen, with counts (contract section 4). */
import { listTool } from './list-values.js';

export const listEventTypes = listTool({
  name: 'list_event_types',
  column: 'type',
  plural: 'types',
  description:
    'The event types this organization has sent (deployment, incident, …), with how many of each and when last seen. Use the exact names as the type filter of query_events.',
  next: (top) => ({
    tool: 'query_events',
    arguments: { type: top, from: '-7d' },
    reason: `the latest ${top} events`,
  }),
});
