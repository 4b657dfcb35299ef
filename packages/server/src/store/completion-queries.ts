/** The reads argument completion makes: the newest events' ids and versions, with where they happened (the `(org_id, time, seq)` index). */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface RecentEventKeys {
  id: string;
  version: string | null;
  source: string;
  subject: string | null;
}

/** The newest `limit` events' ids, versions, sources and subjects, newest first. */
export async function recentEventKeys(
  db: Kysely<Database>,
  orgId: string,
  limit: number,
): Promise<RecentEventKeys[]> {
  return db
    .selectFrom('events')
    .select(['id', 'version', 'source', 'subject'])
    .where('org_id', '=', orgId)
    .orderBy('time', 'desc')
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
}
