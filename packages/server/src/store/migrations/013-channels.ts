/**
 * Notification channels (extended API section 5): the channels of each organization (config as
 * JSON, secrets sealed apart, see secrets.ts), forwarding rules, which channels hear regressions
 * and incident triage, and which outbox rows went to which channel (the delivery log: the outbox
 * row itself keeps state, attempts and the last answer).
 */
import type { Kysely } from 'kysely';
import type { Engine } from '../engine.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';
  const org = 'org_id';
  await db.schema
    .createTable('channels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn(org, 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // The config's plain fields, as JSON; its secret fields are in `secrets`, sealed.
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('secrets', 'text')
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('channels_org').on('channels').columns([org, 'created_at']).execute();

  await db.schema
    .createTable('forwarding_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn(org, 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id').onDelete('cascade'))
    // Filters as JSON arrays; empty matches all.
    .addColumn('filters', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('forwarding_rules_org')
    .on('forwarding_rules')
    .columns([org, 'created_at'])
    .execute();

  await db.schema
    .createTable('notification_settings')
    .addColumn(org, 'text', (c) => c.primaryKey().references('organizations.id').onDelete('cascade'))
    .addColumn('regression_channels', 'text', (c) => c.notNull())
    .addColumn('triage_channels', 'text', (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('channel_deliveries')
    // The outbox row's idempotency key (unique there too), so queuing twice links once.
    .addColumn('idempotency_key', 'text', (c) => c.primaryKey())
    .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id').onDelete('cascade'))
    .addColumn(org, 'text', (c) => c.notNull())
    // What the channel was sent: guardrail.violation, incident.triage, event.forwarded, ...
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('channel_deliveries_channel')
    .on('channel_deliveries')
    .columns(['channel_id', 'created_at'])
    .execute();
}
