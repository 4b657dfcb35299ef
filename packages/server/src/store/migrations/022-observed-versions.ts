/**
 * Version detection (issue 15): the versions seen per place (organization, service, environment)
 * in span events, with when each was first and last seen. A version that is new there, or back
 * after an hour away, is a detected deployment (reactions/consumers/version-detection.ts).
 */
import type { Kysely } from 'kysely';
import type { Engine } from '../engine.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('observed_versions')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', bigint, (c) => c.notNull())
    .addColumn('last_seen_at', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('observed_versions_pk', ['org_id', 'source', 'subject', 'version'])
    .execute();
}
