/**
 * Metrics (extended API sections 1-2): pushed metric points, their roll-ups, per-metric settings,
 * analytics integrations and mappings.
 *
 * A series is (organization, metric, subject, source); its row carries the identity once, so a
 * point is only (series, time, value): `metric_points` is keyed by (series_id, time) and, on
 * SQLite, stored WITHOUT ROWID (the primary key is the table). Raw points older than the raw
 * retention are rolled up into `metric_rollups` (count, sum, min, max per step), so any
 * aggregate of a coarser step is still exact. The series key is a SHA-256 of the identity
 * because metric + subject + source can be 650 characters, past PostgreSQL's index entry limit
 * in 4-byte characters.
 */
import { type Kysely, sql } from 'kysely';
import type { Engine } from '../engine.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';
  const double = engine === 'postgres' ? 'double precision' : 'real';
  const org = 'org_id';
  await db.schema
    .createTable('metric_series')
    .addColumn('id', engine === 'postgres' ? 'bigserial' : 'integer', (c) =>
      engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn(org, 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    // '' for a point without a source (it speaks for the whole subject).
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('subject_lower', 'text', (c) => c.notNull())
    .addColumn('source_lower', 'text', (c) => c.notNull())
    // Lower bound of the oldest raw point's time: the roll-up job looks only at series below its cutoff.
    .addColumn('raw_from', bigint, (c) => c.notNull())
    .addColumn('last_point_at', bigint, (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('metric_series_key')
    .unique()
    .on('metric_series')
    .columns([org, 'key'])
    .execute();
  await db.schema.createIndex('metric_series_metric').on('metric_series').columns([org, 'metric']).execute();
  await db.schema
    .createIndex('metric_series_subject')
    .on('metric_series')
    .columns([org, 'subject_lower'])
    .execute();
  await db.schema.createIndex('metric_series_raw_from').on('metric_series').columns(['raw_from']).execute();

  await db.schema
    .createTable('metric_points')
    .addColumn('series_id', bigint, (c) => c.notNull().references('metric_series.id').onDelete('cascade'))
    .addColumn('time', bigint, (c) => c.notNull())
    .addColumn('value', double, (c) => c.notNull())
    .addPrimaryKeyConstraint('metric_points_pk', ['series_id', 'time'])
    .$call((b) => (engine === 'sqlite' ? b.modifyEnd(sql`without rowid`) : b))
    .execute();

  await db.schema
    .createTable('metric_rollups')
    .addColumn('series_id', bigint, (c) => c.notNull().references('metric_series.id').onDelete('cascade'))
    .addColumn('step_ms', bigint, (c) => c.notNull())
    .addColumn('time', bigint, (c) => c.notNull())
    .addColumn('count', bigint, (c) => c.notNull())
    .addColumn('sum', double, (c) => c.notNull())
    .addColumn('min', double, (c) => c.notNull())
    .addColumn('max', double, (c) => c.notNull())
    .addPrimaryKeyConstraint('metric_rollups_pk', ['series_id', 'step_ms', 'time'])
    .$call((b) => (engine === 'sqlite' ? b.modifyEnd(sql`without rowid`) : b))
    .execute();

  // Settings of pushed metrics (PATCH /metrics/{name}); a metric without a row uses the defaults.
  await db.schema
    .createTable('metric_settings')
    .addColumn(org, 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('direction', 'text')
    .addColumn('unit', 'text')
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('metric_settings_pk', [org, 'metric'])
    .execute();

  await db.schema
    .createTable('integrations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn(org, 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // The config's plain fields as JSON; its secret fields sealed apart (secrets.ts).
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('secrets', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('integrations_org').on('integrations').columns([org, 'created_at']).execute();

  await db.schema
    .createTable('metric_mappings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn(org, 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('integration_id', 'text', (c) => c.notNull().references('integrations.id'))
    .addColumn('query', 'text', (c) => c.notNull())
    // JSON arrays / objects.
    .addColumn('subjects', 'text', (c) => c.notNull())
    .addColumn('subject_values', 'text', (c) => c.notNull())
    .addColumn('source', 'text')
    .addColumn('unit', 'text')
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('step_ms', bigint)
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('metric_mappings_org').on('metric_mappings').columns([org, 'metric']).execute();
  await db.schema
    .createIndex('metric_mappings_integration')
    .on('metric_mappings')
    .columns(['integration_id'])
    .execute();
}
