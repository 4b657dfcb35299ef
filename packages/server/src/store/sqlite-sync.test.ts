import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type SqliteSync } from './store.js';

/** SQLite's numbers for `PRAGMA synchronous`. */
const LEVEL = { normal: 1, full: 2 } as const;

describe('SQLite sync mode', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    [undefined, LEVEL.full],
    ['full' as SqliteSync, LEVEL.full],
    ['normal' as SqliteSync, LEVEL.normal],
  ])('asked for %s, the connection that commits runs at level %i', async (sqliteSync, level) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-sync-'));
    dirs.push(dataDir);
    const store = await openStore({ dataDir, sqliteSync });
    try {
      const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db);
      expect(rows).toEqual([{ synchronous: level }]);
    } finally {
      await store.close();
    }
  });
});
