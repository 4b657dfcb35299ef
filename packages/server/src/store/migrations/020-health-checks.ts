/**
 * Health checks (extended API section 9): one row per HTTP check with its run state (next run,
 * consecutive failures, the open incident), and one small row per run (time, ok, HTTP status,
 * milliseconds) for uptime and response-time history, pruned by the retention job.
 */
import type { Kysely } from 'kysely';
import type { Engine } from '../engine.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('health_checks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('expected_status', 'integer')
    .addColumn('expected_body', 'text')
    .addColumn('interval_seconds', 'integer', (c) => c.notNull())
    .addColumn('timeout_seconds', 'integer', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('severity', 'text')
    .addColumn('paused', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('incident', 'text')
    .addColumn('last_error', 'text')
    .addColumn('last_run_at', bigint)
    .addColumn('next_run_at', bigint, (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('health_checks_org')
    .on('health_checks')
    .columns(['org_id', 'created_at'])
    .execute();
  await db.schema.createIndex('health_checks_due').on('health_checks').columns(['next_run_at']).execute();
  await db.schema
    .createTable('health_check_results')
    .addColumn('check_id', 'text', (c) => c.notNull().references('health_checks.id').onDelete('cascade'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('at', bigint, (c) => c.notNull())
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('ms', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('health_check_results_pk', ['check_id', 'at'])
    .execute();
  await db.schema
    .createIndex('health_check_results_org_at')
    .on('health_check_results')
    .columns(['org_id', 'at'])
    .execute();
}
