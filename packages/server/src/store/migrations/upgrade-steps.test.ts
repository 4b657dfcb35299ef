/**
 * Upgrading a store that has data says which migration runs, before it runs and with its duration
 * after; a new store's migrations run silently.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../store.js';

describe('migrations of an upgrade, announced', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-upgrade-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('says nothing while creating a store, then names each migration an upgrade runs, before and after', async () => {
    const lines: string[] = [];
    const say = (line: string) => lines.push(line);
    const created = await openStore({ dataDir, onUpgradeStep: say });
    expect(lines).toEqual([]);
    // The store as it was before migration 026: without its table, trigger and record.
    await sql`drop trigger value_counts_deleted`.execute(created.db);
    await sql`drop table value_counts`.execute(created.db);
    await sql`delete from kysely_migration where name = '026-value-counts'`.execute(created.db);
    await created.close();

    const upgraded = await openStore({ dataDir, onUpgradeStep: say });
    try {
      expect(lines).toHaveLength(2);
      expect(lines[0]).toBe(
        'upgrading the store: 026-value-counts… (minutes on a store of millions of events; let it finish)',
      );
      expect(lines[1]).toMatch(/^upgrading the store: 026-value-counts done in \d+\.\d s$/);
      // The migration did run: the table is back.
      const rows = await sql<{ n: number }>`select count(*) as n from value_counts`.execute(upgraded.db);
      expect(rows.rows).toHaveLength(1);
    } finally {
      await upgraded.close();
    }
    const again = await openStore({ dataDir, onUpgradeStep: say });
    await again.close();
    expect(lines).toHaveLength(2);
  });
});
