/** Lookups by version (promotion path, the staging check of what_changed) become index range scans. */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('events_version_time')
    .on('events')
    .columns(['org_id', 'version', 'time'])
    .execute();
}
