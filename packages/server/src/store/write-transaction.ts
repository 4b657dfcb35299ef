/**
 * One read-write transaction for reactions work (a consumer's batch, an outbox claim), handing
 * `work` a Kysely bound to it. PostgreSQL: Kysely's transaction. SQLite: `BEGIN IMMEDIATE` on the
 * one connection, held through Kysely's connection lock, the same way the event writer takes it
 * (event-write-ops.ts), so the two never interleave and a write later in the transaction can
 * never fail for a snapshot another connection moved past.
 *
 * Inside `work`, write only through the handle given: the store's own writers wait for the same
 * SQLite connection and would never get it.
 */
import { type Kysely, sql } from 'kysely';
import type { Engine } from './engine.js';
import type { Database } from './schema.js';

export type WriteTransaction = <T>(work: (trx: Kysely<Database>) => Promise<T>) => Promise<T>;

export function writeTransaction(db: Kysely<Database>, engine: Engine): WriteTransaction {
  if (engine === 'postgres') return (work) => db.transaction().execute(work);
  return (work) =>
    db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      try {
        const result = await work(conn);
        await sql`commit`.execute(conn);
        return result;
      } catch (error) {
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw error;
      }
    });
}
