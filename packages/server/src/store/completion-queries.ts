/** The reads argument completion makes: ids and versions of an organization's newest events (the `(org_id, time, seq)` index). */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** The ids and versions of the newest `limit` events, newest first. */
export async function recentIdsAndVersions(
  db: Kysely<Database>,
  orgId: string,
  limit: number,
): Promise<{ id: string; version: string | null }[]> {
  return db
    .selectFrom('events')
    .select(['id', 'version'])
    .where('org_id', '=', orgId)
    .orderBy('time', 'desc')
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
}
