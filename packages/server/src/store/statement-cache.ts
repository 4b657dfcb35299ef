/**
 * Kysely's SQLite driver prepares every query afresh, and preparing an insert into the indexed
 * events table costs more than running it. This wrapper hands Kysely a database whose `prepare`
 * reuses statements by SQL text. Safe because better-sqlite3 runs each statement to completion
 * synchronously and the store never streams with `iterate`.
 */
import type { Database as SqliteDb, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/** Distinct statements kept; multi-row inserts of varying sizes make the set open-ended. */
const MAX_STATEMENTS = 500;

export function withStatementCache(db: SqliteDb): SqliteDatabase {
  const cache = new Map<string, Statement>();
  return {
    close() {
      // SQLite's advice: let it refresh the planner's statistics before a connection closes.
      db.pragma('optimize');
      db.close();
    },
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (!statement) {
        if (cache.size >= MAX_STATEMENTS) cache.clear();
        statement = db.prepare(sql);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}
