/**
 * Delivery metrics (DORA): the per-organization failure window, how long after a deployment an
 * unlinked incident on its subject still counts it as failed (docs/dora.md). Organizations
 * without a row use the default (4 hours). The DORA reads need no new index on events: they use
 * `events_type_lower_time`, `events_subject_lower_time` and `events_version_cover` (migration 006).
 */
import type { Kysely } from 'kysely';
import type { Engine } from '../engine.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('dora_settings')
    .addColumn('org_id', 'text', (c) => c.primaryKey().references('organizations.id').onDelete('cascade'))
    .addColumn('failure_window_ms', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();
}
