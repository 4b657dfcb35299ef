/**
 * Reactions: the cursors of the event log's consumers (with their failure bookkeeping), the
 * events a consumer gave up on, the outbox of deliveries to the outside world, and the last run
 * of each periodic job (so N instances run it once per period). See docs/architecture.md.
 */
import type { Kysely } from 'kysely';
import type { Engine } from '../engine.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('consumer_cursors')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('txid', bigint, (c) => c.notNull())
    .addColumn('seq', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    // Consecutive failed attempts at the batch after the cursor; 0 when healthy.
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('retry_at', bigint, (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .execute();

  await db.schema
    .createTable('consumer_skipped')
    .addColumn('consumer', 'text', (c) => c.notNull())
    .addColumn('seq', bigint, (c) => c.notNull())
    .addColumn('txid', bigint, (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('error', 'text', (c) => c.notNull())
    .addColumn('skipped_at', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('consumer_skipped_pk', ['consumer', 'seq'])
    .execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', engine === 'postgres' ? 'bigserial' : 'integer', (c) =>
      engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    // The consumer's handler may run twice; the key makes its second enqueue a no-op, and the
    // receiver gets it with every attempt to drop a resend.
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', bigint, (c) => c.notNull())
    .addColumn('last_answer', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();
  // The worker's claim: due rows of one state, oldest due first.
  await db.schema.createIndex('outbox_due').on('outbox').columns(['state', 'next_attempt_at']).execute();
  // The API's listing: one organization's deliveries, newest first.
  await db.schema.createIndex('outbox_org').on('outbox').columns(['org_id', 'id']).execute();

  await db.schema
    .createTable('job_runs')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('last_run_at', bigint, (c) => c.notNull())
    .execute();
}
