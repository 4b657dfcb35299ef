/** list_event_subjects: the subjects (environments) seen, with counts (contract section 4). */
import { listTool } from './list-values.js';

export const listEventSubjects = listTool({
  name: 'list_event_subjects',
  column: 'subject',
  plural: 'subjects',
  description:
    'The subjects (environments: PRODUCTION, STAGING, BRAND-A-PRODUCTION …) this organization has sent events for, with counts and when last seen. Use the exact names as the subject filter of query_events.',
  next: (top) => ({
    tool: 'query_events',
    arguments: { subject: top, from: '-24h' },
    reason: `what changed in ${top} in the last day`,
  }),
});
