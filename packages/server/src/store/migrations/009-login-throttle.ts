/**
 * Login throttling counts attempts before the password check and makes each one past the free
 * allowance wait (auth/login-limiter.ts), instead of counting failures into a hard lock. The
 * state is transient, so the table is replaced rather than converted: an upgrade lifts every
 * lock of the old scheme.
 */
import type { Kysely } from 'kysely';
import type { Engine } from '../engine.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';
  await db.schema.dropTable('login_attempts').execute();
  await db.schema
    .createTable('login_attempts')
    // "email:…", "address:…" or "pair:<email> <address>" (a space never appears in either).
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('last_attempt_at', bigint, (c) => c.notNull())
    // The earliest time the next attempt is admitted; null while inside the free allowance.
    .addColumn('next_attempt_at', bigint)
    .execute();
}
