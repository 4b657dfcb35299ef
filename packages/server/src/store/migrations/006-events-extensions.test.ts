/**
 * Migration 006 on a store that already holds events (both engines): the folded columns are
 * filled for every old row, non-ASCII ones folded as inserts fold them, so the filters find old
 * events in any case, and the old rows have no extensions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, type Migration, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSchema,
  dropSchema,
  ENGINES,
  PG_URL,
  uniqueSchema,
} from '../../../../../test-support/test-server.js';
import type { Engine } from '../engine.js';
import { toStoredEvent } from '../events.js';
import { openStore, SQLITE_FILE, type Store } from '../store.js';
import * as initial from './001-initial.js';
import * as accounts from './002-accounts.js';
import * as eventsVersion from './003-events-version.js';
import * as eventsVersionCovering from './004-events-version-covering.js';
import * as identityById from './005-events-identity-by-id.js';

/** The migrations before 006, under the names the real list gives them. */
const BEFORE: Record<string, { up(db: Kysely<unknown>, engine: Engine): Promise<void> }> = {
  '001-initial': initial,
  '002-accounts': accounts,
  '003-events-version': eventsVersion,
  '004-events-version-covering': eventsVersionCovering,
  '005-events-identity-by-id': identityById,
};

const OLD_ROWS = [
  ['old-1', 'deployment', 'BE', 'PRODUCTION'],
  ['old-2', 'Deployment', 'be', 'Production'],
  ['old-3', 'ÉTÉ-RELEASE', 'ÜBER', 'ÉTÉ'],
  ['old-4', 'rollback', 'FE', null],
] as const;

describe.each(ENGINES)('migration 006 over existing events on %s', (engine) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-006-'));
  const schema = engine === 'postgres' ? uniqueSchema() : undefined;
  let store: Store;

  beforeAll(async () => {
    if (schema) await createSchema(schema);
    const db = new Kysely<unknown>({
      dialect:
        engine === 'postgres'
          ? new PostgresDialect({
              pool: new pg.Pool({ connectionString: PG_URL, max: 1, options: `-c search_path=${schema}` }),
            })
          : new SqliteDialect({ database: new SQLite(join(dataDir, SQLITE_FILE)) }),
    });
    const provider = {
      getMigrations: async (): Promise<Record<string, Migration>> =>
        Object.fromEntries(
          Object.entries(BEFORE).map(([name, m]) => [name, { up: (d: Kysely<unknown>) => m.up(d, engine) }]),
        ),
    };
    const migrated = await new Migrator({
      db,
      provider,
      ...(schema ? { migrationTableSchema: schema } : {}),
    }).migrateToLatest();
    if (migrated.error) throw migrated.error;
    await sql`insert into organizations (id, slug, name, plan, created_at) values ('org-old', 'old', 'Old', 'unlimited', 0)`.execute(
      db,
    );
    for (const [i, [id, type, source, subject]] of OLD_ROWS.entries()) {
      await sql`insert into events (org_id, id, source, type, subject, time, received_at, datacontenttype, search_text, size)
        values ('org-old', ${id}, ${source}, ${type}, ${subject}, ${1_000 + i}, ${2_000}, 'application/json', '', 10)`.execute(
        db,
      );
    }
    await db.destroy();
    store = await openStore({
      dataDir,
      databaseUrl: engine === 'postgres' ? PG_URL : undefined,
      pgSchema: schema,
      poolSize: 2,
    });
  });

  afterAll(async () => {
    await store?.close();
    if (schema) await dropSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const ids = async (filter: Parameters<Store['events']['list']>[1]) =>
    (await store.events.list('org-old', filter, 10)).rows.map((r) => r.id).sort();

  it('fills the folded columns of old rows, so filters find them in any case', async () => {
    expect(await ids({ subjects: ['production'] })).toEqual(['old-1', 'old-2']);
    expect(await ids({ sources: ['BE'], types: ['DEPLOYMENT'] })).toEqual(['old-1', 'old-2']);
    expect(await ids({ subjects: ['été'], sources: ['über'], types: ['été-release'] })).toEqual(['old-3']);
    expect(await ids({ types: ['ROLLBACK'] })).toEqual(['old-4']);
  });

  it('leaves old rows without extensions or links, rendered as before', async () => {
    const rows = (await Promise.all(OLD_ROWS.map(([id]) => store.events.findById('org-old', id)))).flat();
    expect(rows).toHaveLength(OLD_ROWS.length);
    for (const row of rows)
      expect([row.extensions, row.correlationid, row.causationid]).toEqual([null, null, null]);
    const old = rows.find((r) => r.id === 'old-3');
    expect(old && Object.keys(toStoredEvent(old))).toHaveLength(12);
    expect(old && toStoredEvent(old)).toMatchObject({ type: 'ÉTÉ-RELEASE', source: 'ÜBER', subject: 'ÉTÉ' });
  });
});
