/** list_event_subjects: the subjects (environments) seen, with counts (contract section 4). */
import { listTool } from './list-values.js';

export const listEventSubjects = listTool({
  name: 'list_event_subjects',
  column: 'subject',
  plural: 'subjects',
  description:
    'List the subjects (environments: PRODUCTION, STAGING, BRAND-A-PRODUCTION …) this organization has sent events for. Use it to learn the environment names before filtering, or when a filter found nothing. Returns name, count and last seen, most frequent first, with total; limit 1-1000 (default 100) and nextCursor page through long lists. Names match in any case elsewhere, and query_events takes "*" patterns over them.',
  next: (top) => ({
    tool: 'query_events',
    arguments: { subject: top, from: '-24h' },
    reason: `what changed in ${top} in the last day`,
  }),
});
