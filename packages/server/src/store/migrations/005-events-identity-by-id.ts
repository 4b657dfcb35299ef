/**
 * One index instead of two: the identity index leads with `id` (org_id, id, source), so it also
 * answers GET /events/{id}, and the separate (org_id, id) index goes. Every insert maintains one
 * index fewer. ON CONFLICT (org_id, source, id) still matches it: both engines compare the
 * column set, not the order.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('events_identity_by_id')
    .unique()
    .on('events')
    .columns(['org_id', 'id', 'source'])
    .execute();
  await db.schema.dropIndex('events_identity').execute();
  await db.schema.dropIndex('events_id').execute();
}
