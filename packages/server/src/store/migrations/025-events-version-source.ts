/**
 * The version index led by version and source (issue 17): `events_version_cover` (migration 004:
 * org_id, version, time, source, subject, type) becomes `events_version_source` (org_id,
 * version, source, time, subject, type), the same columns in another order, so an insert costs
 * the same. The staging check of `what_changed` asks where given sources deployed given
 * versions in a fortnight (EventRepository.versionHistory): one range per (version, source)
 * pair instead of every source's entries of the version. The other readers of the index keep
 * it covering (DORA's first deploy per version groups all of a version's entries; a promotion
 * path reads a version's rows and orders them by time, a few per version in real timelines).
 * 30 s at 10,000,000 events on SQLite.
 */
import { type Kysely, sql } from 'kysely';
import type { Engine } from '../engine.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  await db.schema
    .createIndex('events_version_source')
    .on('events')
    .columns(['org_id', 'version', 'source', 'time', 'subject', 'type'])
    .execute();
  await db.schema.dropIndex('events_version_cover').execute();
  if (engine === 'sqlite') {
    // Statistics for the new index now (a sample: a second at 10,000,000 events), not at the
    // next start: without them SQLite guesses that `org_id = ?` on it picks a few rows and
    // prefers it even to row-number look-ups, walking the whole organization.
    await sql`pragma analysis_limit = 1000`.execute(db);
    await sql`analyze events_version_source`.execute(db);
    await sql`pragma analysis_limit = 0`.execute(db);
  }
}
