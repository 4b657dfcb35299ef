/**
 * The log position of every event: (txid, seq). On PostgreSQL `txid` is the inserting
 * transaction's id, so a reader can tell which rows may still be joined by rows of
 * transactions that have not committed yet (see event-log.ts); on SQLite writers are
 * serialized, row order is commit order, and `txid` stays 0. Rows stored before this
 * migration are all committed: 0 orders them first.
 */
import { type Kysely, sql } from 'kysely';
import type { Engine } from '../engine.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  await db.schema
    .alterTable('events')
    .addColumn('txid', engine === 'postgres' ? 'bigint' : 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  if (engine === 'postgres') {
    // xid8 is 64-bit and never wraps; its text form is the plain number.
    await sql`alter table events alter column txid set default (pg_current_xact_id()::text::bigint)`.execute(
      db,
    );
  }
  // Consumers read the whole log; the live feed reads one organization's.
  await db.schema.createIndex('events_log').on('events').columns(['txid', 'seq']).execute();
  await db.schema.createIndex('events_org_log').on('events').columns(['org_id', 'txid', 'seq']).execute();
}
