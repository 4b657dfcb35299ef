/** Organizations, API keys, events and usage counters. */
import type { Kysely } from 'kysely';
import type { Engine } from '../engine.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('organizations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('plan', 'text', (c) => c.notNull().defaultTo('unlimited'))
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('business_context', 'text')
    .addColumn('context_updated_at', bigint)
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('last_used_at', bigint)
    .addColumn('revoked_at', bigint)
    .execute();
  await db.schema.createIndex('api_keys_org').on('api_keys').columns(['org_id', 'created_at']).execute();

  await db.schema
    .createTable('events')
    .addColumn('seq', engine === 'postgres' ? 'bigserial' : 'integer', (c) =>
      engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('severity', 'text')
    .addColumn('version', 'text')
    .addColumn('time', bigint, (c) => c.notNull())
    .addColumn('received_at', bigint, (c) => c.notNull())
    .addColumn('datacontenttype', 'text', (c) => c.notNull())
    .addColumn('dataschema', 'text')
    .addColumn('data', 'text')
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .execute();
  // CloudEvents identity: a resend of source + id finds the stored event instead of a second row.
  await db.schema
    .createIndex('events_identity')
    .unique()
    .on('events')
    .columns(['org_id', 'source', 'id'])
    .execute();
  // Newest-first listing and every time-range filter.
  await db.schema.createIndex('events_time').on('events').columns(['org_id', 'time', 'seq']).execute();
  // The common equality filters, each ordered by (time, seq) so a filtered page is an index range
  // scan in the exact order of the answer, with no sort step.
  for (const field of ['type', 'subject', 'source']) {
    await db.schema
      .createIndex(`events_${field}_time`)
      .on('events')
      .columns(['org_id', field, 'time', 'seq'])
      .execute();
  }
  await db.schema.createIndex('events_id').on('events').columns(['org_id', 'id']).execute();

  await db.schema
    .createTable('usage')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('count', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('usage_pk', ['org_id', 'metric', 'period'])
    .execute();
}
