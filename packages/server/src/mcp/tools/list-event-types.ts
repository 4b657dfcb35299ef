/** list_event_types: the types seen, with counts (contract section 4). */
import { listTool } from './list-values.js';

export const listEventTypes = listTool({
  name: 'list_event_types',
  column: 'type',
  plural: 'types',
  description:
    'List the event types (deployment, incident, rollback …) this organization has sent. Use it to learn the type names before filtering. Returns name, count and last seen, most frequent first, with total; limit 1-1000 (default 100) and nextCursor page through long lists. Names match in any case elsewhere, and query_events takes "*" patterns over them.',
  next: (top) => ({
    tool: 'query_events',
    arguments: { type: top, from: '-7d' },
    reason: `the latest ${top} events`,
  }),
});
