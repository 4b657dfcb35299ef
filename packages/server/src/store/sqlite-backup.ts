/**
 * `opstrails backup` / `restore` for the embedded store (extended API section 8), through
 * SQLite's online backup API (better-sqlite3 `.backup()`): the copy is one consistent snapshot
 * of the database even while a server keeps writing, WAL included, and a restore into a store a
 * server has open takes SQLite's locks like any writer instead of replacing the file under it.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { ConfigError } from '../config.js';
import { SQLITE_FILE } from './store.js';

/** Why `file` is not an OpsTrails SQLite store, or null when it is one. */
function notAStore(file: string): string | null {
  let db: SQLite.Database | undefined;
  try {
    db = new SQLite(file, { readonly: true, fileMustExist: true });
    const tables = db
      .prepare(
        "select name from sqlite_master where type = 'table' and name in ('events', 'organizations', 'kysely_migration')",
      )
      .all() as { name: string }[];
    return tables.length === 3 ? null : 'it has no OpsTrails tables (events, organizations, migrations)';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    db?.close();
  }
}

/** Copies the store in `dataDir` to `file`; returns the pages copied. */
export async function backupSqlite(dataDir: string, file: string, force = false): Promise<number> {
  const source = join(dataDir, SQLITE_FILE);
  if (!existsSync(source))
    throw new ConfigError(
      `no store at ${source}: point at the server's with --data-dir or OPSTRAILS_DATA_DIR`,
    );
  if (existsSync(file) && !force)
    throw new ConfigError(`${file} exists; choose another file or pass --force to overwrite it`);
  const db = new SQLite(source, { readonly: true, fileMustExist: true });
  try {
    const { totalPages } = await db.backup(file);
    return totalPages;
  } finally {
    db.close();
  }
}

/**
 * Restores `file` (a backup) into the store in `dataDir`. Refuses to overwrite a store that
 * exists unless `force`: it may be the one a server is running on.
 */
export async function restoreSqlite(file: string, dataDir: string, force = false): Promise<number> {
  if (!existsSync(file)) throw new ConfigError(`${file} does not exist`);
  const problem = notAStore(file);
  if (problem) throw new ConfigError(`${file} is not an OpsTrails SQLite backup: ${problem}`);
  const target = join(dataDir, SQLITE_FILE);
  if (existsSync(target) && !force) {
    throw new ConfigError(
      `a store exists at ${target} (a server may be running on it); restoring replaces everything in it: pass --force to do so, or restore into an empty --data-dir`,
    );
  }
  mkdirSync(dataDir, { recursive: true });
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const { totalPages } = await db.backup(target);
    return totalPages;
  } finally {
    db.close();
  }
}
