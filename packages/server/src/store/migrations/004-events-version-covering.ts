/**
 * Replaces 003's version index with a covering one: the staging check of what_changed reads
 * where versions were deployed (source, subject, type, time) for many versions at once, and
 * answering from the index alone spares a table lookup per row.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('events_version_cover')
    .on('events')
    .columns(['org_id', 'version', 'time', 'source', 'subject', 'type'])
    .execute();
  await db.schema.dropIndex('events_version_time').ifExists().execute();
}
