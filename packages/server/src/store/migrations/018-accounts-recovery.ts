/**
 * Accounts that recover (issue 16): password reset links and the audit log of admin actions.
 *
 * A reset link's token is stored only as its SHA-256, like sessions and invites; `used_at`
 * makes it single-use. Audit entries keep `org_id` without a foreign key: deleting an
 * organization removes its entries but keeps the one that records the deletion (who, when),
 * which an operator can still read in the database.
 */
import type { Kysely } from 'kysely';
import type { Engine } from '../engine.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('password_resets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // Who made the link: "user:<id>", "cli" or "self" (the signed-out request by mail).
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('expires_at', bigint, (c) => c.notNull())
    .addColumn('used_at', bigint)
    .execute();
  await db.schema.createIndex('password_resets_user').on('password_resets').column('user_id').execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('at', bigint, (c) => c.notNull())
    // "user" (a console session), "key" (an API key), "cli" (an admin command on the store).
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_label', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('target_label', 'text')
    // JSON text of what else the entry needs (a new role, a key's scope), or null.
    .addColumn('details', 'text')
    .addColumn('address', 'text')
    .execute();
  await db.schema.createIndex('audit_log_org_at').on('audit_log').columns(['org_id', 'at', 'id']).execute();
}
