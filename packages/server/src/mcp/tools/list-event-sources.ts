/** list_event_sources: the sources (systems) seen, with counts (contract section 4). */
import { listTool } from './list-values.js';

export const listEventSources = listTool({
  name: 'list_event_sources',
  column: 'source',
  plural: 'sources',
  description:
    'List the sources (systems: FE, BE, DB, a repository URI …) this organization has sent events from. Use it to learn the system names before filtering. Returns name, count and last seen, most frequent first, with total; limit 1-1000 (default 100) and nextCursor page through long lists. Names match in any case elsewhere, and query_events takes "*" patterns over them.',
  next: (top) => ({
    tool: 'query_events',
    arguments: { source: top, from: '-7d' },
    reason: `what happened to ${top} lately`,
  }),
});
