/**
 * Guardrails (extended API section 4): change freeze windows, deployment policies, and the
 * violations the guardrails consumer records with the event, the rule and a reason. Filters and
 * channel ids are JSON arrays in text columns (read whole with their guardrail, never searched).
 * A window's `revision` grows with every edit (notifications are keyed by it, so an edited window
 * notifies again); `violated_occurrence` is the start of the window (or recurring occurrence) a
 * violation was recorded for, cleared by an edit.
 */
import type { Kysely } from 'kysely';
import type { Engine } from '../engine.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('guardrail_freezes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('starts_at', bigint, (c) => c.notNull())
    .addColumn('ends_at', bigint, (c) => c.notNull())
    .addColumn('filters', 'text', (c) => c.notNull())
    .addColumn('channels', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('recurrence', 'text')
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('violated_occurrence', bigint)
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('guardrail_freezes_org')
    .on('guardrail_freezes')
    .columns(['org_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('guardrail_policies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('rule_type', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('filters', 'text', (c) => c.notNull())
    .addColumn('channels', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('guardrail_policies_org')
    .on('guardrail_policies')
    .columns(['org_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('guardrail_violations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('guardrail_type', 'text', (c) => c.notNull())
    .addColumn('guardrail_id', 'text', (c) => c.notNull())
    .addColumn('guardrail_name', 'text', (c) => c.notNull())
    .addColumn('rule_type', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('event_seq', bigint, (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event_source', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('event_subject', 'text')
    .addColumn('event_version', 'text')
    .addColumn('event_time', bigint, (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();
  // A batch handled again records nothing twice.
  await db.schema
    .createIndex('guardrail_violations_once')
    .on('guardrail_violations')
    .columns(['guardrail_id', 'event_seq'])
    .unique()
    .execute();
  await db.schema
    .createIndex('guardrail_violations_org_time')
    .on('guardrail_violations')
    .columns(['org_id', 'event_time', 'id'])
    .execute();
  await db.schema
    .createIndex('guardrail_violations_org_event')
    .on('guardrail_violations')
    .columns(['org_id', 'event_id'])
    .execute();
}
