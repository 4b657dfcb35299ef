/** The reads incident triage makes inside its consumer's transaction (the store's own handles would wait for it on SQLite). */
import type { StoredEvent } from '@opstrails/core';
import type { Kysely } from 'kysely';
import { RENDERED_COLUMNS, toStoredEvent } from './event-rows.js';
import type { Database } from './schema.js';

/** An organization's events in [from, to], newest first, at most `limit` (the `(org_id, time, seq)` index). */
export async function eventsBetween(
  db: Kysely<Database>,
  orgId: string,
  from: number,
  to: number,
  limit: number,
): Promise<StoredEvent[]> {
  const rows = await db
    .selectFrom('events')
    .select([...RENDERED_COLUMNS])
    .where('org_id', '=', orgId)
    .where('time', '>=', from)
    .where('time', '<=', to)
    .orderBy('time', 'desc')
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toStoredEvent);
}
