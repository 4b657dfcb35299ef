/** list_event_sources: the sources (systems) seen, with counts (contract section 4). */
import { listTool } from './list-values.js';

export const listEventSources = listTool({
  name: 'list_event_sources',
  column: 'source',
  plural: 'sources',
  description:
    'The sources (systems: FE, BE, DB, a repository URI …) this organization has sent events from, with counts and when last seen. Use the exact names as the source filter of query_events.',
  next: (top) => ({
    tool: 'query_events',
    arguments: { source: top, from: '-7d' },
    reason: `what happened to ${top} lately`,
  }),
});
