/**
 * Impact verdicts (extended API section 3): one row per judged deploy-type event, written
 * `pending` by the impact consumer when the event is stored and filled in by the impact job
 * once the after-window has passed. The regressions list reads the `regressed` rows newest
 * event first; the job reads the pending rows whose time has come.
 */
import type { Kysely } from 'kysely';
import type { Engine } from '../engine.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('impact_verdicts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event_source', 'text', (c) => c.notNull())
    .addColumn('event_time', bigint, (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('subject_lower', 'text', (c) => c.notNull())
    .addColumn('window', 'text', (c) => c.notNull())
    // When the after-window has passed: the job judges the row then.
    .addColumn('due_at', bigint, (c) => c.notNull())
    // 'pending' until judged; then the event's summary verdict.
    .addColumn('verdict', 'text', (c) => c.notNull())
    .addColumn('summary', 'text')
    // The whole answer of GET /events/{id}/impact at judging time (JSON).
    .addColumn('report', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('judged_at', bigint)
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('impact_verdicts_event')
    .unique()
    .on('impact_verdicts')
    .columns(['org_id', 'event_source', 'event_id'])
    .execute();
  await db.schema
    .createIndex('impact_verdicts_list')
    .on('impact_verdicts')
    .columns(['org_id', 'verdict', 'event_time', 'id'])
    .execute();
  await db.schema
    .createIndex('impact_verdicts_due')
    .on('impact_verdicts')
    .columns(['verdict', 'due_at'])
    .execute();
}
