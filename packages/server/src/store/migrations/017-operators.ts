/**
 * Operators' controls (extended API section 8): per-organization limit overrides on top of the
 * plan (JSON text, null = the plan's limits), and the request counters of the rate limiter,
 * one row per (limited key or address, one-second window), shared by every instance on
 * PostgreSQL and pruned as windows pass.
 */
import type { Kysely } from 'kysely';
import type { Engine } from '../engine.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';
  await db.schema.alterTable('organizations').addColumn('limit_overrides', 'text').execute();
  await db.schema
    .createTable('rate_limits')
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('window_start', bigint, (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_limits_pk', ['bucket', 'window_start'])
    .execute();
  await db.schema.createIndex('rate_limits_window').on('rate_limits').column('window_start').execute();
}
